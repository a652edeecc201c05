// 倒排工期: a node plan's dates on the office's working-day calendar. Each node takes `durationDays` working days
// (a node of 1 day starts and finishes the same day) and may start the working day after all its predecessors
// finish. From a target date (the finish of the anchor node — 开工 for 计划开工 — or of the last nodes) the nodes
// before the anchor get the latest start and finish that still meets the target and the nodes after it the dates
// that follow on; forwards from a start date (actual completions taking the place of planned
// ones) the earliest. Pure: the service loads the calendar and the nodes.
import { addWorkingDays, isWorkingDay, type WorkCalendar } from '../calendar.ts';

/** A node as the schedule sees it. */
export interface ScheduleNode {
  id: number;
  name: string;
  durationDays: number;
  predecessors: readonly number[];
  /** The day its responsible unit completed it, when it did. */
  completedOn?: string | null;
}

/** A node's computed dates (null where the plan has no target or start date). */
export interface NodeDates {
  latestStart: string | null;
  latestFinish: string | null;
  plannedStart: string | null;
  plannedFinish: string | null;
}

/** A refused plan (a cycle, an unknown predecessor), with a Chinese message. */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/**
 * The nodes in dependency order (every predecessor before its node). Throws ScheduleError naming the nodes of a
 * cycle ("前置关系形成循环：A → B → A") or an unknown predecessor.
 */
export function orderNodes(nodes: readonly ScheduleNode[]): ScheduleNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes) {
    for (const p of n.predecessors) {
      if (!byId.has(p)) throw new ScheduleError(`节点“${n.name}”的前置节点不存在`);
      if (p === n.id) throw new ScheduleError(`节点“${n.name}”不能以自身为前置节点`);
    }
  }
  const pending = new Map(nodes.map((n) => [n.id, new Set(n.predecessors).size]));
  const successors = new Map<number, number[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) for (const p of new Set(n.predecessors)) successors.get(p)!.push(n.id);
  const ready = nodes.filter((n) => pending.get(n.id) === 0).map((n) => n.id);
  const order: ScheduleNode[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(byId.get(id)!);
    for (const s of successors.get(id)!) {
      const left = pending.get(s)! - 1;
      pending.set(s, left);
      if (left === 0) ready.push(s);
    }
  }
  if (order.length < nodes.length) throw new ScheduleError(`前置关系形成循环：${cycleOf(nodes, new Set(order.map((n) => n.id))).join(' → ')}，请修改前置节点`);
  return order;
}

// Walks predecessors from a node left over by the ordering until a node repeats: that stretch is a cycle.
function cycleOf(nodes: readonly ScheduleNode[], ordered: ReadonlySet<number>): string[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let current = nodes.find((n) => !ordered.has(n.id))!;
  const path: ScheduleNode[] = [];
  const seen = new Map<number, number>();
  while (!seen.has(current.id)) {
    seen.set(current.id, path.length);
    path.push(current);
    current = byId.get(current.predecessors.find((p) => !ordered.has(p))!)!;
  }
  // Read along the dependencies (predecessor first), starting from the node listed first in the plan.
  const cycle = path.slice(seen.get(current.id)).reverse();
  const firstListed = cycle.reduce((best, n, i) => (nodes.indexOf(n) < nodes.indexOf(cycle[best]!) ? i : best), 0);
  const rotated = [...cycle.slice(firstListed), ...cycle.slice(0, firstListed)];
  return [...rotated, rotated[0]!].map((n) => n.name);
}

/** The working day on or before `day`. */
function onOrBefore(day: string, cal: WorkCalendar): string {
  return isWorkingDay(day, cal) ? day : addWorkingDays(day, -1, cal);
}

/** The working day on or after `day`. */
function onOrAfter(day: string, cal: WorkCalendar): string {
  return isWorkingDay(day, cal) ? day : addWorkingDays(day, 1, cal);
}

/**
 * The node a target date anchors when the plan names none: 计划开工 the 开工 node, 计划竣工 竣工验收, 计划投产 投产
 * (by name, the default template's; a label without one of these nodes anchors nothing: the last nodes finish on
 * the target).
 */
export const TARGET_ANCHOR_NAMES: Readonly<Record<string, readonly string[]>> = {
  计划开工: ['开工'],
  计划竣工: ['竣工验收', '竣工'],
  计划投产: ['投产'],
};

