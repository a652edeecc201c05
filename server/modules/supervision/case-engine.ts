// The tracked-item engine (督办引擎): what supervised matters and node plans share (enterprise problems are still to move onto it) — moves on
// a core/workflow.ts workflow written to the status log and the audit trail, a completion deadline and a feedback
// cadence on the platform's deadlines (working days, pause/resume, approved extensions, escalation steps), dated
// feedback entries with attachments, to-dos for whoever must act, and one timeline. Each capability keeps its own
// table, states and rules; it builds an engine for its entity type and calls it inside its own transactions.
import type { WorkCalendar } from '../../../core/calendar.ts';
import { addWorkingDays } from '../../../core/calendar.ts';
import type { EscalationStep } from '../../../core/deadlines.ts';
import { WorkflowRefusal, type MoveContext, type Workflow } from '../../../core/workflow.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { addAttachment, listAttachments, type Attachment, type BlobStore } from '../../platform/attachments/attachments.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import {
  closeDeadline, findDeadline, listDeadlines, moveDeadline, pauseDeadline, reopenDeadline, resumeDeadline, scheduleDeadline, type Deadline,
} from '../../platform/deadlines/deadlines.ts';
import { listEvents } from '../../platform/events/events.ts';
import { listMoves, recordMove } from '../../platform/status-log.ts';
import { completeTodos } from '../../platform/todos/todos.ts';

/** What an engine is built for: the entity type (status log, deadlines, attachments) and its workflow. */
export interface CaseSpec<S extends string, A extends string> {
  entityType: string;
  workflow: Workflow<S, A>;
  /** The timeline's word for the creation (a matter is '交办'; a plan's node is '列入计划'). */
  createdLabel?: string;
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

  /**
   * Checks and records a move in the caller's transaction: the workflow decides the next state (Chinese refusals
   * as AppErrors), the status log and the audit trail get a row. The caller updates its own row.
   */
  async move(trx: Executor, input: { id: number; from: S; action: A; actor: Actor; ctx?: MoveContext; at: Date; before?: unknown; after?: unknown }): Promise<S> {
    let to: S;
    try {
      to = this.spec.workflow.next(input.from, input.action, input.ctx);
    } catch (err) {
      throw refusalError(err);
    }
    const reason = input.ctx?.reason?.trim() || null;
    await recordMove(trx, {
      entityType: this.spec.entityType, entityId: input.id, from: input.from, to, action: input.action, reason,
      actorId: input.actor.userId || null, at: input.at.toISOString(),
    });
    await this.deps.audit.record(trx, input.actor, {
      action: `${this.spec.entityType}.${input.action}`, entityType: this.spec.entityType, entityId: input.id,
      before: input.before ?? { status: input.from }, after: input.after ?? { status: to }, details: reason ? { reason } : undefined,
    });
    return to;
  }

  /** Records the creation (null → first state) in the status log. */
  async created(trx: Executor, id: number, state: S, actor: Actor, at: Date, action = 'create'): Promise<void> {
    await recordMove(trx, { entityType: this.spec.entityType, entityId: id, from: null, to: state, action, reason: null, actorId: actor.userId || null, at: at.toISOString() });
  }

  // ---- deadlines ------------------------------------------------------------------------------------------------

  /** Sets the completion deadline ('complete'). */
  scheduleCompletion(trx: Executor, id: number, input: { startOn: string; dueOn: string; unitId: number | null; ladder: readonly EscalationStep[] }): Promise<Deadline> {
    return scheduleDeadline(trx, { ...this.key(id, 'complete'), startOn: input.startOn, dueOn: input.dueOn, unitId: input.unitId, ladder: input.ladder }, this.deps.clock.now());
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
      if (d.kind === 'complete') due = r.dueOn;
    }
    return due;
  }

  /** An approved extension: the completion deadline moves (its escalation re-arms for the new date). */
  extend(trx: Executor, id: number, dueOn: string): Promise<Deadline> {
    return moveDeadline(trx, this.key(id, 'complete'), dueOn, this.deps.clock.now());
  }

  /** Ends every open deadline (done on `day`, or cancelled) and the entity's open to-dos. */
  async finish(trx: Executor, id: number, outcome: 'done' | 'cancelled', day: string, by: number | null): Promise<void> {
    const now = this.deps.clock.now();
    for (const d of await listDeadlines(trx, this.spec.entityType, id)) await closeDeadline(trx, d, outcome, day, now);
    await completeTodos(trx, { entityType: this.spec.entityType, entityId: id }, now, by);
  }

  /** Reopens the completion deadline with a new due date. */
  reopen(trx: Executor, id: number, dueOn: string): Promise<void> {
    return reopenDeadline(trx, this.key(id, 'complete'), dueOn, this.deps.clock.now());
  }

  /** The entity's deadlines. */
  deadlines(db: Executor, id: number): Promise<Deadline[]> {
    return listDeadlines(db, this.spec.entityType, id);
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
    for (const m of await listMoves(db, this.spec.entityType, id)) {
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
