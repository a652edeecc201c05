// Deadlines of any entity (督办时限, 问题办理时限, 填报截止 …): one row per (entity type, id, kind), due dates counted
// in working days by core/calendar.ts over the office's calendar_days, a pause that stops the timer (挂起) and an
// escalation ladder (core/deadlines.ts) whose steps a background job takes once each, on one server.
import { sql, type Selectable } from 'kysely';
import { addDays, calendarOf, type CalendarDay, type WorkCalendar } from '../../../core/calendar.ts';
import { chinaToday } from '../../../core/clock.ts';
import { DEFAULT_LADDER, checkLadder, deadlineStanding, dueAfter, resumeDue, stepDay, stepsDue, type EscalationStep } from '../../../core/deadlines.ts';
import type { Executor } from '../../db/database.ts';
import type { DeadlineTable } from '../../db/schema.ts';
import type { JobSpec } from '../jobs.ts';
import { inTransaction } from '../tx.ts';
import { emitEvent } from '../events/events.ts';

export type { EscalationStep } from '../../../core/deadlines.ts';
export { DEFAULT_LADDER } from '../../../core/deadlines.ts';

/** Which deadline: an entity's deadline of one kind ('matter', 12, 'complete'). */
export interface DeadlineKey {
  entityType: string;
  entityId: number;
  kind: string;
}

/** A deadline as services see it. */
export interface Deadline extends DeadlineKey {
  id: number;
  startOn: string;
  dueOn: string;
  originalDueOn: string;
  status: 'open' | 'done' | 'cancelled';
  pausedOn: string | null;
  pausedDays: number;
  ladder: EscalationStep[];
  unitId: number | null;
  doneOn: string | null;
}

/** The working-day calendar the office maintains (calendar_days), for counting. */
export async function loadWorkCalendar(db: Executor): Promise<WorkCalendar> {
  const rows = await db.selectFrom('calendar_days').select(['day', 'kind', 'name']).execute();
  return calendarOf(rows as CalendarDay[]);
}

type Row = Selectable<DeadlineTable>;

function toDeadline(r: Row): Deadline {
  return {
    id: r.id, entityType: r.entity_type, entityId: r.entity_id, kind: r.kind, startOn: r.start_on, dueOn: r.due_on,
    originalDueOn: r.original_due_on, status: r.status as Deadline['status'], pausedOn: r.paused_on,
    pausedDays: Number(r.paused_days), ladder: JSON.parse(r.ladder) as EscalationStep[], unitId: r.unit_id, doneOn: r.done_on,
  };
}

/** A refused deadline change (a bad ladder, no such deadline …), with a Chinese message. */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/** The deadline, or undefined. */
export async function findDeadline(db: Executor, key: DeadlineKey): Promise<Deadline | undefined> {
  const r = await db.selectFrom('deadlines').selectAll()
    .where('entity_type', '=', key.entityType).where('entity_id', '=', key.entityId).where('kind', '=', key.kind).executeTakeFirst();
  return r ? toDeadline(r) : undefined;
}

/** Every deadline of an entity, by kind. */
export async function listDeadlines(db: Executor, entityType: string, entityId: number): Promise<Deadline[]> {
  const rows = await db.selectFrom('deadlines').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('kind').execute();
  return rows.map(toDeadline);
}

/** What schedule() needs: a due date, or a number of working days after the start. */
export type ScheduleInput = DeadlineKey & {
  startOn: string;
  unitId?: number | null;
  ladder?: readonly EscalationStep[];
} & ({ dueOn: string } | { workingDays: number; calendar: WorkCalendar });

/**
 * Sets (or resets) a deadline in the caller's transaction: open, not paused, the ladder re-armed for the new due
 * date. With `workingDays` the due date is that many working days after `startOn` ("3个工作日内反馈").
 */
export async function scheduleDeadline(trx: Executor, input: ScheduleInput, now: Date): Promise<Deadline> {
  const ladder = input.ladder ?? DEFAULT_LADDER;
  const errors = checkLadder(ladder);
  if (errors.length > 0) throw new DeadlineError(`督办规则无效：${errors.join('；')}`);
  const dueOn = 'dueOn' in input ? input.dueOn : dueAfter(input.startOn, input.workingDays, input.calendar);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueOn)) throw new DeadlineError(`到期日 ${dueOn} 无效，应为 YYYY-MM-DD`);
  const at = now.toISOString();
  const values = {
    start_on: input.startOn, due_on: dueOn, original_due_on: dueOn, status: 'open', paused_on: null, paused_days: 0,
    ladder: JSON.stringify(ladder), unit_id: input.unitId ?? null, done_on: null, updated_at: at,
  };
  await trx.insertInto('deadlines')
    .values({ entity_type: input.entityType, entity_id: input.entityId, kind: input.kind, created_at: at, ...values })
    .onConflict((oc) => oc.columns(['entity_type', 'entity_id', 'kind']).doUpdateSet(values))
    .execute();
  return (await findDeadline(trx, input))!;
}

