// Problem reminders (时限提醒) through the platform: whoever must act next gets a to-do in the inbox (我的待办) with the
// deadline it is held to, and the department's handling deadline (办结时限) is a platform deadline whose ladder adds
// reminder to-dos the working day before, on the day and the day after it falls due. Nothing is kept on the side:
// the to-dos and deadlines are the platform's tables, written in the move's transaction.
import { chinaToday } from '../../../core/clock.ts';
import type { EscalationStep } from '../../../core/deadlines.ts';
import type { ProblemStatus } from '../../../core/problems/problem-workflow.ts';
import type { Executor } from '../../db/database.ts';
import { closeDeadline, findDeadline, scheduleDeadline, type StepContext } from '../../platform/deadlines/deadlines.ts';
import { addTodo, completeTodos } from '../../platform/todos/todos.ts';

/** The handling deadline's reminders: one working day before, on the day, one working day after (逾期). */
export const PROBLEM_LADDER: readonly EscalationStep[] = [
  { key: 'remind', offset: -1, label: '明日到期' },
  { key: 'due', offset: 0, label: '今日到期' },
  { key: 'overdue', offset: 1, label: '已逾期' },
];

/** The ledger opens a problem from its link. */
export const PROBLEM_LINK = (id: number) => `/problems?open=${id}`;

/** What the reminders need of a problem as it stands after a move. */
export interface ReminderState {
  id: number;
  title: string;
  status: ProblemStatus;
  owner_unit_id: number | null;
  route_due: string | null;
  feedback_due: string | null;
  solve_due: string | null;
  received_on: string;
}

/**
 * Brings a problem's to-dos and handling deadline in line with its new state, in the move's transaction: the
 * previous step's to-dos are done and the next actor's is added (受理交办 by the office, 签收 and 答复 by the owning
 * department, 回访 and 销号 by the office); a closed or refused problem has none left.
 */
export async function syncReminders(trx: Executor, p: ReminderState, now: Date, by: number | null): Promise<void> {
  await completeTodos(trx, { entityType: 'problem', entityId: p.id }, now, by);
  const todo = (what: string, to: { unitId: number } | { role: string }, title: string, dueOn: string | null) =>
    addTodo(trx, { key: `problem:${p.id}:${what}`, to, kind: `problem.${what}`, title: `${title}：${p.title}`, link: PROBLEM_LINK(p.id), dueOn, entityType: 'problem', entityId: p.id }, now);
  const owner = p.owner_unit_id ? { unitId: p.owner_unit_id } : { role: 'office' };
  switch (p.status) {
    case 'pending': await todo('route', { role: 'office' }, '受理交办问题', p.route_due); break;
    case 'assigned': await todo('sign', owner, '签收问题', p.feedback_due); break;
    case 'signed':
    case 'in_progress': await todo('reply', owner, '办理答复问题', p.solve_due); break;
    case 'replied': await todo('visit', { role: 'office' }, '回访问题', null); break;
    case 'visited': await todo('close', { role: 'office' }, '销号问题', null); break;
    case 'closed':
    case 'rejected': break;
  }
  // The handling deadline runs while the department holds the problem.
  const key = { entityType: 'problem', entityId: p.id, kind: 'solve' };
  const holding = p.status === 'assigned' || p.status === 'signed' || p.status === 'in_progress';
  const current = await findDeadline(trx, key);
  if (holding && p.solve_due) {
    if (!current || current.status !== 'open' || current.dueOn !== p.solve_due || current.unitId !== p.owner_unit_id) {
      await scheduleDeadline(trx, { ...key, startOn: p.received_on, dueOn: p.solve_due, unitId: p.owner_unit_id, ladder: PROBLEM_LADDER }, now);
    }
  } else if (current && current.status === 'open') {
    await closeDeadline(trx, current, p.status === 'rejected' ? 'cancelled' : 'done', chinaToday(now), now);
  }
}

/** A reminder step of a problem's handling deadline: a to-do for the owning department (one per step and date). */
export async function onProblemStep(trx: Executor, ctx: StepContext): Promise<void> {
  const p = await trx.selectFrom('problems').select(['id', 'title', 'status', 'owner_unit_id']).where('id', '=', ctx.deadline.entityId).executeTakeFirst();
  if (!p || !['assigned', 'signed', 'in_progress'].includes(p.status)) return;
  await addTodo(trx, {
    key: `problem:${p.id}:remind:${ctx.step.key}:${ctx.deadline.dueOn}`, to: p.owner_unit_id ? { unitId: p.owner_unit_id } : { role: 'office' }, kind: 'problem.remind',
    title: `问题办理时限提醒（${ctx.step.label}，时限 ${ctx.deadline.dueOn}）：${p.title}`, link: PROBLEM_LINK(p.id), dueOn: ctx.deadline.dueOn, entityType: 'problem', entityId: p.id,
  }, ctx.now);
}
