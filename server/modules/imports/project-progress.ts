// The progress to date a project list carries (1–N月累计完成投资, 形象进度), written as the period's approved monthly
// reports, marked with the file as their source, so the dashboard and indicators for 1–N月 are right the moment
// the import is applied. A report a unit filed itself for that month is never overwritten (reported instead).

import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { MonthlyReportTable } from '../../db/schema.ts';
import { IndicatorService } from '../indicators/index.ts';
import { ImportSetupRepository } from './import-setup.repository.ts';

export interface ProgressWrite {
  projectId: number;
  year: number;
  month: number;
  /** 1–N月 cumulative completed investment, yuan. */
  ytd: number | undefined;
  text: string | undefined;
  /** Where the row sits, for a message. */
  where: string;
}

/** Writes the imported progress; returns how many reports were created and updated and the rows it left alone. */
export async function writeImportedProgress(executor: Executor, writes: readonly ProgressWrite[], fileName: string, actorId: number, now: string):
Promise<{ created: number; updated: number; kept: string[] }> {
  const repo = new ImportSetupRepository(executor);
  const source = `import:${fileName}`.slice(0, 300);
  const out = { created: 0, updated: 0, kept: [] as string[] };
  const byYear = new Map<number, ProgressWrite[]>();
  for (const w of writes) {
    const list = byYear.get(w.year);
    if (list) list.push(w);
    else byYear.set(w.year, [w]);
  }
  for (const [year, list] of byYear) {
    const inserts: Insertable<MonthlyReportTable>[] = [];
    for (let i = 0; i < list.length; i += 1000) {
      const part = list.slice(i, i + 1000);
      const ids = part.map((w) => w.projectId);
      const [reports, before] = await Promise.all([repo.listReports(ids, year), repo.listCompletedBefore(ids, year)]);
      for (const w of part) {
        const mine = reports.filter((r) => r.project_id === w.projectId);
        const earlier = mine.filter((r) => r.month < w.month).sort((a, b) => b.month - a.month)[0];
        const same = mine.find((r) => r.month === w.month);
        const prevYtd = earlier ? Number(earlier.amount_ytd) : 0;
        const ytd = w.ytd ?? (same ? Number(same.amount_ytd) : prevYtd);
        const values = {
          amount_month: ytd - prevYtd, amount_ytd: ytd, amount_since_start: (before.get(w.projectId) ?? 0) + ytd,
          progress_text: w.text ?? (same?.progress_text ?? null), source, updated_at: now,
        };
        if (!same) {
          inserts.push({
            project_id: w.projectId, year, month: w.month, ...values, status: 'approved', submitted_at: now, submitted_by: actorId || null,
            reviewed_at: now, reviewed_by: actorId || null, first_submitted_at: now, created_at: now,
          });
        } else if (same.source?.startsWith('import:')) {
          if (Number(same.amount_ytd) !== ytd || (w.text !== undefined && w.text !== same.progress_text)) {
            await repo.updateReport(same.id, values);
            out.updated++;
          }
        } else {
          out.kept.push(w.where);
        }
      }
    }
    await repo.insertReports(inserts);
    out.created += inserts.length;
    // A year that begins with this list: its months before N are unknown, not zero (lights and trend say so).
    await IndicatorService.markRecordsFrom(executor, year, Math.min(...list.map((w) => w.month)), actorId || null);
    // The indicator rollup follows the reports: one project at a time for a few, rebuilt for the year beyond.
    // In id order: each refresh takes its project's lock, and concurrent writers take theirs in the same order.
    const touched = [...new Set(list.map((w) => w.projectId))].sort((a, b) => a - b);
    if (touched.length <= 200) for (const id of touched) await IndicatorService.refreshProject(executor, id, year);
    else await IndicatorService.rebuildAll(executor, year);
  }
  return out;
}
