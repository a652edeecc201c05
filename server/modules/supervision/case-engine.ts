// The tracked-item engine (督办引擎): what supervised matters, node plans and enterprise problems share — moves on
// a core/workflow.ts workflow written to the status log and the audit trail, deadlines on the platform's table
// (a completion deadline, a feedback cadence, or any named time limit such as a problem's 交办/签收 limits; working or
// calendar days from a limit table, pause/resume, approved extensions, escalation steps claimed once in the
// database), dated feedback entries with attachments, the to-do of whoever must act next and reminder to-dos at
// the escalation steps, and one timeline. Each capability keeps its own table, states and rules; it builds an
// engine for its entity type and calls it inside its own transactions.
import type { WorkCalendar } from '../../../core/calendar.ts';
import { addWorkingDays } from '../../../core/calendar.ts';
import { chinaToday } from '../../../core/clock.ts';
import { dueBy, type Duration, type EscalationStep } from '../../../core/deadlines.ts';
import { WorkflowRefusal, type MoveContext, type StatusLogEntry, type Workflow } from '../../../core/workflow.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { addAttachment, listAttachments, type Attachment, type BlobStore } from '../../platform/attachments/attachments.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import {
  closeDeadline, findDeadline, listDeadlines, moveDeadline, pauseDeadline, reopenDeadline, resumeDeadline, scheduleDeadline, type Deadline, type StepContext,
} from '../../platform/deadlines/deadlines.ts';
import { listEvents, type Recipient } from '../../platform/events/events.ts';
import { listMoves, recordMove } from '../../platform/status-log.ts';
import { addTodo, completeTodos } from '../../platform/todos/todos.ts';

/** What an engine is built for: the entity type (status log, deadlines, attachments) and its workflow. */
export interface CaseSpec<S extends string, A extends string> {
  entityType: string;
  workflow: Workflow<S, A>;
  /** The timeline's word for the creation (a matter is '交办'; a plan's node is '列入计划'). */
  createdLabel?: string;
  /** The kind of the completion deadline: 'complete' unless the entity's rows were named otherwise (problems: 'solve'). */
  completionKind?: string;
  /** The in-app page of one entity: where its to-dos and reminders link to. */
  link?: (id: number) => string;
}

/** Who must act next on an entity, and by when: one to-do keyed '<type>:<id>:<what>' of kind '<type>.<what>'. */
export interface Duty {
  what: string;
  to: Recipient;
  title: string;
  dueOn: string | null;
}

/** A deadline an entity should be held to now (hold()): from, to, whose, and its reminder ladder. */
export interface Hold {
  startOn: string;
  dueOn: string;
  unitId: number | null;
  ladder: readonly EscalationStep[];
}

/** A feedback entry as shown. */
export interface FeedbackEntry {
  id: number;
  unitId: number | null;
  authorId: number | null;
  onDate: string;
  text: string;
  nextSteps: string | null;
  dueOn: string | null;
  onTime: boolean;
  createdAt: string;
  attachments: Attachment[];
}

/** One line of an entity's timeline: a move, a feedback entry or an event (letters, escalation steps, 批示 …). */
export interface TimelineItem {
  at: string;
  kind: 'move' | 'feedback' | 'event';
  actorId: number | null;
  title: string;
  detail: string | null;
  data: unknown;
}

/** Turns a workflow refusal into the API's error: 409 for the state, 403 permission, 422 a missing reason. */
export function refusalError(err: unknown): unknown {
  if (!(err instanceof WorkflowRefusal)) return err;
  const code = err.kind === 'state' ? 'conflict' : err.kind === 'permission' ? 'forbidden' : 'unprocessable';
  return new AppError(code, err.message);
}

/** The engine of one tracked entity type; see docs/ARCHITECTURE.md ("Supervision") for how a module reuses it. */
export class CaseEngine<S extends string, A extends string> {
  readonly spec: CaseSpec<S, A>;
  private readonly deps: Deps;
  constructor(deps: Deps, spec: CaseSpec<S, A>) {
    this.deps = deps;
    this.spec = spec;
  }

  private key(id: number, kind: string) {
    return { entityType: this.spec.entityType, entityId: id, kind };
  }

  /** The state an action leads to from `from`, or the workflow's refusal as an AppError (409, 403 or 422). */
  decide(from: S, action: A, ctx?: MoveContext): S {
    try {
      return this.spec.workflow.next(from, action, ctx);
    } catch (err) {
      throw refusalError(err);
    }
  }

