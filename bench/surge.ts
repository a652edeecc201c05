import { performance } from 'node:perf_hooks';
import type { Request } from 'autocannon';
import { openDatabase } from '../server/db/database.ts';
import { hashPassword } from '../server/modules/users/index.ts';
import { DemoRepository } from '../server/modules/demo/index.ts';
import { login, writeHeaders, type Session } from './server.ts';
import type { ScenarioContext } from './scenarios.ts';

/** The prepared surge: autocannon's request pipeline and what it acknowledged. */
export interface SurgePlan {
  units: number;
  connections: number;
  requests: Request[];
  /** Ids of reports whose submission the server acknowledged with 200. */
  acknowledged: Set<number>;
  /** Milliseconds from sending the save to the submission's acknowledgement, per acknowledged submission. */
  submissionMs: number[];
  onExhausted(fn: () => void): void;
  /** How many acknowledged reports the database holds as submitted for the month. */
  countStored(): Promise<number>;
}

/**
 * Signs in a reporter for each of the busiest units (accounts created for the run) and queues their projects of
 * the open month, interleaved across units. Each autocannon connection repeats: save the report (PUT), submit it
 * with the version the save returned (POST).
 */
export async function prepareSurge(ctx: ScenarioContext, opts: { units: number; connections: number }): Promise<SurgePlan> {
  const year = ctx.year;
  const month = ctx.month + 1;
  const database = openDatabase({ dataDir: ctx.target.dataDir, databaseUrl: ctx.target.databaseUrl });
  const queue: { projectId: number; session: Session }[] = [];
  let unitCount = 0;
  try {
    const repo = new DemoRepository(database.db);
    const units = await repo.listBusiestUnits(year, opts.units);
    const hash = await hashPassword('Bench#2026');
    const perUnit: { projectId: number; session: Session }[][] = [];
    for (const unit of units) {
      const username = `bench_r_${unit.unit_id}`;
      await repo.insertUser({ username, displayName: `压测填报员 ${unit.unit_id}`, unitId: unit.unit_id, role: 'reporter', passwordHash: hash }, new Date().toISOString());
      const session = await login(ctx.server.base, username, 'Bench#2026');
      const ids = await repo.listPlannedProjectIds(year, unit.unit_id);
      perUnit.push(ids.map((projectId) => ({ projectId, session })));
    }
    unitCount = units.length;
    for (let i = 0; perUnit.some((l) => i < l.length); i++) for (const l of perUnit) if (i < l.length) queue.push(l[i]!);
  } finally {
    await database.destroy();
  }

  const acknowledged = new Set<number>();
  const submissionMs: number[] = [];
  let next = 0;
  let exhausted: () => void = () => {};
  let stopped = false;
  const requests: Request[] = [
    {
      method: 'PUT',
      setupRequest: (req, context) => {
        const item = queue[next++];
        context.report = null;
        context.item = item ?? null;
        context.started = performance.now();
        if (!item) {
          if (!stopped) {
            stopped = true;
            exhausted();
          }
          return { ...req, method: 'GET', path: '/api/v1/health', headers: {}, body: '' };
        }
        const amount = 10_000 * (1 + (item.projectId % 500));
        return {
          ...req, path: `/api/v1/projects/${item.projectId}/reports/${year}/${month}`, headers: writeHeaders(item.session),
          body: JSON.stringify({ amount_month: amount, progress_text: '主体结构施工', workers: 20 + (item.projectId % 80) }),
        };
      },
      onResponse: (status, body, context) => {
        if (status !== 200) return;
        const report = JSON.parse(body) as { id: number; version: number };
        const item = context.item as { session: Session } | null;
        context.report = item ? { id: report.id, version: report.version, session: item.session } : null;
      },
    },
    {
      method: 'POST',
      setupRequest: (req, context) => {
        const report = context.report as { id: number; version: number; session: Session } | null;
        if (!report?.session) return null as unknown as Request; // the save failed: start over with the next project
        return { ...req, path: `/api/v1/reports/${report.id}/submit`, headers: writeHeaders(report.session), body: JSON.stringify({ version: report.version }) };
      },
      onResponse: (status, body, context) => {
        if (status !== 200) return;
        acknowledged.add((JSON.parse(body) as { id: number }).id);
        submissionMs.push(performance.now() - (context.started as number));
      },
    },
  ];
  return {
    units: unitCount, connections: opts.connections, requests, acknowledged, submissionMs,
    onExhausted: (fn) => {
      exhausted = fn;
    },
    countStored: async () => {
      const db = openDatabase({ dataDir: ctx.target.dataDir, databaseUrl: ctx.target.databaseUrl });
      try {
        const ids = await new DemoRepository(db.db).listSubmittedReportIds(year, month);
        let found = 0;
        for (const id of ids) if (acknowledged.has(id)) found++;
        return found;
      } finally {
        await db.destroy();
      }
    },
  };
}
