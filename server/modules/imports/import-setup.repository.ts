import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { MonthlyReportTable } from '../../db/schema.ts';

/** SQL of what a first import creates besides projects: missing units, custom areas, imported progress. */
export class ImportSetupRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** Inserts a unit under a parent (or at the top) and sets its materialized path; returns its id. */
  async insertUnit(unit: { name: string; kind: string; parentId: number | null; regionCode: string | null; sort: number }, now: string): Promise<number> {
    const parent = unit.parentId !== null ? await this.db.selectFrom('units').select('path').where('id', '=', unit.parentId).executeTakeFirst() : undefined;
    const { id } = await this.db.insertInto('units').values({
      name: unit.name, parent_id: parent ? unit.parentId : null, region_code: unit.regionCode, kind: unit.kind, path: '/', sort: unit.sort, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await this.db.updateTable('units').set({ path: `${parent?.path ?? '/'}${id}/` }).where('id', '=', id).execute();
    return id;
  }

  /** Every live unit with the fields a unit list may fill in. */
  listUnitDetails() {
    return this.db.selectFrom('units').select(['id', 'name', 'short_name', 'kind', 'region_code', 'parent_id', 'path', 'contact_name', 'contact_phone'])
      .where('deleted_at', 'is', null).execute();
  }

  async updateUnitDetails(id: number, patch: { short_name?: string | null; kind?: string; region_code?: string | null; contact_name?: string | null; contact_phone?: string | null }): Promise<void> {
    if (Object.keys(patch).length) await this.db.updateTable('units').set(patch).where('id', '=', id).execute();
  }

  /** A custom area (开发区/园区) under a region, coded '<parent>Z01', 'Z02'…; returns its code. */
  async insertCustomArea(parent: { code: string; level: number; path: string }, name: string): Promise<string> {
    const used = new Set(await this.listCustomChildCodes(parent.code));
    let n = 1;
    while (used.has(`${parent.code}Z${String(n).padStart(2, '0')}`)) n++;
    const code = `${parent.code}Z${String(n).padStart(2, '0')}`;
    await this.insertArea({ code, name, parent_code: parent.code, level: parent.level + 1, path: `${parent.path}${code}/` });
    return code;
  }

  async listCustomChildCodes(parentCode: string): Promise<string[]> {
    const rows = await this.db.selectFrom('regions').select('code').where('parent_code', '=', parentCode).where('is_custom', '=', 1).execute();
    return rows.map((r) => r.code);
  }

  findRegion(code: string) {
    return this.db.selectFrom('regions').select(['code', 'name', 'level', 'path']).where('code', '=', code).executeTakeFirst();
  }

  async insertArea(row: { code: string; name: string; parent_code: string; level: number; path: string }): Promise<void> {
    await this.db.insertInto('regions').values({ ...row, is_custom: 1 }).execute();
  }

  /** The reports of these projects in a year, for the cumulative before month N and the report of month N. */
  listReports(projectIds: readonly number[], year: number) {
    if (!projectIds.length) return Promise.resolve([]);
    return this.db.selectFrom('monthly_reports').select(['id', 'project_id', 'month', 'amount_ytd', 'progress_text', 'status', 'source', 'version'])
      .where('year', '=', year).where('project_id', 'in', projectIds).execute();
  }

  async insertReports(rows: Insertable<MonthlyReportTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await this.db.insertInto('monthly_reports').values(rows.slice(i, i + 500)).execute();
  }

  async updateReport(id: number, patch: { amount_month: number; amount_ytd: number; amount_since_start: number; progress_text: string | null; source: string; updated_at: string }): Promise<void> {
    await this.db.updateTable('monthly_reports').set((eb) => ({ ...patch, version: eb('version', '+', 1) })).where('id', '=', id).execute();
  }

  /** Completed-before-year of the plans, by project. */
  async listCompletedBefore(projectIds: readonly number[], year: number): Promise<Map<number, number>> {
    if (!projectIds.length) return new Map();
    const rows = await this.db.selectFrom('annual_plans').select(['project_id', 'completed_before_year']).where('year', '=', year).where('project_id', 'in', projectIds).execute();
    return new Map(rows.map((r) => [r.project_id, Number(r.completed_before_year)]));
  }
}
