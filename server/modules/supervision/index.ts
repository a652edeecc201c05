// The supervision module's public face (督查督办, issue 17). Other modules (problems, evaluation, bulletins), app.ts,
// the CLI and tests import from here only.
//
// Reusing the engine (node plans and problems do): build `new CaseEngine(deps, { entityType: 'problem', workflow, link })` with
// your own core/workflow.ts workflow, keep your own table and states, and call the engine inside your transactions:
// move() or decide()+record() (status log + audit), scheduleCompletion()/scheduleFeedback()/hold() (deadlines counted
// on the working-day calendar with your ladder), pause()/resume()/extend()/finish()/reopen(), handOver()/duty()
// (the next actor's to-do), remindStep() (a reminder at an escalation step), addFeedback()/feedback() (generic
// feedback_entries + attachments), timeline(). Register what escalation steps do with onDeadlineStep('problem',
// handler) (platform/deadlines) and your 404 with registerEntityScope('problem', …) — plus '<type>_feedback' for
// feedback attachments.
import type { Executor } from '../../db/database.ts';
import { registerEntityScope } from '../../platform/access.ts';
import type { Deps } from '../../platform/context.ts';
import { onDeadlineStep } from '../../platform/deadlines/deadlines.ts';
import { FileStore } from '../files/index.ts';
import { MatterRepository, matterInScope } from './matter.repository.ts';
import { MatterService } from './matter.service.ts';
import { AgendaRepository } from './agenda.repository.ts';
import { AgendaService } from './agenda.service.ts';
import { LetterService } from './letters.service.ts';

export { CaseEngine, refusalError, type CaseSpec, type Duty, type FeedbackEntry, type Hold, type TimelineItem } from './case-engine.ts';
export { MatterService, type MatterInput, type MatterBox } from './matter.service.ts';
export { matterRoutes } from './matter.routes.ts';
export { registerMatterEnterprises, type MatterEnterprise, type MatterEnterpriseReader } from './matter-enterprises.ts';
export { agendaRoutes } from './agenda.routes.ts';
export { AgendaService, mondayOf, MEETING_KINDS, MEETING_KIND_LABELS, type DecisionToMatters } from './agenda.service.ts';
export { LetterService, letterText, LETTER_KINDS, LETTER_LABELS, type LetterKind } from './letters.service.ts';
export { supervisionSettings, type SupervisionSettings } from './supervision.settings.ts';
export { seedDemoMatters } from './demo-matters.ts';
/** Figures per unit and month (evaluation, bulletins) and the overdue list (CLI). */
export { supervisionFigures, overdueMatters, type UnitFigures } from './figures.service.ts';

/** The matter service, over the database's file store. */
export function createMatterService(deps: Deps): MatterService {
  const service = new MatterService(deps, (db: Executor) => new MatterRepository(db), (db: Executor) => new FileStore(db, null, deps.clock));
  service.useLetters(createLetterService(deps));
  return service;
}

/** The escalation letters (交办函/提醒函/督办函/约谈通知) over the database's file store. */
export function createLetterService(deps: Deps): LetterService {
  return new LetterService(deps, (db: Executor) => new FileStore(db, null, deps.clock));
}

/** Meetings → decisions → matters and the weekly batches (周交办); a decision's matters go through the matter engine in one transaction. */
export function createAgendaService(deps: Deps): AgendaService {
  return new AgendaService(deps, (db: Executor) => new FileStore(db, null, deps.clock), (db: Executor) => createMatterService(db === deps.db ? deps : { ...deps, db }));
}

/**
 * Registers the matter entities' data scope (a matter, its feedback entries' attachments) and what the escalation
 * job does on a matter's deadline step. Static wiring, called once by app.ts (and by the CLI that runs the job).
 */
export function registerSupervision(deps: Deps): void {
  registerEntityScope('matter', (db, id, scope) => new MatterRepository(db).existsInScope(id, scope), '督办事项不存在或无权访问');
  registerEntityScope('matter_feedback', async (db, id, scope) => {
    const r = await db.selectFrom('feedback_entries').innerJoin('matters', 'matters.id', 'feedback_entries.entity_id')
      .select('matters.id').where('feedback_entries.id', '=', id).where('feedback_entries.entity_type', '=', 'matter').where(matterInScope(scope)).executeTakeFirst();
    return r !== undefined;
  }, '附件不存在或无权访问');
  registerEntityScope('meeting', (db, id, scope) => new AgendaRepository(db).meetingInScope(id, scope), '会议不存在或无权访问');
  const service = createMatterService(deps);
  onDeadlineStep('matter', (trx, ctx) => service.onStep(trx, ctx));
}