async function getOpen(trx: Executor, key: DeadlineKey): Promise<Deadline> {
  const d = await findDeadline(trx, key);
  if (!d) throw new DeadlineError('没有该时限');
  return d;
}

/** 挂起: the timer stops on `day` (nothing escalates while paused). Pausing a paused deadline changes nothing. */
export async function pauseDeadline(trx: Executor, key: DeadlineKey, day: string, now: Date): Promise<Deadline> {
  const d = await getOpen(trx, key);
  if (d.status !== 'open') throw new DeadlineError('时限已结束，不能挂起');
  if (d.pausedOn) return d;
  await trx.updateTable('deadlines').set({ paused_on: day, updated_at: now.toISOString() }).where('id', '=', d.id).execute();
  return { ...d, pausedOn: day };
}

/** Resumes a paused deadline on `day`: the due date moves by the working days the pause covered. */
export async function resumeDeadline(trx: Executor, key: DeadlineKey, day: string, cal: WorkCalendar, now: Date): Promise<Deadline> {
  const d = await getOpen(trx, key);
  if (!d.pausedOn) return d;
  const moved = resumeDue(d.dueOn, d.pausedOn, day, cal);
  await trx.updateTable('deadlines')
    .set({ paused_on: null, due_on: moved.dueOn, paused_days: d.pausedDays + moved.pausedDays, updated_at: now.toISOString() })
    .where('id', '=', d.id).execute();
  return { ...d, pausedOn: null, dueOn: moved.dueOn, pausedDays: d.pausedDays + moved.pausedDays };
}

/** Moves the due date (an approved extension, 延期); steps already taken are taken again for the new date. */
export async function moveDeadline(trx: Executor, key: DeadlineKey, dueOn: string, now: Date): Promise<Deadline> {
  const d = await getOpen(trx, key);
  await trx.updateTable('deadlines').set({ due_on: dueOn, updated_at: now.toISOString() }).where('id', '=', d.id).execute();
  return { ...d, dueOn };
}

/** Ends a deadline: met (`done`, on `day`) or no longer relevant (`cancelled`). Unknown keys are ignored. */
export async function closeDeadline(trx: Executor, key: DeadlineKey, outcome: 'done' | 'cancelled', day: string, now: Date): Promise<void> {
  await trx.updateTable('deadlines')
    .set({ status: outcome, done_on: outcome === 'done' ? day : null, paused_on: null, updated_at: now.toISOString() })
    .where('entity_type', '=', key.entityType).where('entity_id', '=', key.entityId).where('kind', '=', key.kind)
    .where('status', '=', 'open').execute();
}

/** Reopens a closed deadline with a new due date (a reopened matter). */
export async function reopenDeadline(trx: Executor, key: DeadlineKey, dueOn: string, now: Date): Promise<void> {
  await trx.updateTable('deadlines').set({ status: 'open', done_on: null, due_on: dueOn, updated_at: now.toISOString() })
    .where('entity_type', '=', key.entityType).where('entity_id', '=', key.entityId).where('kind', '=', key.kind).execute();
}

/** Where a deadline stands on `today` (paused deadlines stand still at the day they were paused). */
export function standing(d: Deadline, today: string, cal: WorkCalendar): { overdue: boolean; workingDays: number; paused: boolean } {
  return { ...deadlineStanding(d.dueOn, d.pausedOn ?? today, cal), paused: d.pausedOn !== null };
}

// ---- escalation -----------------------------------------------------------------------------------------------

/** What a step handler receives: the deadline, the step taken and the day, inside the step's transaction. */
export interface StepContext {
  deadline: Deadline;
  step: EscalationStep;
  today: string;
  now: Date;
}

/** Acts on an escalation step (a to-do, a letter, a notification) in the transaction that records the step. */
export type StepHandler = (trx: Executor, ctx: StepContext) => Promise<void>;

// Static wiring, the same in every process: each module registers the handler for its entity type from index.ts.
const handlers = new Map<string, StepHandler>();

/** Registers what happens when a step of a deadline of this entity type is taken (registering again replaces). */
export function onDeadlineStep(entityType: string, handler: StepHandler): void {
  handlers.set(entityType, handler);
}