/** The anchor node of a plan: the one named when it is still in the plan, else the target label's node, else none. */
export function anchorOf(nodes: readonly Pick<ScheduleNode, 'id' | 'name'>[], targetLabel: string | null, anchorId: number | null): number | null {
  if (anchorId !== null && nodes.some((n) => n.id === anchorId)) return anchorId;
  for (const name of TARGET_ANCHOR_NAMES[targetLabel ?? ''] ?? []) {
    const found = nodes.find((n) => n.name.trim() === name);
    if (found) return found.id;
  }
  return null;
}

/**
 * Every node's dates: latest start/finish from `targetOn` (on it, or on the working day before when it is a day
 * off), planned start/finish forwards from `startOn`. With an anchor node the anchor finishes on the target, the
 * nodes it waits for (directly or not) are counted backwards from it and the others forwards from their
 * predecessors (a node that waits for nothing dated is counted backwards from its successors); without one the
 * last nodes finish on the target and everything is counted backwards. Throws ScheduleError on a cycle.
 */
export function scheduleNodes(nodes: readonly ScheduleNode[], opts: { targetOn: string | null; startOn: string | null; anchorId?: number | null }, cal: WorkCalendar): Map<number, NodeDates> {
  const order = orderNodes(nodes);
  const dates = new Map<number, NodeDates>(nodes.map((n) => [n.id, { latestStart: null, latestFinish: null, plannedStart: null, plannedFinish: null }]));
  const successors = new Map<number, number[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) for (const p of new Set(n.predecessors)) successors.get(p)!.push(n.id);
  if (opts.targetOn) {
    const last = onOrBefore(opts.targetOn, cal);
    const anchor = opts.anchorId ?? null;
    const byId = new Map(nodes.map((n) => [n.id, n]));
    // The anchor and everything it waits for: counted backwards from the target through the successors among them.
    const before = new Set<number>();
    if (anchor !== null && byId.has(anchor)) {
      const stack = [anchor];
      while (stack.length > 0) {
        const id = stack.pop()!;
        if (before.has(id)) continue;
        before.add(id);
        stack.push(...byId.get(id)!.predecessors);
      }
    } else {
      for (const n of nodes) before.add(n.id);
    }
    const backwards = (n: ScheduleNode, among: (id: number) => boolean, fallback: string) => {
      let finish: string | null = null;
      for (const s of successors.get(n.id)!) {
        const start = dates.get(s)!.latestStart;
        if (!among(s) || start === null) continue;
        const day = addWorkingDays(start, -1, cal);
        if (finish === null || day < finish) finish = day;
      }
      const d = dates.get(n.id)!;
      d.latestFinish = finish ?? fallback;
      d.latestStart = addWorkingDays(d.latestFinish, -(n.durationDays - 1), cal);
    };
    for (const n of [...order].reverse()) if (before.has(n.id)) backwards(n, (id) => before.has(id), last);
    // After the anchor: forwards from the predecessors already dated.
    for (const n of order) {
      if (before.has(n.id)) continue;
      let start: string | null = null;
      for (const p of new Set(n.predecessors)) {
        const finish = dates.get(p)!.latestFinish;
        if (finish === null) continue;
        const day = addWorkingDays(finish, 1, cal);
        if (start === null || day > start) start = day;
      }
      if (start === null) continue;
      const d = dates.get(n.id)!;
      d.latestStart = start;
      d.latestFinish = addWorkingDays(start, n.durationDays - 1, cal);
    }
    // Side branches that wait for nothing dated: backwards from their successors (or the target).
    for (const n of [...order].reverse()) if (dates.get(n.id)!.latestFinish === null) backwards(n, () => true, last);
  }
  if (opts.startOn) {
    const first = onOrAfter(opts.startOn, cal);
    for (const n of order) {
      let start = first;
      for (const p of new Set(n.predecessors)) {
        const after = addWorkingDays(dates.get(p)!.plannedFinish!, 1, cal);
        if (after > start) start = after;
      }
      const d = dates.get(n.id)!;
      d.plannedStart = start;
      d.plannedFinish = n.completedOn ?? addWorkingDays(start, n.durationDays - 1, cal);
    }
  }
  return dates;
}
