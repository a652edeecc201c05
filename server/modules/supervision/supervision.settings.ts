import { z } from 'zod';
import { DEFAULT_LADDER } from '../../../core/deadlines.ts';
import { checkLetterTemplate, DEFAULT_LETTER_TEMPLATES, LETTER_TEMPLATE_KINDS, type LetterTemplateKind } from '../../../core/supervision/letter-templates.ts';
import { defineSettings } from '../../platform/settings.ts';

const step = z.object({ key: z.string().min(1).max(30), offset: z.number().int().min(-30).max(250), label: z.string().max(30) });
/** A step as the API takes it: whole days of any value (the range is the service's Chinese check). */
const looseStep = z.object({ key: z.string().min(1).max(30), offset: z.number().int(), label: z.string().max(30) });
const letterKind = z.enum(['remind', 'press', 'interview']);
const template = z.object({ title: z.string().max(200), body: z.string().max(4000) }).strict();
/** The letter templates, every kind present, each checked (unknown placeholders refused in Chinese). */
const letterTemplatesShape = z.object(Object.fromEntries(LETTER_TEMPLATE_KINDS.map((k) => [k, template])) as Record<LetterTemplateKind, typeof template>).strict();
const letterTemplates = letterTemplatesShape
  .superRefine((v, ctx) => {
    for (const kind of LETTER_TEMPLATE_KINDS) for (const message of checkLetterTemplate(kind, v[kind])) ctx.addIssue({ code: 'custom', path: [kind], message });
  });

/** The settings' keys, one zod field each. */
const fields = {
  issuer: z.string().min(1).max(40), // 发文机关
  matter_prefix: z.string().min(1).max(20),
  letter_prefixes: z.object({ assign: z.string().min(1).max(20), remind: z.string().min(1).max(20), press: z.string().min(1).max(20), interview: z.string().min(1).max(20) }),
  default_due_working_days: z.number().int().min(1).max(250),
  default_feedback_days: z.number().int().min(0).max(60),
  sign_working_days: z.number().int().min(0).max(10),
  ladder: z.array(step).max(10),
  feedback_ladder: z.array(step).max(10),
  letter_on_step: z.record(z.string(), letterKind),
  letter_on_create: z.boolean(),
  /** The wording of each letter (函件模板), with placeholders; see core/supervision/letter-templates.ts. */
  letter_templates: letterTemplatesShape,
  /** Working days a unit has to answer a 督办函 in writing (答复期限), counted on the office's calendar. */
  reply_working_days: z.number().int().min(1, '答复期限应为1至30个工作日').max(30, '答复期限应为1至30个工作日'),
};

/** Each setting's Chinese name (a stale save's 409 names the ones it would overwrite). */
export const SETTINGS_LABELS: Record<keyof typeof fields, string> = {
  issuer: '发文机关', matter_prefix: '督办事项编号前缀', letter_prefixes: '函件文号前缀', default_due_working_days: '默认办结时限',
  default_feedback_days: '默认反馈周期', sign_working_days: '签收时限', ladder: '逐级督办步骤', feedback_ladder: '反馈逾期步骤',
  letter_on_step: '各级督办发函', letter_on_create: '交办即发交办函', letter_templates: '函件模板', reply_working_days: '答复期限',
};

/**
 * A change to the settings as the API takes it (any subset of the keys). The templates' placeholders are checked by
 * the service and again by the stored schema, so the route's validation does not prefix their Chinese message.
 */
export const supervisionSettingsPatch = z.object({
  ...fields,
  // The ladders' order and range and the prefixes are checked by the service (core/supervision/escalation-settings.ts,
  // one Chinese message per problem, 422) and again by the stored schema; here only their shape.
  ladder: z.array(looseStep).max(10),
  feedback_ladder: z.array(looseStep).max(10),
  matter_prefix: z.string().max(60),
  letter_prefixes: z.object({ assign: z.string().max(60), remind: z.string().max(60), press: z.string().max(60), interview: z.string().max(60) }),
}).partial().extend({
  /** The settings' version the change was made on (from GET /supervision/settings); a stale one answers 409. */
  version: z.number().int().min(1),
}).strict();

/**
 * The supervision office's rules (督办规则), common values as defaults: numbering prefixes, default time limits
 * in working days, the escalation ladders of the completion deadline and of the feedback cadence, and which letter
 * each step issues (交办函 on creation → 提醒函 at T−2 or a missed feedback → 督办函 when overdue → 约谈 after 5 more
 * working days).
 */
export const supervisionSettings = defineSettings('supervision', 'supervision_settings', z.object({ ...fields, letter_templates: letterTemplates }), {
  issuer: '重点项目督查室',
  matter_prefix: '督办',
  letter_prefixes: { assign: '督交', remind: '督提', press: '督办函', interview: '督约' },
  default_due_working_days: 10,
  default_feedback_days: 5,
  sign_working_days: 1,
  ladder: [...DEFAULT_LADDER],
  feedback_ladder: [{ key: 'missed', offset: 1, label: '反馈逾期' }],
  letter_on_step: { remind: 'remind', overdue: 'press', interview: 'interview', missed: 'remind' },
  letter_on_create: true,
  letter_templates: DEFAULT_LETTER_TEMPLATES,
  reply_working_days: 3,
});
export type SupervisionSettings = Awaited<ReturnType<typeof supervisionSettings.get>>;
