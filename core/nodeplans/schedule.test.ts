import { describe, expect, it } from 'vitest';
import { calendarOf, CHINA_2026 } from '../calendar.ts';
import { orderNodes, scheduleNodes, ScheduleError, type ScheduleNode } from './schedule.ts';
import { DEFAULT_NODE_TEMPLATE } from './template.ts';

const cal = calendarOf(CHINA_2026);
// 报批 A (3 days) and 招标 B (5 days) run side by side, both before 许可 C (2 days), then 开工 D (1 day).
const nodes: ScheduleNode[] = [
  { id: 1, name: '报批', durationDays: 3, predecessors: [] },
  { id: 2, name: '招标', durationDays: 5, predecessors: [] },
  { id: 3, name: '许可', durationDays: 2, predecessors: [1, 2] },
  { id: 4, name: '开工', durationDays: 1, predecessors: [3] },
];

describe('倒排工期 on the working-day calendar', () => {
  it('counts backwards across 国庆 2026 (10-01..07 off, Saturday 10-10 worked) and 中秋 (09-25..27 off)', () => {
    const d = scheduleNodes(nodes, { targetOn: '2026-10-12', startOn: null }, cal);
    expect(d.get(4)).toMatchObject({ latestStart: '2026-10-12', latestFinish: '2026-10-12' });
    expect(d.get(3)).toMatchObject({ latestStart: '2026-10-09', latestFinish: '2026-10-10' });
    expect(d.get(1)).toMatchObject({ latestStart: '2026-09-29', latestFinish: '2026-10-08' });
    expect(d.get(2)).toMatchObject({ latestStart: '2026-09-24', latestFinish: '2026-10-08' });
  });

  it('a target on a day off means the working day before it', () => {
    expect(scheduleNodes(nodes, { targetOn: '2026-10-04', startOn: null }, cal).get(4)!.latestFinish).toBe('2026-09-30');
  });

  it('counts forwards from a start, waiting for the longest parallel branch, and takes an actual completion instead of the plan', () => {
    const d = scheduleNodes(nodes, { targetOn: null, startOn: '2026-09-26' }, cal);
    expect(d.get(1)).toMatchObject({ plannedStart: '2026-09-28', plannedFinish: '2026-09-30' });
    expect(d.get(2)).toMatchObject({ plannedStart: '2026-09-28', plannedFinish: '2026-10-09' });
    expect(d.get(3)).toMatchObject({ plannedStart: '2026-10-10', plannedFinish: '2026-10-12' });
    const done = scheduleNodes(nodes.map((n) => (n.id === 2 ? { ...n, completedOn: '2026-09-29' } : n)), { targetOn: null, startOn: '2026-09-26' }, cal);
    expect(done.get(3)!.plannedStart).toBe('2026-10-08');
  });

  it('refuses a cycle naming its nodes', () => {
    const cyclic = nodes.map((n) => (n.id === 1 ? { ...n, predecessors: [4] } : n));
    expect(() => orderNodes(cyclic)).toThrow(ScheduleError);
    expect(() => orderNodes(cyclic)).toThrow('前置关系形成循环：报批 → 许可 → 开工 → 报批');
  });

  it('the default template is a plan without cycles', () => {
    const tpl = DEFAULT_NODE_TEMPLATE.map((n, i) => ({ id: i + 1, name: n.name, durationDays: n.durationDays, predecessors: n.predecessors.map((p) => p + 1) }));
    expect(orderNodes(tpl)).toHaveLength(DEFAULT_NODE_TEMPLATE.length);
  });
});
