import { z } from 'zod';
import { DEFAULT_LADDER } from '../../../core/deadlines.ts';
import { defineSettings } from '../../platform/settings.ts';

const step = z.object({ key: z.string().min(1).max(30), offset: z.number().int().min(-30).max(250), label: z.string().max(30) });
const letterKind = z.enum(['remind', 'press', 'interview']);

/**
 * The supervision office's rules (督办规则), common values as defaults: numbering prefixes, default time limits
 * in working days, the escalation ladders of the completion deadline and of the feedback cadence, and which letter
 * each step issues (交办函 on creation → 提醒函 at T−2 or a missed feedback → 督办函 when overdue → 约谈 after 5 more
 * working days).
 */
export const supervisionSettings = defineSettings('supervision', 'supervision_settings', z.object({
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
}), {
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
});
export type SupervisionSettings = Awaited<ReturnType<typeof supervisionSettings.get>>;
