import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scheme } from '../../../core/evaluation/scheme.ts';
import { createDeps } from '../../deps.ts';
import type { Actor } from '../../platform/context.ts';
import { systemActor } from '../../platform/context.ts';
import { createTestApp } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { createProblemService, problemFigures } from '../problems/index.ts';
import { createEvaluationService, type SnapshotBody } from './index.ts';

/**
 * The problems sources of evaluation (问题按期办结率, 问题办结率, 问题办理满意率) on real data, worked by hand. Every
 * move runs through the problem service at a chosen instant (its clock), so the dates it records are China's:
 *
 * 区自然资源局 (用地): A1 answered at 23:30 China time on its 办结时限 (on time), A2 at 00:30 the day after (late),
 *   A3 answered on time but visited 不满意 (重办, still open), A4 never routed. Accepted 3, closed 2 (A1, A2):
 *   办结率 2/3 = 66.67, 按期办结率 1/2 = 50, 满意率 (A1 满意, A2 基本满意, A3 不满意) 2/3 = 66.67.
 * 区住建局 (水电气): B1 answered at 23:59:59 on its 时限, 满意 and closed; B2 received at 00:30 on 1 January China
 *   time (16:30 UTC on 31 December) and routed; B0 received at 23:30 on 31 December China time belongs to the year
 *   before. Accepted 2 (B1, B2), closed 1: 办结率 50, 按期办结率 100, 满意率 100.
 */
