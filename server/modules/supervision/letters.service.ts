// Escalation letters (督办函件): 交办函 on creation, 提醒函 at T−k or a missed feedback, 督办函 when overdue, 约谈通知
// after N more working days — each numbered (文号 with 〔〕, one series per kind and year), laid out as a GB/T 9704
// .docx by the bulletins' renderer, stored in the database's file store, logged with who signed it, and sent to
// the lead unit and co-units. It is the MatterService's LetterIssuer (plugged in by createMatterService).
import { chineseDate } from '../../../core/bulletins/phrases.ts';
import type { DocBlock } from '../../../core/bulletins/compose.ts';
import { DEFAULT_TEMPLATE } from '../../../core/bulletins/template.ts';
import { chinaToday, chinaYear } from '../../../core/clock.ts';
import { formatDocNumber } from '../../../core/numbering.ts';
import { MATTER_STATE_LABELS, type MatterStatus } from '../../../core/supervision/matter-workflow.ts';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { BlobStore } from '../../platform/attachments/attachments.ts';
import type { Actor, Deps } from '../../platform/context.ts';
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

/** What a letter says, by kind (and, for a 提醒函, whether a feedback was missed). */
export function letterText(input: {
  kind: LetterKind; step: string | null; matter: Pick<MatterRow, 'number' | 'title' | 'content' | 'due_on' | 'status' | 'feedback_days' | 'next_feedback_on' | 'lead_unit_name'>;
  coUnits: string[]; projects: string[]; today: string; issuer: string;
}): { title: string; recipients: string; body: DocBlock[] } {
  const m = input.matter;
  const quoted = `“${m.title}”（${m.number}）`;
  const due = chineseDate(m.due_on);
  const co = input.coUnits.length ? `，${input.coUnits.join('、')}协办` : '';
  const p = (text: string): DocBlock => ({ kind: 'paragraph', text });
  const body: DocBlock[] = [];
  let title: string;
  switch (input.kind) {
    case 'assign':
      title = `关于交办${quoted}的函`;
      body.push(p(`经研究，现将${quoted}交由你单位牵头办理${co}。`));
      if (m.content.trim()) body.push(p(`事项内容：${m.content.trim()}`));
      if (input.projects.length) body.push(p(`涉及项目：${input.projects.join('、')}。`));
      body.push(p(`请于${due}前办结${m.feedback_days > 0 ? `，办理期间每${m.feedback_days}个工作日报送一次进展` : ''}。确需延期的，请在时限届满前提出申请。`));
      break;
    case 'remind':
      title = `关于${quoted}办理情况的提醒函`;
      if (input.step === 'missed') body.push(p(`你单位牵头办理的${quoted}，${m.next_feedback_on ? `应于${chineseDate(m.next_feedback_on)}前` : '应按期'}报送办理进展，截至${chineseDate(input.today)}尚未报送。`));
      else body.push(p(`你单位牵头办理的${quoted}，办结时限为${due}，即将到期，目前状态为“${MATTER_STATE_LABELS[m.status as MatterStatus] ?? m.status}”。`));
      body.push(p('请抓紧办理，按时报送办理进展和佐证材料。'));
      break;
    case 'press':
      title = `关于督促办理${quoted}的督办函`;
      body.push(p(`你单位牵头办理的${quoted}，办结时限为${due}，截至${chineseDate(input.today)}仍未办结，已逾期。`));
      body.push(p('请高度重视，于收函后3个工作日内书面报送未按期办结的原因、下一步措施和完成时限。逾期仍未办结的，将按规定约谈并通报。'));
      break;
    case 'interview':
      title = `关于${quoted}逾期未办结的约谈通知`;
      body.push(p(`你单位牵头办理的${quoted}，办结时限为${due}，经督办仍未办结。`));
      body.push(p(`经研究，定于近期约谈你单位主要负责同志，具体时间地点另行通知。请提前准备书面说明材料。`));
      break;
  }
  body.push(p(`联系单位：${input.issuer}。`));
  return { title, recipients: `${m.lead_unit_name}${input.coUnits.length ? `，${input.coUnits.join('、')}` : ''}：`, body };
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
    const text = letterText({ kind: input.kind, step: input.step, matter: m, coUnits, projects: await repo.matterProjects(m.id), today, issuer: input.settings.issuer });
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
        link: `/matters/${m.id}`, dueOn: null, entityType: 'matter', entityId: m.id,
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
