import type { Scheme } from '../../../core/evaluation/scheme.ts';
import { systemActor, type Deps } from '../../platform/context.ts';
import { EvaluationRepository } from './evaluation.repository.ts';
import { EvaluationService } from './evaluation.service.ts';

/**
 * The demo year's scheme: the shape of a published municipal practice — rank bands on the completion rate ("1–5名
 * 依次60/57/54/51/48分"), the gap to time progress scored linearly with a gentler slope above than below, starts
 * against plan with a threshold, −3 per project that missed its planned start (at most 15), and a veto entered by
 * hand (安全生产一票否决).
 */
export const DEMO_SCHEME: Scheme = {
  name: '重点项目建设月度考评办法（演示）', advanced_count: 3, lagging_count: 3,
  nodes: [
    {
      key: 'invest', name: '投资进度', max: 80, children: [
        { key: 'completion', name: '投资完成率排名', source: 'completion_rate', rule: { kind: 'rank_bands', points: [60, 57, 54, 51, 48], rest: 45, order: 'desc' } },
        { key: 'gap', name: '与序时进度差', source: 'gap_points', rule: { kind: 'linear', base: 15, target: 0, per_above: 0.25, per_below: 0.5, min: 0, max: 20 } },
      ],
    },
    {
      key: 'start', name: '项目开工', children: [
        { key: 'start_rate', name: '开工率（截至本月计划）', source: 'start_rate_to_date', rule: { kind: 'threshold', op: '>=', threshold: 80, pass: 20, fail: 10 } },
        { key: 'overdue', name: '逾期未开工', source: 'overdue_starts', rule: { kind: 'count', per: -3, cap: 15 } },
      ],
    },
    { key: 'safety', name: '安全生产', source: 'manual', rule: { kind: 'veto' } },
  ],
};

/**
 * Seeds evaluation for the demo: the scheme adopted, the month before last computed, the last completed month
 * computed, through its objection window and published (so the 讲评 page shows changes against last month).
 * Cheap: two computations over the demo portfolio.
 */
export async function seedEvaluationDemo(deps: Deps, year: number, months: number, asOf: string): Promise<void> {
  if (months < 1) return;
  const service = new EvaluationService(deps, (db) => new EvaluationRepository(db));
  const actor = systemActor();
  const scheme = await service.createScheme(actor, { year, scheme: DEMO_SCHEME });
  await service.adoptScheme(actor, scheme.id);
  if (months > 1) await service.computeSnapshot(actor, year, months - 1);
  await service.computeSnapshot(actor, year, months);
  await service.openObjections(actor, year, months, asOf);
  await service.publish(actor, year, months);
}
