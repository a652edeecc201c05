import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { AnnualPlanTable, ProjectTable } from '../../db/schema.ts';
import type { DataScope } from '../../context.ts';
import { withinScope } from '../projects/project.repository.ts';

// Bind-parameter budgets: SQLite allows 32766 per statement, PostgreSQL 65535.
const ID_CHUNK = 1000;
const ROW_PARAM_BUDGET = 30_000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** All SQL of workbook imports. */
export class ImportRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  listRegions() {
    return this.db.selectFrom('regions').select(['code', 'name', 'path']).execute();
  }

  listUnits() {
    return this.db.selectFrom('units').select(['id', 'name', 'short_name', 'region_code', 'path']).where('deleted_at', 'is', null).execute();
  }

  /** The matching keys of every live project: code, folded name (search_text's first part) and region. */
  listProjectKeys() {
    return this.db.selectFrom('projects').select(['id', 'code', 'search_text', 'region_code']).where('deleted_at', 'is', null).execute();
  }

  /** Which of these project ids the scope may touch. */
  async listIdsInScope(ids: number[], scope: DataScope): Promise<Set<number>> {
    const out = new Set<number>();
    if (scope.all) return new Set(ids);
    for (const part of chunks(ids, ID_CHUNK)) {
      const rows = await withinScope(this.db.selectFrom('projects').select('projects.id'), scope).where('projects.id', 'in', part).execute();
      for (const r of rows) out.add(r.id);
    }
    return out;
  }

  async listProjects(ids: number[]) {
    const out = [];
    for (const part of chunks(ids, ID_CHUNK)) out.push(...(await this.db.selectFrom('projects').selectAll().where('id', 'in', part).execute()));
    return out;
  }

  async listPlans(projectIds: number[], year: number) {
    const out = [];
    for (const part of chunks(projectIds, ID_CHUNK)) {
      out.push(...(await this.db.selectFrom('annual_plans').selectAll().where('year', '=', year).where('project_id', 'in', part).execute()));
    }
    return out;
  }

  /** Inserts projects in batches; returns each new id with the keys it was inserted under. */
  async insertProjects(rows: Insertable<ProjectTable>[]) {
    const out: { id: number; search_text: string; region_code: string }[] = [];
    if (!rows.length) return out;
    const width = Math.max(...rows.map((r) => Object.keys(r).length));
    for (const part of chunks(rows, Math.max(1, Math.floor(ROW_PARAM_BUDGET / width)))) {
      out.push(...(await this.db.insertInto('projects').values(part).returning(['id', 'search_text', 'region_code']).execute()));
    }
    return out;
  }

  /** Updates one project if its version is unchanged; false when someone else changed it meanwhile. */
  async updateProject(id: number, version: number, patch: Updateable<ProjectTable>): Promise<boolean> {
    const r = await this.db.updateTable('projects').set({ ...patch, version: version + 1 })
      .where('id', '=', id).where('version', '=', version).where('deleted_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async insertPlans(rows: Insertable<AnnualPlanTable>[]): Promise<void> {
    if (!rows.length) return;
    const width = Math.max(...rows.map((r) => Object.keys(r).length));
    for (const part of chunks(rows, Math.max(1, Math.floor(ROW_PARAM_BUDGET / width)))) {
      await this.db.insertInto('annual_plans').values(part).execute();
    }
  }

  async updatePlan(id: number, version: number, patch: Updateable<AnnualPlanTable>): Promise<boolean> {
    const r = await this.db.updateTable('annual_plans').set({ ...patch, version: version + 1 })
      .where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