  /**
   * Records a decided move in the caller's transaction: a status-log row (with the reason, or the `note` the entity
   * logs instead, e.g. a problem's answer) and an audit row.
   */
  async record(trx: Executor, input: { id: number; from: S; to: S; action: A; actor: Actor; at: Date; reason?: string | null; before?: unknown; after?: unknown }): Promise<void> {
    const reason = input.reason?.trim() || null;
    await recordMove(trx, {
      entityType: this.spec.entityType, entityId: input.id, from: input.from, to: input.to, action: input.action, reason,
      actorId: input.actor.userId || null, at: input.at.toISOString(),
    });
    await this.deps.audit.record(trx, input.actor, {
      action: `${this.spec.entityType}.${input.action}`, entityType: this.spec.entityType, entityId: input.id,
      before: input.before ?? { status: input.from }, after: input.after ?? { status: input.to }, details: reason ? { reason } : undefined,
    });
  }

  /**
   * Checks and records a move in the caller's transaction: the workflow decides the next state (Chinese refusals
   * as AppErrors), the status log and the audit trail get a row. The caller updates its own row.
   */
  async move(trx: Executor, input: { id: number; from: S; action: A; actor: Actor; ctx?: MoveContext; at: Date; before?: unknown; after?: unknown }): Promise<S> {
    const to = this.decide(input.from, input.action, input.ctx);
    await this.record(trx, { ...input, to, reason: input.ctx?.reason });
    return to;
  }

  /** The entity's status log, oldest first. */
  moves(db: Executor, id: number): Promise<StatusLogEntry[]> {
    return listMoves(db, this.spec.entityType, id);
  }

  /** Records the creation (null → first state) in the status log. */
  async created(trx: Executor, id: number, state: S, actor: Actor, at: Date, action = 'create'): Promise<void> {
    await recordMove(trx, { entityType: this.spec.entityType, entityId: id, from: null, to: state, action, reason: null, actorId: actor.userId || null, at: at.toISOString() });
  }

  // ---- deadlines ------------------------------------------------------------------------------------------------

  private get completion(): string {
    return this.spec.completionKind ?? 'complete';
  }

  /** The due date of a time limit from its start (working days on the calendar, or calendar days): core dueBy. */
  dueBy(startOn: string, limit: Duration, cal: WorkCalendar): string {
    return dueBy(startOn, limit, cal);
  }

  /** Sets the completion deadline. */
  scheduleCompletion(trx: Executor, id: number, input: Hold): Promise<Deadline> {
    return scheduleDeadline(trx, { ...this.key(id, this.completion), startOn: input.startOn, dueOn: input.dueOn, unitId: input.unitId, ladder: input.ladder }, this.deps.clock.now());
  }

  /**
   * Keeps one deadline of the entity in line with where it stands, in the caller's transaction: (re)set when it
   * should run and is missing, ended, or due on another day or for another unit (its ladder re-armed); left alone
   * when unchanged (steps already taken stay taken); ended (`end`, on today) when it should no longer run.
   * True when it was (re)set.
   */
  async hold(trx: Executor, id: number, kind: string, want: Hold | null, end: 'done' | 'cancelled' = 'done'): Promise<boolean> {
    const now = this.deps.clock.now();
    const key = this.key(id, kind);
    const current = await findDeadline(trx, key);
    if (want) {
      if (current && current.status === 'open' && current.dueOn === want.dueOn && current.unitId === want.unitId) return false;
      await scheduleDeadline(trx, { ...key, startOn: want.startOn, dueOn: want.dueOn, unitId: want.unitId, ladder: want.ladder }, now);
      return true;
    }
    if (current && current.status === 'open') await closeDeadline(trx, current, end, chinaToday(now), now);
    return false;
  }

  /** Sets the next feedback due date `cadenceDays` working days after `fromDay` ('feedback'); none when 0. */
  async scheduleFeedback(trx: Executor, id: number, input: { fromDay: string; cadenceDays: number; unitId: number | null; ladder: readonly EscalationStep[]; cal: WorkCalendar; notAfter?: string }): Promise<string | null> {
    if (input.cadenceDays <= 0) return null;
    let due = addWorkingDays(input.fromDay, input.cadenceDays, input.cal);
    if (input.notAfter && due > input.notAfter) due = input.notAfter;
    await scheduleDeadline(trx, { ...this.key(id, 'feedback'), startOn: input.fromDay, dueOn: due, unitId: input.unitId, ladder: input.ladder }, this.deps.clock.now());
    return due;
  }

