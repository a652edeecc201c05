import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DataScope } from '../../platform/context.ts';
import { inScope } from '../../platform/scope.ts';
import { expressionBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** A matter row with its lead unit's name. */
export interface MatterRow {
  id: number; number: string; year: number; seq: number; title: string; content: string; source: string; source_id: number | null;
  source_ref: string | null; source_link: string | null; type: string; urgency: string; lead_unit_id: number; lead_unit_name: string; region_code: string | null;
  supervisor_id: number | null; leader_id: number | null; status: string; assigned_on: string; due_on: string; feedback_days: number;
  next_feedback_on: string | null; requested_due_on: string | null; signed_on: string | null; closing_on: string | null; closed_on: string | null;
  written_off_on: string | null; close_rejections: number; attention: number; batch_id: number | null; version: number; created_by: number | null;
  created_at: string; updated_at: string;
}

/** Filters of the matter lists (inboxes are filters too). */
export interface MatterFilter {
  status?: readonly string[];
  leadUnitId?: number;
  /** Matters where this unit is lead or co-unit. */
  unitId?: number;
  /** Matters where this unit is a co-unit. */
  coUnitId?: number;
  leaderId?: number;
  source?: string;
  sourceId?: number;
  urgency?: string;
  attention?: boolean;
  /** Open and past due on this day (not suspended). */
  overdueOn?: string;
  /** Open and past due today (the service turns it into overdueOn). */
  overdue?: boolean;
  year?: number;
  q?: string;
  projectId?: number;
  /** Matters linked to this enterprise (关联企业). */
  enterpriseId?: number;
  batchId?: number;
  /** Not in any weekly batch yet. */
  unbatched?: boolean;
}

/** True for matters the scope sees: by lead unit or region, or as a co-unit. */
export function matterInScope(scope: DataScope): Expression<SqlBool> {
  const eb = expressionBuilder<DB, 'matters'>();
  if (scope.all) return sql<SqlBool>`1 = 1`;
  return eb.or([
    inScope(scope, { unit: 'matters.lead_unit_id', region: 'matters.region_code' }),
    eb('matters.id', 'in', eb.selectFrom('matter_units').select('matter_units.matter_id').where(inScope(scope, { unit: 'matter_units.unit_id' }))),
  ]);
}

const OPEN = ['pending_sign', 'in_progress', 'extension_requested', 'suspend_requested', 'closing', 'returned'];

/** All SQL of supervised matters. */
export class MatterRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  private base() {
    return this.db.selectFrom('matters').innerJoin('units', 'units.id', 'matters.lead_unit_id').selectAll('matters').select('units.name as lead_unit_name');
  }

  async findInScope(id: number, scope: DataScope): Promise<MatterRow | undefined> {
    return (await this.base().where('matters.id', '=', id).where(matterInScope(scope)).executeTakeFirst());
  }

  async existsInScope(id: number, scope: DataScope): Promise<boolean> {
    const r = await this.db.selectFrom('matters').select('id').where('id', '=', id).where(matterInScope(scope)).executeTakeFirst();
    return r !== undefined;
  }

  async list(scope: DataScope, f: MatterFilter, page: { limit: number; offset: number }): Promise<{ items: MatterRow[]; total: number }> {
    let q = this.db.selectFrom('matters').innerJoin('units', 'units.id', 'matters.lead_unit_id').where(matterInScope(scope));
    if (f.status?.length) q = q.where('matters.status', 'in', f.status);
    if (f.leadUnitId) q = q.where('matters.lead_unit_id', '=', f.leadUnitId);
    if (f.coUnitId) q = q.where('matters.id', 'in', this.db.selectFrom('matter_units').select('matter_id').where('unit_id', '=', f.coUnitId));
    if (f.unitId) {
      const u = f.unitId;
      q = q.where((eb) => eb.or([eb('matters.lead_unit_id', '=', u), eb('matters.id', 'in', eb.selectFrom('matter_units').select('matter_id').where('unit_id', '=', u))]));
    }
    if (f.leaderId) q = q.where('matters.leader_id', '=', f.leaderId);
    if (f.source) q = q.where('matters.source', '=', f.source);
    if (f.sourceId) q = q.where('matters.source_id', '=', f.sourceId);
    if (f.urgency) q = q.where('matters.urgency', '=', f.urgency);
    if (f.attention) q = q.where('matters.attention', '=', 1);
    if (f.overdueOn) q = q.where('matters.status', 'in', OPEN).where('matters.due_on', '<', f.overdueOn);
    if (f.year) q = q.where('matters.year', '=', f.year);
    if (f.batchId) q = q.where('matters.id', 'in', this.db.selectFrom('weekly_batch_items').select('matter_id').where('batch_id', '=', f.batchId));
    if (f.unbatched) q = q.where('matters.batch_id', 'is', null);
    if (f.projectId) q = q.where('matters.id', 'in', this.db.selectFrom('matter_projects').select('matter_id').where('project_id', '=', f.projectId));
    if (f.enterpriseId) q = q.where('matters.id', 'in', this.db.selectFrom('matter_enterprises').select('matter_id').where('enterprise_id', '=', f.enterpriseId));
    if (f.q?.trim()) {
      const like = `%${f.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('matters.title', 'like', sql<string>`${like} escape '\\'`), eb('matters.number', 'like', sql<string>`${like} escape '\\'`)]));
    }
    const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const items = await q.selectAll('matters').select('units.name as lead_unit_name')
      .orderBy(sql`case when matters.status in ('written_off', 'closed') then 1 else 0 end`).orderBy('matters.due_on').orderBy('matters.id', 'desc')
      .limit(page.limit).offset(page.offset).execute();
    return { items: items, total };
  }

  async insert(values: Omit<MatterRow, 'id' | 'lead_unit_name' | 'close_rejections' | 'attention' | 'version' | 'feedback_days'> & { feedback_days: number }): Promise<number> {
    const r = await this.db.insertInto('matters').values(values).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  /** Updates when the version matches (bumping it); false when someone else changed it first. */
  async updateIfVersion(id: number, version: number, values: Partial<Omit<MatterRow, 'id' | 'lead_unit_name' | 'version'>>): Promise<boolean> {
    const r = await this.db.updateTable('matters').set({ ...values, version: sql<number>`version + 1` }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async setCoUnits(id: number, unitIds: readonly number[]): Promise<void> {
    await this.db.deleteFrom('matter_units').where('matter_id', '=', id).execute();
    if (unitIds.length) await this.db.insertInto('matter_units').values(unitIds.map((u) => ({ matter_id: id, unit_id: u }))).execute();
  }

  async setProjects(id: number, projectIds: readonly number[]): Promise<void> {
    await this.db.deleteFrom('matter_projects').where('matter_id', '=', id).execute();
    if (projectIds.length) await this.db.insertInto('matter_projects').values(projectIds.map((p) => ({ matter_id: id, project_id: p }))).execute();
  }

  async setEnterprises(id: number, enterpriseIds: readonly number[]): Promise<void> {
    await this.db.deleteFrom('matter_enterprises').where('matter_id', '=', id).execute();
    if (enterpriseIds.length) await this.db.insertInto('matter_enterprises').values(enterpriseIds.map((e) => ({ matter_id: id, enterprise_id: e }))).execute();
  }

  /** The enterprises linked to these matters (id, name, credit code), by name. */
  async enterprises(ids: readonly number[]): Promise<{ matter_id: number; id: number; name: string; uscc: string | null }[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('matter_enterprises').innerJoin('enterprises', 'enterprises.id', 'matter_enterprises.enterprise_id')
      .select(['matter_enterprises.matter_id', 'enterprises.id', 'enterprises.name', 'enterprises.uscc']).where('matter_enterprises.matter_id', 'in', ids)
      .orderBy('enterprises.name').orderBy('enterprises.id').execute();
  }

  async coUnits(ids: readonly number[]): Promise<{ matter_id: number; unit_id: number; name: string }[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('matter_units').innerJoin('units', 'units.id', 'matter_units.unit_id')
      .select(['matter_units.matter_id', 'matter_units.unit_id', 'units.name']).where('matter_units.matter_id', 'in', ids).orderBy('units.name').execute();
  }

  /** A matter's co-units with their 签收. */
  async coUnitRows(id: number): Promise<{ unit_id: number; name: string; signed_on: string | null }[]> {
    return this.db.selectFrom('matter_units').innerJoin('units', 'units.id', 'matter_units.unit_id')
      .select(['matter_units.unit_id', 'units.name', 'matter_units.signed_on']).where('matter_units.matter_id', '=', id).orderBy('units.name').execute();
  }

  async coSign(id: number, unitId: number, day: string, by: number | null): Promise<void> {
    await this.db.updateTable('matter_units').set({ signed_on: day, signed_by: by }).where('matter_id', '=', id).where('unit_id', '=', unitId).execute();
  }

  async projects(id: number): Promise<{ id: number; name: string; code: string | null }[]> {
    return this.db.selectFrom('matter_projects').innerJoin('projects', 'projects.id', 'matter_projects.project_id')
      .select(['projects.id', 'projects.name', 'projects.code']).where('matter_projects.matter_id', '=', id).orderBy('projects.id').execute();
  }

  async unit(id: number): Promise<{ id: number; name: string; region_code: string | null } | undefined> {
    return this.db.selectFrom('units').select(['id', 'name', 'region_code']).where('id', '=', id).executeTakeFirst();
  }

  /** Ids of the units within a scope (by unit subtree or region). */
  async unitsInScope(scope: DataScope): Promise<number[]> {
    let q = this.db.selectFrom('units').select('id');
    if (!scope.all) q = q.where(inScope(scope, { unit: 'units.id', region: 'units.region_code' }));
    return (await q.execute()).map((r) => r.id);
  }

  /** A few live projects of a unit (demo data). */
  async projectsOfUnit(unitId: number, limit: number): Promise<{ id: number; name: string }[]> {
    return this.db.selectFrom('projects').select(['id', 'name']).where('unit_id', '=', unitId).where('deleted_at', 'is', null).orderBy('id').limit(limit).execute();
  }

  async unitsExist(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    return (await this.db.selectFrom('units').select('id').where('id', 'in', ids).execute()).map((r) => r.id);
  }

  async projectsInScope(ids: readonly number[], scope: DataScope): Promise<{ id: number; name: string; unit_id: number }[]> {
    if (ids.length === 0) return [];
    let q = this.db.selectFrom('projects').select(['id', 'name', 'unit_id']).where('id', 'in', ids).where('deleted_at', 'is', null);
    if (!scope.all) q = q.where(inScope(scope, { unit: 'projects.unit_id', region: 'projects.region_code' }));
    return q.execute();
  }

  async addInstruction(matterId: number, leaderId: number, text: string, at: string): Promise<number> {
    return (await this.db.insertInto('matter_instructions').values({ matter_id: matterId, leader_id: leaderId, text, at }).returning('id').executeTakeFirstOrThrow()).id;
  }

  async instructions(matterId: number): Promise<{ id: number; leader_id: number; leader_name: string; text: string; at: string }[]> {
    return this.db.selectFrom('matter_instructions').innerJoin('users', 'users.id', 'matter_instructions.leader_id')
      .select(['matter_instructions.id', 'matter_instructions.leader_id', 'users.display_name as leader_name', 'matter_instructions.text', 'matter_instructions.at'])
      .where('matter_id', '=', matterId).orderBy('matter_instructions.id').execute();
  }

  async userNames(ids: readonly (number | null)[]): Promise<Map<number, string>> {
    const list = [...new Set(ids.filter((x): x is number => typeof x === 'number' && x > 0))];
    if (list.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', list).execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  async unitNames(ids: readonly (number | null)[]): Promise<Map<number, string>> {
    const list = [...new Set(ids.filter((x): x is number => typeof x === 'number'))];
    if (list.length === 0) return new Map();
    const rows = await this.db.selectFrom('units').select(['id', 'name']).where('id', 'in', list).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
