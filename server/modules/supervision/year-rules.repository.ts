// All SQL of the escalation rules per year (督办规则按年度, issue 17): the stored years and the re-arming of open
// matters' deadlines when a year's rules change.
import type { Executor } from '../../db/database.ts';

export interface YearRulesRow { year: number; rules: string; version: number; updated_at: string; updated_by: number | null }

export class YearRulesRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** The year's own rules, or undefined. */
  async find(year: number): Promise<YearRulesRow | undefined> {
    return this.db.selectFrom('supervision_year_rules').selectAll().where('year', '=', year).executeTakeFirst();
  }

  /** The rules of the latest year at or before `year` that has its own (what a year without its own follows). */
  async findAtOrBefore(year: number): Promise<YearRulesRow | undefined> {
    return this.db.selectFrom('supervision_year_rules').selectAll().where('year', '<=', year).orderBy('year', 'desc').limit(1).executeTakeFirst();
  }

  /** The years that have rules of their own, oldest first. */
  async years(): Promise<number[]> {
    return (await this.db.selectFrom('supervision_year_rules').select('year').orderBy('year').execute()).map((r) => Number(r.year));
  }

  /** Stores a year's first rules; false when another save created them first. */
  async insert(row: YearRulesRow): Promise<boolean> {
    const r = await this.db.insertInto('supervision_year_rules').values(row).onConflict((oc) => oc.column('year').doNothing()).returning('year').executeTakeFirst();
    return r !== undefined;
  }

  /** Replaces a year's rules if still at `version` (moving it on); false when another save came first. */
  async updateIfVersion(year: number, version: number, values: { rules: string; updated_at: string; updated_by: number | null }): Promise<boolean> {
    const r = await this.db.updateTable('supervision_year_rules').set({ ...values, version: version + 1 }).where('year', '=', year).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The years of matters that have an open deadline (the ones a change of rules may concern). */
  async yearsWithOpenDeadlines(): Promise<number[]> {
    const rows = await this.db.selectFrom('matters').select('matters.year').distinct()
      .where((eb) => eb.exists(eb.selectFrom('deadlines').select('deadlines.id').where('deadlines.entity_type', '=', 'matter').whereRef('deadlines.entity_id', '=', 'matters.id').where('deadlines.status', '=', 'open')))
      .orderBy('matters.year').execute();
    return rows.map((r) => Number(r.year));
  }

  /**
   * Gives the open deadlines of one kind of a year's matters the ladder of that year's rules: the escalation job
   * then takes the steps of the rules in force. Steps already taken for the current due date stay taken.
   */
  async rearm(year: number, kind: 'complete' | 'feedback', ladder: string, at: string): Promise<number> {
    const r = await this.db.updateTable('deadlines').set({ ladder, updated_at: at })
      .where('entity_type', '=', 'matter').where('kind', '=', kind).where('status', '=', 'open').where('ladder', '<>', ladder)
      .where('entity_id', 'in', (eb) => eb.selectFrom('matters').select('matters.id').where('matters.year', '=', year)).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
