import type { Insertable, Selectable, Updateable } from 'kysely';
import type { LeadReviewState, LeadStage, MoveTarget, TerminationKind } from '../../../core/attraction/lead.ts';
import type { Executor } from '../../db/database.ts';
import type { AttractionLeadTable } from '../../db/schema.ts';
import type { DataScope } from '../../platform/context.ts';
import { inScope, type ScopeColumns } from '../../platform/scope.ts';

/** The columns that place an attraction record in a data scope: its team (a unit) and its region. */
export const LEAD_SCOPE: ScopeColumns = { unit: 'attraction_leads.team_id', region: 'attraction_leads.region_code' };

/**
 * A stored record. The text columns that hold a stage, a review state or a termination kind are typed by their values:
 * only the service (through core/attraction/lead.ts) and the checked import write them, and the routes' response
 * schemas (attraction.responses.ts) check the values in tests.
 */
export type LeadRow = Omit<Selectable<AttractionLeadTable>, 'stage' | 'review_status' | 'pending_to' | 'pending_kind' | 'termination_kind'> & {
  stage: LeadStage; review_status: LeadReviewState; pending_to: MoveTarget | null; pending_kind: TerminationKind | null; termination_kind: TerminationKind | null;
};
/** A record with the names the lists print. */
export type LeadListRow = LeadRow & { team_name: string | null; region_name: string | null };

/** Filters of the record list and the figures. */
export interface LeadFilter {
  stage?: string[];
  team_id?: number;
  region_code?: string;
  industry?: string;
  q?: string;
  /** Include terminated (终止) records. */
  terminated?: boolean;
}