// Negative offsets are bounded by checkLadder (−30 working days, under 60 calendar days even across 春节): the job
// looks that far ahead.
const LOOKAHEAD_DAYS = 60;

/**
 * Takes the escalation steps due on `now`'s China day, each once: a step row (unique per deadline, step and due
 * date) and its handler commit together, so a crash or a second server never takes it twice. When several steps
 * fell due at once (a deadline set late, a server that was down) only the latest is acted on; the earlier ones are
 * recorded as passed. Steps before the deadline's start are recorded without action. Returns the steps acted on.
 */
export async function runDeadlineSteps(db: Executor, now: Date): Promise<StepContext[]> {
  const cal = await loadWorkCalendar(db);
  const today = chinaToday(now);
  const rows = await db.selectFrom('deadlines').selectAll()
    .where('status', '=', 'open').where('paused_on', 'is', null).where('due_on', '<=', addDays(today, LOOKAHEAD_DAYS))
    .orderBy('due_on').orderBy('id').execute();
  const acted: StepContext[] = [];
  for (const row of rows) {
    const d = toDeadline(row);
    const due = stepsDue(d.dueOn, d.ladder, today, cal);
    if (due.length === 0) continue;
    const taken = new Set((await db.selectFrom('deadline_steps').select('step').where('deadline_id', '=', d.id).where('due_on', '=', d.dueOn).execute()).map((s) => s.step));
    const fresh = due.filter((s) => !taken.has(s.key));
    if (fresh.length === 0) continue;
    const ctx = await inTransaction(db, async (trx) => {
      // Re-read inside the transaction: another server may have moved, paused or closed it meanwhile.
      const current = await findDeadline(trx, d);
      if (!current || current.status !== 'open' || current.pausedOn || current.dueOn !== d.dueOn) return undefined;
      let last: EscalationStep | undefined;
      for (const step of fresh) {
        const fireOn = stepDay(d.dueOn, step, cal);
        const inserted = await trx.insertInto('deadline_steps')
          .values({ deadline_id: d.id, step: step.key, due_on: d.dueOn, fire_on: fireOn, fired_at: now.toISOString() })
          .onConflict((oc) => oc.columns(['deadline_id', 'step', 'due_on']).doNothing())
          .returning('id').executeTakeFirst();
        if (inserted && fireOn >= d.startOn) last = step;
        else if (!inserted) last = undefined; // another server is taking these steps
      }
      if (!last) return undefined;
      const stepCtx: StepContext = { deadline: current, step: last, today, now };
      await emitEvent(trx, {
        name: 'deadline.step', entityType: d.entityType, entityId: d.entityId, actorId: null, at: now,
        payload: { kind: d.kind, step: last.key, label: last.label, dueOn: d.dueOn },
      });
      await handlers.get(d.entityType)?.(trx, stepCtx);
      return stepCtx;
    });
    if (ctx) acted.push(ctx);
  }
  return acted;
}

/** The steps taken for a deadline, oldest first. */
export async function listTakenSteps(db: Executor, deadlineId: number): Promise<{ step: string; dueOn: string; fireOn: string; firedAt: string }[]> {
  const rows = await db.selectFrom('deadline_steps').select(['step', 'due_on', 'fire_on', 'fired_at'])
    .where('deadline_id', '=', deadlineId).orderBy('id').execute();
  return rows.map((r) => ({ step: r.step, dueOn: r.due_on, fireOn: r.fire_on, firedAt: r.fired_at }));
}

/** Open deadlines past due on `today` (not paused), optionally of one entity type: the overdue list. */
export async function listOverdue(db: Executor, today: string, entityType?: string): Promise<Deadline[]> {
  let q = db.selectFrom('deadlines').selectAll().where('status', '=', 'open').where('paused_on', 'is', null).where('due_on', '<', today);
  if (entityType) q = q.where('entity_type', '=', entityType);
  return (await q.orderBy('due_on').orderBy('id').execute()).map(toDeadline);
}

/** The background job that takes escalation steps (register it in main.ts; default every 5 minutes). */
export function deadlineJob(db: Executor, everySeconds = 300): JobSpec {
  return { name: 'deadlines.escalate', everySeconds, run: async (now) => void (await runDeadlineSteps(db, now)) };
}

// Kept for callers that need the raw count in SQL terms (figures): the number of open deadlines past due.
export async function countOverdue(db: Executor, today: string, entityType: string): Promise<number> {
  const r = await db.selectFrom('deadlines').select(sql<number>`count(*)`.as('n'))
    .where('status', '=', 'open').where('paused_on', 'is', null).where('due_on', '<', today).where('entity_type', '=', entityType)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
