import type { MessageKey } from '../i18n/zh-CN.ts';
import { parseWanInput } from '../format.ts';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/**
 * An antd form rule for an amount typed in 万元 or with its own unit (1,234.5 / 1.2亿元 / 5万元), read as the
 * importer reads a cell; the message says what was wrong and what is accepted.
 */
export function amountRule(t: T, opts: { allowNegative?: boolean } = {}) {
  return {
    validator: async (_rule: unknown, value: string | undefined) => {
      if (!value || !value.trim()) return;
      const r = parseWanInput(value);
      if (!r.ok) throw new Error(t('project.validation.amountFormat', { reason: r.reason }));
      if (r.yuan < 0 && !opts.allowNegative) throw new Error(t('project.validation.amountNegative'));
    },
  };
}
