// Escalation letters (督办函件): 交办函 on creation, 提醒函 at T−k or a missed feedback, 督办函 when overdue, 约谈通知
// after N more working days — each numbered (文号 with 〔〕, one series per kind and year), laid out as a GB/T 9704
// .docx by the bulletins' renderer, stored in the database's file store, logged with who signed it, and sent to
// the lead unit and co-units. It is the MatterService's LetterIssuer (plugged in by createMatterService).
import { chineseDate } from '../../../core/bulletins/phrases.ts';
import type { DocBlock } from '../../../core/bulletins/compose.ts';
import { DEFAULT_TEMPLATE } from '../../../core/bulletins/template.ts';
import { addWorkingDays } from '../../../core/calendar.ts';
import { chinaToday, chinaYear } from '../../../core/clock.ts';
import { fillLetterTemplate, type LetterPlaceholder, type LetterTemplateKind, type LetterTemplates } from '../../../core/supervision/letter-templates.ts';
import { formatDocNumber } from '../../../core/numbering.ts';
import { MATTER_STATE_LABELS, type MatterStatus } from '../../../core/supervision/matter-workflow.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { BlobStore } from '../../platform/attachments/attachments.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { loadWorkCalendar } from '../../platform/deadlines/deadlines.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { next as nextNumber } from '../../platform/numbering/numbering.ts';
import { addTodo } from '../../platform/todos/todos.ts';
import { renderBulletinDocx } from '../bulletins/index.ts';
import { AgendaRepository, type LetterRow } from './agenda.repository.ts';
import type { MatterRow } from './matter.repository.ts';
import type { LetterIssuer } from './matter.service.ts';
import type { SupervisionSettings } from './supervision.settings.ts';

export type LetterKind = 'assign' | 'remind' | 'press' | 'interview';
export const LETTER_KINDS: readonly LetterKind[] = ['assign', 'remind', 'press', 'interview'];
export const LETTER_LABELS: Record<LetterKind, string> = { assign: '交办函', remind: '提醒函', press: '督办函', interview: '约谈通知' };

/** The template slot of a letter: a 提醒函 sent for a missed feedback has its own wording. */
export function templateKind(kind: LetterKind, step: string | null): LetterTemplateKind {
  return kind === 'remind' && step === 'missed' ? 'remind_missed' : kind;
}

/** What a letter says: the office's template for its kind filled from the matter (and the reply deadline). */
export function letterText(input: {
  kind: LetterKind; step: string | null; matter: Pick<MatterRow, 'number' | 'title' | 'content' | 'due_on' | 'status' | 'feedback_days' | 'next_feedback_on' | 'lead_unit_name'>;
  coUnits: string[]; projects: string[]; today: string; issuer: string; templates: LetterTemplates; replyWorkingDays: number; replyBy: string;
}): { title: string; recipients: string; body: DocBlock[] } {
  const m = input.matter;
  const values: Record<LetterPlaceholder, string> = {
    单位: m.lead_unit_name, 协办: input.coUnits.length ? `，${input.coUnits.join('、')}协办` : '', 协办单位: input.coUnits.join('、'),
    事项: `“${m.title}”（${m.number}）`, 标题: m.title, 编号: m.number, 内容: m.content.trim(), 项目: input.projects.join('、'), 期限: chineseDate(m.due_on),
    状态: MATTER_STATE_LABELS[m.status as MatterStatus] ?? m.status, 反馈要求: m.feedback_days > 0 ? `，办理期间每${m.feedback_days}个工作日报送一次进展` : '',
    反馈日期: m.next_feedback_on ? chineseDate(m.next_feedback_on) : '规定日期', 今天: chineseDate(input.today),
    答复工作日: String(input.replyWorkingDays), 答复期限: chineseDate(input.replyBy), 发文机关: input.issuer,
  };
  const filled = fillLetterTemplate(input.templates[templateKind(input.kind, input.step)], values);
  return {
    title: filled.title,
    recipients: `${m.lead_unit_name}${input.coUnits.length ? `，${input.coUnits.join('、')}` : ''}：`,
    body: filled.paragraphs.map((text): DocBlock => ({ kind: 'paragraph', text })),
  };
}

/** Issues and serves the letters. */
export class LetterService implements LetterIssuer {
  private readonly deps: Deps;
  private readonly store: (db: Executor) => BlobStore;
  constructor(deps: Deps, store: (db: Executor) => BlobStore) {
    this.deps = deps;
    this.store = store;
  }

