import { sql, type Insertable, type Updateable } from 'kysely';
import { dialectOf } from '../../db/dialect.ts';
import type { Executor } from '../../db/database.ts';
import type { AnnualPlanTable, ProjectTable } from '../../db/schema.ts';
import type { DataScope } from '../../context.ts';
import { withinScope } from '../../platform/project-filter.ts';

// Bind-parameter budgets: SQLite allows 32766 per statement, PostgreSQL 65535.
const ID_CHUNK = 1000;
const ROW_PARAM_BUDGET = 30_000;

/** A live project's matching keys: code, folded name, region, unit and its place in a package. */
export interface ProjectKey {
  id: number;
  code: string | null;
  name_key: string;
  region_code: string;
  unit_id: number;
  parent_id: number | null;
  is_package: number;
}

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
    return this.db.selectFrom('regions').select(['code', 'name', 'path', 'parent_code', 'level']).execute();
  }

  /** Regions of these names (index regions_name). */
  async listRegionsNamed(names: readonly string[]) {
    if (!names.length) return [];
    return this.db.selectFrom('regions').select(['code', 'name', 'path', 'parent_code', 'level']).where('name', 'in', [...names]).execute();
  }

  /** Regions of these codes (primary key). */
  async listRegionsByCode(codes: readonly string[]) {
    if (!codes.length) return [];
    return this.db.selectFrom('regions').select(['code', 'name', 'path', 'parent_code', 'level']).where('code', 'in', [...codes]).execute();
  }

  listUnits() {
    return this.db.selectFrom('units').select(['id', 'name', 'short_name', 'region_code', 'path']).where('deleted_at', 'is', null).execute();
  }

  /**
   * The folded name (search_text's first part, see core/search.ts): the same expression as the projects_name_key
   * index of each engine, so that the lookup below is an index probe, not a scan of the portfolio.
   */
  private nameKey() {
    return dialectOf(this.db) === 'postgres' ? sql<string>`split_part(search_text, '|', 1)` : sql<string>`substr(search_text, 1, instr(search_text, '|') - 1)`;
  }

  /**
   * The matching keys of the live projects that carry one of these codes or folded names: only what the file names
   * is read, so the cost follows the file, not the size of the portfolio. With a scope, only projects within it: a project
   * outside the actor's scope must look exactly like a missing one (no existence leak).
   */
  async listProjectKeys(codes: string[], nameKeys: string[], scope?: DataScope): Promise<ProjectKey[]> {
    const byId = new Map<number, ProjectKey>();
    const columns = ['id', 'code', 'region_code', 'unit_id', 'parent_id', 'is_package'] as const;
    const base = () => {
      const qb = this.db.selectFrom('projects').select(columns).where('deleted_at', 'is', null);
      return scope ? withinScope(qb, scope) : qb;
    };
    for (const part of chunks(codes, ID_CHUNK)) {
      const rows = await base().select(this.nameKey().as('name_key'))
        .where('code', 'in', part).execute();
      for (const r of rows) byId.set(r.id, r);
    }
    const key = this.nameKey();
    for (const part of chunks(nameKeys, ID_CHUNK)) {
      const rows = await base().select(key.as('name_key')).where(key, 'in', part).execute();
      for (const r of rows) byId.set(r.id, r);
    }
    return [...byId.values()];
  }

  /**
   * Refreshes SQLite's planner statistics where the row counts moved far since they were taken (PRAGMA optimize
   * with its sampled ANALYZE; a no-op when they are current). Statistics taken when the tables were small make
   * SQLite scan 100k projects for every chunk of the lookups below (measured: 115 ms a chunk, 13 s an import)
   * instead of probing the index. PostgreSQL's autovacuum keeps its own statistics.
   */
  async refreshPlannerStatistics(): Promise<void> {
    if (dialectOf(this.db) !== 'postgres') await sql`PRAGMA optimize=0x10002`.execute(this.db);
  }

  /** The levels of these projects. */
  async listLevels(projectIds: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    for (const part of chunks(projectIds, ID_CHUNK)) {
      const rows = await this.db.selectFrom('project_levels').select(['project_id', 'level']).where('project_id', 'in', part).execute();
      for (const r of rows) {
        const list = out.get(r.project_id);
        if (list) list.push(r.level);
        else out.set(r.project_id, [r.level]);
      }
    }
    return out;
  }

  /** Replaces the level sets of these projects. */
  async replaceLevels(sets: { projectId: number; levels: readonly string[] }[]): Promise<void> {
    for (const part of chunks(sets, ID_CHUNK)) {
      await this.db.deleteFrom('project_levels').where('project_id', 'in', part.map((s) => s.projectId)).execute();
      const rows = part.flatMap((s) => [...new Set(s.levels)].map((level) => ({ project_id: s.projectId, level })));
      for (const rowsPart of chunks(rows, ROW_PARAM_BUDGET / 2)) await this.db.insertInto('project_levels').values(rowsPart).execute();
    }
  }

  /** Marks projects as packages (they have sub-items). A derived flag: the version does not change. */
  async markPackages(ids: number[]): Promise<void> {
    for (const part of chunks(ids, ID_CHUNK)) await this.db.updateTable('projects').set({ is_package: 1 }).where('id', 'in', part).execute();
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
    const out: { id: number; search_text: string; region_code: string; parent_id: number | null; code: string | null }[] = [];
    if (!rows.length) return out;
    const width = Math.max(...rows.map((r) => Object.keys(r).length));
    for (const part of chunks(rows, Math.max(1, Math.floor(ROW_PARAM_BUDGET / width)))) {
      out.push(...(await this.db.insertInto('projects').values(part).returning(['id', 'search_text', 'region_code', 'parent_id', 'code']).execute()));
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