/** All SQL of the attraction module. */
export class AttractionRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** True when the record exists within the scope (the route-level scope check). */
  async isWithinScope(id: number, scope: DataScope): Promise<boolean> {
    const q = this.db.selectFrom('attraction_leads').select('attraction_leads.id').where('attraction_leads.id', '=', id);
    return !!(await (scope.all ? q : q.where(inScope(scope, LEAD_SCOPE))).executeTakeFirst());
  }

  /** True when a unit lies within the scope's unit subtrees (a record's team must). */
  async isTeamInScope(teamId: number, scope: DataScope): Promise<boolean> {
    const q = this.db.selectFrom('units').select('units.id').where('units.id', '=', teamId).where('units.deleted_at', 'is', null);
    return !!(await (scope.all ? q : q.where(inScope(scope, { unit: 'units.id' }))).executeTakeFirst());
  }

  /** True when the region code exists. */
  async regionExists(code: string): Promise<boolean> {
    return !!(await this.db.selectFrom('regions').select('code').where('code', '=', code).executeTakeFirst());
  }

  async insert(values: Insertable<AttractionLeadTable>): Promise<number> {
    const row = await this.db.insertInto('attraction_leads').values(values).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  private base(scope: DataScope) {
    const q = this.db.selectFrom('attraction_leads')
      .leftJoin('units', 'units.id', 'attraction_leads.team_id')
      .leftJoin('regions', 'regions.code', 'attraction_leads.region_code')
      .selectAll('attraction_leads')
      .select(['units.name as team_name', 'regions.name as region_name']);
    return scope.all ? q : q.where(inScope(scope, LEAD_SCOPE));
  }

  /** One record within the scope, with team and region names. */
  findById(id: number, scope: DataScope): Promise<LeadListRow | undefined> {
    return this.base(scope).where('attraction_leads.id', '=', id).executeTakeFirst() as Promise<LeadListRow | undefined>;
  }

  /** Records within the scope matching the filter, newest first (bounded: an office tracks hundreds, not millions). */
  list(scope: DataScope, f: LeadFilter, limit = 5000): Promise<LeadListRow[]> {
    let q = this.base(scope);
    if (f.stage?.length) q = q.where('attraction_leads.stage', 'in', f.stage);
    if (f.team_id) q = q.where('attraction_leads.team_id', '=', f.team_id);
    if (f.region_code) q = q.where('attraction_leads.region_code', '=', f.region_code);
    if (f.industry) q = q.where('attraction_leads.industry', '=', f.industry);
    if (f.q) q = q.where((eb) => eb.or([eb('attraction_leads.name', 'like', `%${f.q}%`), eb('attraction_leads.investor', 'like', `%${f.q}%`), eb('attraction_leads.company_name', 'like', `%${f.q}%`)]));
    if (!f.terminated) q = q.where('attraction_leads.terminated_on', 'is', null);
    return q.orderBy('attraction_leads.id', 'desc').limit(limit).execute() as Promise<LeadListRow[]>;
  }

  /** The records linked to an enterprise within the scope (terminated ones too), newest first. */
  listByEnterprise(scope: DataScope, enterpriseId: number) {
    return this.base(scope).where('attraction_leads.enterprise_id', '=', enterpriseId).orderBy('attraction_leads.id', 'desc').limit(200).execute();
  }

  /** How many records are linked to an enterprise, whatever the scope. */
  async countByEnterprise(enterpriseId: number): Promise<number> {
    const r = await this.db.selectFrom('attraction_leads').select((eb) => eb.fn.countAll<number>().as('n')).where('enterprise_id', '=', enterpriseId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Applies a patch when the version is the one read; false when another write came first. */
  async updateIfVersion(id: number, version: number, patch: Updateable<AttractionLeadTable>): Promise<boolean> {
    const r = await this.db.updateTable('attraction_leads').set({ ...patch, version: version + 1 })
      .where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async insertFollowup(v: { lead_id: number; on_date: string; content: string; user_id: number | null; created_at: string }): Promise<number> {
    return (await this.db.insertInto('attraction_followups').values(v).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** A record's follow-ups, newest first, with who wrote them. */
  listFollowups(leadId: number) {
    return this.db.selectFrom('attraction_followups').leftJoin('users', 'users.id', 'attraction_followups.user_id')
      .select(['attraction_followups.id', 'attraction_followups.on_date', 'attraction_followups.content', 'attraction_followups.created_at', 'users.display_name as user_name'])
      .where('attraction_followups.lead_id', '=', leadId).orderBy('attraction_followups.on_date', 'desc').orderBy('attraction_followups.id', 'desc').execute();
  }

  /** The latest follow-up date of a record (the record's last_followup_on is kept equal to it). */
  async latestFollowup(leadId: number): Promise<string | null> {
    const r = await this.db.selectFrom('attraction_followups').select((eb) => eb.fn.max('on_date').as('d')).where('lead_id', '=', leadId).executeTakeFirst();
    return (r?.d as string | null | undefined) ?? null;
  }

  /** Moves last_followup_on forward (never back), without touching the version: a follow-up is not an edit. */
  async touchFollowup(leadId: number, onDate: string): Promise<void> {
    await this.db.updateTable('attraction_leads').set({ last_followup_on: onDate })
      .where('id', '=', leadId).where((eb) => eb.or([eb('last_followup_on', 'is', null), eb('last_followup_on', '<', onDate)])).execute();
  }

  async insertFile(v: { lead_id: number; stage: string; file_key: string; file_name: string; mime: string; size: number; user_id: number | null; created_at: string }): Promise<number> {
    return (await this.db.insertInto('attraction_files').values(v).returning('id').executeTakeFirstOrThrow()).id;
  }

  listFiles(leadId: number): Promise<{ id: number; stage: LeadStage; file_name: string; mime: string; size: number; created_at: string }[]> {
    return this.db.selectFrom('attraction_files').select(['id', 'stage', 'file_name', 'mime', 'size', 'created_at'])
      .where('lead_id', '=', leadId).orderBy('id').execute() as Promise<{ id: number; stage: LeadStage; file_name: string; mime: string; size: number; created_at: string }[]>;
  }

  findFile(leadId: number, fileId: number) {
    return this.db.selectFrom('attraction_files').selectAll().where('lead_id', '=', leadId).where('id', '=', fileId).executeTakeFirst();
  }

  /** Import: units by exact name within the scope's unit subtrees (a team must be one). */
  listUnitsByName(names: readonly string[], scope: DataScope) {
    if (names.length === 0) return Promise.resolve([]);
    const q = this.db.selectFrom('units').select(['units.id', 'units.name', 'units.region_code']).where('units.name', 'in', [...names]).where('units.deleted_at', 'is', null);
    return (scope.all ? q : q.where(inScope(scope, { unit: 'units.id' }))).execute();
  }

  /** Import: regions by 6-digit code or exact name. */
  listRegionsByNameOrCode(texts: readonly string[]) {
    if (texts.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('regions').select(['code', 'name']).where((eb) => eb.or([eb('code', 'in', [...texts]), eb('name', 'in', [...texts])])).execute();
  }

  /** Import: the records of these names within the scope (the ledger's rows match them by name and team). */
  listByNames(names: readonly string[], scope: DataScope): Promise<LeadListRow[]> {
    if (names.length === 0) return Promise.resolve([]);
    return this.base(scope).where('attraction_leads.name', 'in', [...names]).execute() as Promise<LeadListRow[]>;
  }

  /** Demo: the county offices and parks that act as attraction teams. */
  listDemoTeams() {
    return this.db.selectFrom('units').select(['id', 'name', 'region_code']).where('kind', 'in', ['office', 'park'])
      .where('parent_id', 'is not', null).where('region_code', 'is not', null).where('deleted_at', 'is', null).orderBy('sort').orderBy('id').execute();
  }

  /** Demo: started (or producing) library projects marked as attraction projects (招商引资项目), which started leads become. */
  listDemoAttractionProjects(limit: number, producing: boolean) {
    return this.db.selectFrom('projects').select(['id', 'name', 'region_code', 'unit_id', 'total_investment', 'actual_start_date', 'actual_production_date', 'builder_name', 'builder_uscc'])
      .where('is_attraction', '=', 1).where('actual_start_date', 'is not', null).where('deleted_at', 'is', null).where('parent_id', 'is', null)
      .where('actual_production_date', producing ? 'is not' : 'is', null).orderBy('id').limit(limit).execute();
  }

  /** Demo: inserts many records at once; returns their ids in order. Every row carries the same columns (a multi-row insert fills gaps with NULL, not the default). */
  async insertMany(rows: Insertable<AttractionLeadTable>[]): Promise<number[]> {
    if (rows.length === 0) return [];
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const full = rows.map((r) => Object.fromEntries(keys.map((k) => [k, (r as Record<string, unknown>)[k] ?? null])) as Insertable<AttractionLeadTable>);
    return (await this.db.insertInto('attraction_leads').values(full).returning('id').execute()).map((r) => r.id);
  }

  async countLeads(): Promise<number> {
    const r = await this.db.selectFrom('attraction_leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Demo: follow-ups in one statement. */
  async insertFollowups(rows: { lead_id: number; on_date: string; content: string; user_id: number | null; created_at: string }[]): Promise<void> {
    if (rows.length) await this.db.insertInto('attraction_followups').values(rows).execute();
  }

  /** Demo: status-log rows in one statement (the platform's recordMove writes one at a time). */
  async insertMoves(rows: { entity_type: string; entity_id: number; from_status: string | null; to_status: string; action: string; reason: string | null; actor_id: number | null; at: string }[]): Promise<void> {
    if (rows.length) await this.db.insertInto('status_log').values(rows).execute();
  }
}