describe.each(DIALECTS)('evaluation problem sources with real problems on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let now = '2025-03-03T02:00:00.000Z';
  const ids: Record<string, number> = {};
  let office: Actor, leader: Actor;
  let deps: ReturnType<typeof createDeps>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    deps = createDeps(t.db, { clock: { now: () => new Date(now) } });
    await buildRegions(t.db);
    const root = await buildUnit(t.db, { name: '吴中区发改局（问题来源测试）', kind: 'office', regionCode: '320506' });
    ids.land = (await buildUnit(t.db, { name: '区自然资源局', parentId: root.id, regionCode: '320506' })).id;
    ids.build = (await buildUnit(t.db, { name: '区住建局', parentId: root.id, regionCode: '320506' })).id;
    const all = { all: true, unitPaths: [], regionPaths: [] };
    office = { userId: await buildUser(t.db, { username: 'src_office', role: 'office', unitId: root.id }), username: 'src_office', displayName: '办公室', role: 'office', unitId: root.id, scope: all };
    leader = { userId: await buildUser(t.db, { username: 'src_leader', role: 'leader', unitId: root.id }), username: 'src_leader', displayName: '领导', role: 'leader', unitId: root.id, scope: all };
    const svc = createProblemService(deps);
    await svc.putCategory(office, { code: 'land', name: '用地', owner_unit_id: ids.land, sort: 1 });
    await svc.putCategory(office, { code: 'utilities', name: '水电气', owner_unit_id: ids.build, sort: 2 });

    const raise = (key: string, category: string) => svc.raise(office, { title: `来源测试${key}`, description: `来源测试${key}的情况`, source: 'meeting', category_code: category, level: 'county', is_major: false, co_unit_ids: [] }).then((id) => { ids[key] = id; });
    const step = async (key: string, actor: Actor, action: string, body: { reply?: string; reason?: string; result?: 'satisfied' | 'basic' | 'unsatisfied' } = {}) => {
      const p = await svc.get(actor, ids[key]!);
      return svc.act(actor, ids[key]!, action, { version: p.version, ...body });
    };
    // The turn of the year, China time.
    now = '2024-12-31T15:30:00.000Z';
    await raise('B0', 'utilities');
    await step('B0', office, 'assign');
    now = '2024-12-31T16:30:00.000Z';
    await raise('B2', 'utilities');
    await step('B2', office, 'assign');
    // March: raised, routed and signed on Monday 3 March.
    now = '2025-03-03T02:00:00.000Z';
    for (const k of ['A1', 'A2', 'A3', 'A4']) await raise(k, 'land');
    await raise('B1', 'utilities');
    for (const k of ['A1', 'A2', 'A3', 'B1']) {
      await step(k, office, 'assign');
      await step(k, office, 'sign');
    }
    const due = (await svc.get(office, ids.A1!)).solve_due!;
    expect((await svc.get(office, ids.B1!)).solve_due).toBe(due);
    now = `${due}T10:00:00.000Z`;
    await step('A3', office, 'reply', { reply: '已答复' });
    now = `${due}T15:30:00.000Z`; // 23:30 China time on the deadline day
    await step('A1', office, 'reply', { reply: '已答复' });
    now = `${due}T15:59:59.000Z`; // 23:59:59 China time
    await step('B1', office, 'reply', { reply: '已答复' });
    now = `${due}T16:30:00.000Z`; // 00:30 China time the next day
    const late = await step('A2', office, 'reply', { reply: '已答复' });
    expect(late.replied_on! > due).toBe(true);
    now = '2025-04-01T02:00:00.000Z';
    await step('A1', leader, 'visit', { result: 'satisfied' });
    await step('A2', leader, 'visit', { result: 'basic' });
    await step('A3', leader, 'visit', { result: 'unsatisfied', reason: '尚未解决' });
    await step('B1', leader, 'visit', { result: 'satisfied' });
    for (const k of ['A1', 'A2', 'B1']) await step(k, office, 'close');
  });
  afterAll(async () => t?.close());

  it('counts the figures per owning department by China dates', async () => {
    now = '2026-01-10T02:00:00.000Z';
    const f = await problemFigures(deps, systemActor(), 2025, 'department');
    const land = f.groups.find((g) => g.key === String(ids.land))!.figures;
    expect(land).toMatchObject({ total: 4, accepted: 3, closed: 2, visited: 3 });
    expect(land.closed_rate).toMatchObject({ numerator: 2, denominator: 3, text: '66.7' });
    expect(land.on_time_rate).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    expect(land.satisfied_rate).toMatchObject({ numerator: 2, denominator: 3, text: '66.7' });
    const build = f.groups.find((g) => g.key === String(ids.build))!.figures;
    expect(build).toMatchObject({ total: 2, accepted: 2, closed: 1, visited: 1 });
    expect(build.on_time_rate).toMatchObject({ numerator: 1, denominator: 1 });
    expect(build.closed_rate).toMatchObject({ numerator: 1, denominator: 2 });
    // B0 belongs to 2024.
    expect((await problemFigures(deps, systemActor(), 2024, 'department')).total).toMatchObject({ total: 1, accepted: 1 });
  });

  it('gives evaluation 问题按期办结率, 问题办结率 and 问题办理满意率 per department', async () => {
    now = '2026-01-10T02:00:00.000Z';
    const scheme: Scheme = {
      name: '问题来源测试方案', nodes: [
        { key: 'on_time', name: '问题按期办结率', source: 'problem_on_time_rate', rule: { kind: 'threshold', op: '>=', threshold: 90, pass: 5, fail: 0 } },
        { key: 'closed', name: '问题办结率', source: 'problem_closed_rate', rule: { kind: 'threshold', op: '>=', threshold: 60, pass: 5, fail: 0 } },
        { key: 'satisfied', name: '问题办理满意率', source: 'problem_satisfaction', rule: { kind: 'threshold', op: '>=', threshold: 80, pass: 5, fail: 0 } },
      ],
    };
    const r = await createEvaluationService(deps).preview({ year: 2025, month: 12, scheme });
    expect(r.problems).toEqual([]);
    const body = r.result as SnapshotBody;
    const line = (unit: string, leaf: string) => body.units.find((u) => u.name === unit)!.nodes[leaf]!;
    expect(line('区自然资源局', 'on_time')).toMatchObject({ value_text: '50', score_text: '0.0' });
    expect(line('区自然资源局', 'closed')).toMatchObject({ value_text: '66.67', score_text: '5.0' });
    expect(line('区自然资源局', 'satisfied')).toMatchObject({ value_text: '66.67', score_text: '0.0' });
    expect(line('区住建局', 'on_time')).toMatchObject({ value_text: '100', score_text: '5.0' });
    expect(line('区住建局', 'closed')).toMatchObject({ value_text: '50', score_text: '0.0' });
    expect(line('区住建局', 'satisfied')).toMatchObject({ value_text: '100', score_text: '5.0' });
  });
});