  /** 挂起: every open deadline of the entity stops. */
  async pause(trx: Executor, id: number, day: string): Promise<void> {
    for (const d of await listDeadlines(trx, this.spec.entityType, id)) if (d.status === 'open') await pauseDeadline(trx, d, day, this.deps.clock.now());
  }

  /** Resumes every paused deadline; returns the completion deadline's new due date. */
  async resume(trx: Executor, id: number, day: string, cal: WorkCalendar): Promise<string | undefined> {
    let due: string | undefined;
    for (const d of await listDeadlines(trx, this.spec.entityType, id)) {
      if (d.status !== 'open' || !d.pausedOn) continue;
      const r = await resumeDeadline(trx, d, day, cal, this.deps.clock.now());
      if (d.kind === this.completion) due = r.dueOn;
    }
    return due;
  }

  /** An approved extension: the completion deadline moves (its escalation re-arms for the new date). */
  extend(trx: Executor, id: number, dueOn: string): Promise<Deadline> {
    return moveDeadline(trx, this.key(id, this.completion), dueOn, this.deps.clock.now());
  }

  /** Ends every open deadline (done on `day`, or cancelled) and the entity's open to-dos. */
  async finish(trx: Executor, id: number, outcome: 'done' | 'cancelled', day: string, by: number | null): Promise<void> {
    const now = this.deps.clock.now();
    for (const d of await listDeadlines(trx, this.spec.entityType, id)) await closeDeadline(trx, d, outcome, day, now);
    await completeTodos(trx, { entityType: this.spec.entityType, entityId: id }, now, by);
  }

  /** Reopens the completion deadline with a new due date. */
  reopen(trx: Executor, id: number, dueOn: string): Promise<void> {
    return reopenDeadline(trx, this.key(id, this.completion), dueOn, this.deps.clock.now());
  }

  /** The entity's deadlines. */
  deadlines(db: Executor, id: number): Promise<Deadline[]> {
    return listDeadlines(db, this.spec.entityType, id);
  }

  // ---- to-dos ---------------------------------------------------------------------------------------------------

  private link(id: number): string {
    if (!this.spec.link) throw new Error(`CaseEngine(${this.spec.entityType}): to-dos need spec.link`);
    return this.spec.link(id);
  }

  /** Adds (or keeps) the to-do of a duty on the entity, in the caller's transaction. */
  duty(trx: Executor, id: number, d: Duty): Promise<void> {
    const type = this.spec.entityType;
    return addTodo(trx, { key: `${type}:${id}:${d.what}`, to: d.to, kind: `${type}.${d.what}`, title: d.title, link: this.link(id), dueOn: d.dueOn, entityType: type, entityId: id }, this.deps.clock.now());
  }

  /**
   * Hands the entity on after a move: every open to-do of it is done (by `by`) and the next actor's duty, if any,
   * is added; an entity nobody has to act on any more (closed, refused) has none left.
   */
  async handOver(trx: Executor, id: number, next: Duty | null, by: number | null): Promise<void> {
    await completeTodos(trx, { entityType: this.spec.entityType, entityId: id }, this.deps.clock.now(), by);
    if (next) await this.duty(trx, id, next);
  }

  /**
   * A reminder to-do for an escalation step of one of the entity's deadlines (明日到期, 今日到期, 已逾期 …), inside the
   * step's transaction: one per step and due date (a moved deadline reminds again), of kind '<type>.remind'.
   */
  remindStep(trx: Executor, ctx: StepContext, input: { to: Recipient; title: string }): Promise<void> {
    const type = this.spec.entityType;
    const id = ctx.deadline.entityId;
    return addTodo(trx, {
      key: `${type}:${id}:remind:${ctx.step.key}:${ctx.deadline.dueOn}`, to: input.to, kind: `${type}.remind`, title: input.title,
      link: this.link(id), dueOn: ctx.deadline.dueOn, entityType: type, entityId: id,
    }, ctx.now);
  }

  // ---- feedback -------------------------------------------------------------------------------------------------

