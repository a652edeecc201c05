import type { Insertable, Kysely } from 'kysely';
import type { Executor } from '../server/db/database.ts';
import type { AnnualPlanTable, DB } from '../server/db/schema.ts';
import type { ReportStatus } from '../core/monthly-report.ts';
import { IndicatorService } from '../server/modules/indicators/index.ts';
import { clock } from '../server/clock.ts';

const now = () => clock.now().toISOString();

/** An annual plan for a project and year; any column can be overridden. */
export async function buildPlan(db: Executor, attrs: Partial<Insertable<AnnualPlanTable>> & { project_id: number; year: number }): Promise<void> {
  await db.insertInto('annual_plans').values({ planned_investment: 0, created_at: now(), updated_at: now(), ...attrs }).execute();
}

/**
 * A monthly report written directly (the reporting module's CRUD is not needed to test indicators), followed by
 * the rollup hook exactly as the reporting code calls it.
 */
export async function buildReport(db: Kysely<DB>, attrs: { project_id: number; year: number; month: number; amount_ytd: number; status?: ReportStatus }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('monthly_reports').values({ status: 'submitted', created_at: now(), updated_at: now(), ...attrs })
      .onConflict((oc) => oc.columns(['project_id', 'year', 'month']).doUpdateSet({ amount_ytd: attrs.amount_ytd, status: attrs.status ?? 'submitted' }))
      .execute();
    await IndicatorService.refreshProject(trx, attrs.project_id, attrs.year);
  });
}