  /** Numbers, renders and stores one letter in the caller's transaction; notifies the units and logs it. */
  async issue(trx: Executor, input: { matter: MatterRow; kind: LetterKind; step: string | null; signer: Actor | null; settings: SupervisionSettings; at?: Date }): Promise<void> {
    await this.issueLetter(trx, input);
  }

  async issueLetter(trx: Executor, input: { matter: MatterRow; kind: LetterKind; step: string | null; signer: Actor | null; settings: SupervisionSettings; at?: Date }): Promise<LetterRow> {
    const repo = new AgendaRepository(trx);
    const now = input.at ?? this.deps.clock.now();
    const today = chinaToday(now);
    const year = chinaYear(now);
    const m = input.matter;
    const seq = await nextNumber(trx, `letter_${input.kind}`, year);
    const number = formatDocNumber({ prefix: input.settings.letter_prefixes[input.kind], year, seq });
    const coUnits = (await repo.coUnitNames([m.id])).get(m.id) ?? [];
    // The written answer a 督办函 asks for is due this many working days after the letter (答复期限, a setting).
    const replyBy = addWorkingDays(today, input.settings.reply_working_days, await loadWorkCalendar(trx));
    const text = letterText({
      kind: input.kind, step: input.step, matter: m, coUnits, projects: await repo.matterProjects(m.id), today, issuer: input.settings.issuer,
      templates: input.settings.letter_templates, replyWorkingDays: input.settings.reply_working_days, replyBy,
    });
    const date = chineseDate(today);
    const signerName = input.signer && input.signer.userId ? input.signer.displayName : input.settings.issuer;
    const docx = await renderBulletinDocx({
      head: { red_head: input.settings.issuer, issue: LETTER_LABELS[input.kind], doc_number: number, issuer: input.settings.issuer, date, marker: null },
      title: text.title, recipients: text.recipients, body: text.body, annex_list: [], signature: input.settings.issuer, date,
      annexes: [], cc: '', printed_by: input.settings.issuer, printed_date: `${date}印发`, fonts: DEFAULT_TEMPLATE.fonts,
    });
    const key = `letters/${year}/${input.kind}-${seq}.docx`;
    await this.store(trx).put(key, docx);
    const row: Omit<LetterRow, 'id'> = {
      matter_id: m.id, kind: input.kind, number, year, seq, title: text.title, step: input.step, signed_by: input.signer?.userId || null,
      signer_name: signerName, file_key: key, created_at: now.toISOString(),
    };
    const id = await repo.insertLetter(row);
    const recipients = [{ unitId: m.lead_unit_id }, ...(await repo.unitIdsOfMatters([m.id])).filter((u) => u !== m.lead_unit_id).map((u) => ({ unitId: u }))];
    await emitEvent(trx, {
      name: 'matter.letter', entityType: 'matter', entityId: m.id, actorId: input.signer?.userId || null, at: now,
      payload: { letterId: id, kind: input.kind, number, title: LETTER_LABELS[input.kind], step: input.step },
      // The 交办函 goes out with the matter's own "new matter" notification; later letters notify by themselves.
      notify: input.kind === 'assign' ? undefined : { recipients, title: `${LETTER_LABELS[input.kind]} ${number}：${m.title}`, link: `/matters/${m.id}` },
    });
    if (input.kind !== 'assign') {
      await addTodo(trx, {
        key: `matter:${m.id}:letter:${id}`, to: { unitId: m.lead_unit_id }, kind: 'matter.letter', title: `收到${LETTER_LABELS[input.kind]}（${number}）：${m.title}`,
        link: `/matters/${m.id}`, dueOn: input.kind === 'press' ? replyBy : null, entityType: 'matter', entityId: m.id,
      }, now);
    }
    if (input.signer) await this.deps.audit.record(trx, input.signer, { action: 'matter.letter', entityType: 'matter', entityId: m.id, after: { kind: input.kind, number, step: input.step } });
    return { id, ...row };
  }

  /** A letter's .docx (the caller checked the matter's scope). */
  async file(matterId: number, letterId: number): Promise<{ fileName: string; data: Buffer }> {
    const l = await new AgendaRepository(this.deps.db).letter(letterId, matterId);
    if (!l) throw new AppError('not_found', '函件不存在');
    const data = await this.store(this.deps.db).read(l.file_key);
    if (!data) throw new AppError('not_found', '函件文件不存在');
    return { fileName: `${l.number}-${LETTER_LABELS[l.kind as LetterKind] ?? l.kind}.docx`, data };
  }
}
