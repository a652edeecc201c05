import { describe, expect, it } from 'vitest';
import { addWorkingDays, calendarOf, CHINA_2026 } from '../calendar.ts';
import { anchorOf, orderNodes, scheduleNodes, ScheduleError, type ScheduleNode } from './schedule.ts';
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

  describe('the target anchors a node: before it backwards, after it forwards', () => {
    const tpl: ScheduleNode[] = DEFAULT_NODE_TEMPLATE.map((n, i) => ({ id: i + 1, name: n.name, durationDays: n.durationDays, predecessors: n.predecessors.map((p) => p + 1) }));
    const id = (name: string) => tpl.find((n) => n.name === name)!.id;

    it('计划开工 anchors 开工, 计划竣工 竣工验收, 计划投产 投产; another label or a plan without the node anchors nothing', () => {
      expect(anchorOf(tpl, '计划开工', null)).toBe(id('开工'));
      expect(anchorOf(tpl, '计划竣工', null)).toBe(id('竣工验收'));
      expect(anchorOf(tpl, '计划投产', null)).toBe(id('投产'));
      expect(anchorOf(tpl, '计划开工', id('施工许可'))).toBe(id('施工许可'));
      expect(anchorOf(tpl, '计划开工', 999)).toBe(id('开工'));
      expect(anchorOf(tpl.filter((n) => n.name !== '开工'), '计划开工', null)).toBeNull();
      expect(anchorOf(tpl, '签约', null)).toBeNull();
    });

    it('a 计划开工 of Monday 12 October 2026: 开工 on it, 施工许可 the 10 working days before it, 主体完工 from the 13th on', () => {
      const d = scheduleNodes(tpl, { targetOn: '2026-10-12', startOn: null, anchorId: id('开工') }, cal);
      expect(d.get(id('开工'))).toMatchObject({ latestStart: '2026-10-12', latestFinish: '2026-10-12' });
      // 10 working days back from Saturday 10 October (a 调休 working day) over 国庆 and 中秋: 9-21 … 10-10.
      expect(d.get(id('施工许可'))).toMatchObject({ latestStart: '2026-09-21', latestFinish: '2026-10-10' });
      // After the anchor: 120 working days from Tuesday 13 October, then 竣工验收 and 投产 follow on.
      const main = d.get(id('主体完工'))!;
      expect(main.latestStart).toBe('2026-10-13');
      expect(main.latestFinish).toBe(addWorkingDays('2026-10-13', 119, cal));
      expect(d.get(id('竣工验收'))!.latestStart).toBe(addWorkingDays(main.latestFinish!, 1, cal));
      expect(d.get(id('投产'))!.latestFinish).toBe(addWorkingDays(d.get(id('竣工验收'))!.latestFinish!, 10, cal));
      // Without the anchor the same date is 投产's and 开工 falls 150 working days earlier.
      const old = scheduleNodes(tpl, { targetOn: '2026-10-12', startOn: null }, cal);
      expect(old.get(id('投产'))!.latestFinish).toBe('2026-10-12');
      expect(old.get(id('开工'))!.latestFinish! < '2026-06-01').toBe(true);
    });

    it('a side node that waits for nothing before the anchor is counted backwards from its successor', () => {
      const side: ScheduleNode[] = [
        { id: 1, name: '开工', durationDays: 1, predecessors: [] },
        { id: 2, name: '设备采购', durationDays: 5, predecessors: [] },
        { id: 3, name: '安装', durationDays: 3, predecessors: [1, 2] },
      ];
      const d = scheduleNodes(side, { targetOn: '2026-11-02', startOn: null, anchorId: 1 }, cal);
      expect(d.get(1)).toMatchObject({ latestStart: '2026-11-02', latestFinish: '2026-11-02' });
      expect(d.get(3)).toMatchObject({ latestStart: '2026-11-03', latestFinish: '2026-11-05' });
      expect(d.get(2)).toMatchObject({ latestStart: '2026-10-27', latestFinish: '2026-11-02' });
    });
  });
});
