// The escalation rules the office edits on the 督办设置 page (issue 17): the two ladders (完成时限的逐级督办, 反馈逾期的
// 催办) and the prefixes of the numbers (文号前缀). One check, Chinese messages, run by the page as the clerk types and by
// the server before it stores anything (422), so the two never disagree.
import { checkLadder, type EscalationStep } from '../deadlines.ts';
import { checkDocPrefix } from '../numbering.ts';

export const LETTER_KINDS = ['assign', 'remind', 'press', 'interview'] as const;
export type LetterPrefixKind = (typeof LETTER_KINDS)[number];
/** The letters' names as the office says them. */
export const LETTER_PREFIX_LABELS: Record<LetterPrefixKind, string> = { assign: '交办函', remind: '提醒函', press: '督办函', interview: '约谈通知' };

export interface EscalationRules {
  ladder?: readonly EscalationStep[];
  feedback_ladder?: readonly EscalationStep[];
  matter_prefix?: string;
  letter_prefixes?: Partial<Record<LetterPrefixKind, string>>;
}

/** Every problem of the given rules (only the keys present are checked), in Chinese; empty when they can be stored. */
export function checkEscalationRules(rules: EscalationRules): string[] {
  const errors: string[] = [];
  const ladder = (name: string, steps: readonly EscalationStep[]) => {
    const named = steps.flatMap((s, i) => (s.label.trim() ? [] : [`第 ${i + 1} 级：请填写步骤名称`]));
    for (const e of [...checkLadder(steps), ...named]) errors.push(`${name}${e}`);
  };
  if (rules.ladder) ladder('逐级督办步骤', rules.ladder);
  if (rules.feedback_ladder) ladder('反馈逾期步骤', rules.feedback_ladder);
  if (rules.matter_prefix !== undefined) errors.push(...checkDocPrefix(rules.matter_prefix, '督办事项编号'));
  if (rules.letter_prefixes) {
    for (const k of LETTER_KINDS) {
      const p = rules.letter_prefixes[k];
      if (p !== undefined) errors.push(...checkDocPrefix(p, LETTER_PREFIX_LABELS[k]));
    }
  }
  return errors;
}