  /**
   * Adds a dated feedback entry with its files in the caller's transaction. It answers the open feedback deadline
   * (on time when given on or before its due date), and the entity's feedback to-dos are done.
   */
  async addFeedback(trx: Executor, id: number, input: {
    unitId: number | null; actor: Actor; onDate: string; text: string; nextSteps?: string | null; files?: { fileName: string; data: Buffer }[]; store?: BlobStore;
  }): Promise<FeedbackEntry> {
    const text = input.text.trim();
    if (!text) throw new AppError('unprocessable', '请填写反馈内容');
    const now = this.deps.clock.now();
    const deadline = await findDeadline(trx, this.key(id, 'feedback'));
    const dueOn = deadline && deadline.status === 'open' ? deadline.dueOn : null;
    const onTime = dueOn === null || input.onDate <= dueOn;
    const row = await trx.insertInto('feedback_entries').values({
      entity_type: this.spec.entityType, entity_id: id, unit_id: input.unitId, author_id: input.actor.userId || null, on_date: input.onDate,
      text, next_steps: input.nextSteps?.trim() || null, due_on: dueOn, on_time: onTime ? 1 : 0, created_at: now.toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    const attachments: Attachment[] = [];
    for (const f of input.files ?? []) {
      if (!input.store) throw new Error('addFeedback: files need a store');
      attachments.push(await addAttachment(trx, input.store, { ownerType: `${this.spec.entityType}_feedback`, ownerId: row.id, fileName: f.fileName, data: f.data, uploadedBy: input.actor.userId || null, at: now }));
    }
    await completeTodos(trx, { entityType: this.spec.entityType, entityId: id, kind: `${this.spec.entityType}.feedback` }, now, input.actor.userId || null);
    await this.deps.audit.record(trx, input.actor, { action: `${this.spec.entityType}.feedback`, entityType: this.spec.entityType, entityId: id, after: { text, onDate: input.onDate, onTime } });
    return { id: row.id, unitId: input.unitId, authorId: input.actor.userId || null, onDate: input.onDate, text, nextSteps: input.nextSteps?.trim() || null, dueOn, onTime, createdAt: now.toISOString(), attachments };
  }

  /** The entity's feedback entries with their attachments, newest first. */
  async feedback(db: Executor, id: number): Promise<FeedbackEntry[]> {
    const rows = await db.selectFrom('feedback_entries').selectAll().where('entity_type', '=', this.spec.entityType).where('entity_id', '=', id).orderBy('id', 'desc').execute();
    const files = await listAttachments(db, `${this.spec.entityType}_feedback`, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id, unitId: r.unit_id, authorId: r.author_id, onDate: r.on_date, text: r.text, nextSteps: r.next_steps, dueOn: r.due_on,
      onTime: Number(r.on_time) === 1, createdAt: r.created_at, attachments: files.filter((f) => f.ownerId === r.id),
    }));
  }

  /** One timeline: moves (with reasons), feedback entries and events, oldest first. */
  async timeline(db: Executor, id: number, eventTitles: Record<string, (payload: Record<string, unknown>) => string> = {}): Promise<TimelineItem[]> {
    const labels = this.spec.workflow.spec.stateLabels as Record<string, string>;
    const actions = this.spec.workflow.spec.actions as Record<string, { label: string }>;
    const items: TimelineItem[] = [];
    for (const m of await this.moves(db, id)) {
      items.push({ at: m.at, kind: 'move', actorId: m.actorId, title: `${m.from === null ? (this.spec.createdLabel ?? '交办') : actions[m.action]?.label ?? m.action}：${m.from ? `${labels[m.from] ?? m.from} → ` : ''}${labels[m.to] ?? m.to}`, detail: m.reason, data: { action: m.action, from: m.from, to: m.to } });
    }
    for (const f of await this.feedback(db, id)) {
      items.push({ at: f.createdAt, kind: 'feedback', actorId: f.authorId, title: `反馈（${f.onDate}${f.onTime ? '' : '，逾期'}）`, detail: f.text, data: f });
    }
    for (const e of await listEvents(db, this.spec.entityType, id)) {
      const title = eventTitles[e.name]?.(e.payload as Record<string, unknown>);
      if (title) items.push({ at: e.at, kind: 'event', actorId: e.actorId, title, detail: null, data: e.payload });
    }
    return items.sort((a, b) => a.at.localeCompare(b.at));
  }
}
