import { zhCN, type MessageKey } from '../../i18n/zh-CN.ts';
import type { ProjectChange } from '../../api/types.ts';
import { formatWan } from '../../format.ts';
import { stageKey } from '../../stages.ts';

/** The label of each project column a change can touch: the edit form's labels where it has them. */
const LABELS: Record<string, MessageKey> = {
  name: 'project.field.name',
  code: 'project.field.code',
  region_code: 'project.field.region',
  unit_id: 'project.field.unit',
  nature: 'project.field.nature',
  category: 'project.field.category',
  total_investment: 'project.field.totalInvestment',
  scope_content: 'project.field.scope',
  stage: 'project.field.stage',
};

/** The message key of a changed field's label, or undefined for a column without one (shown by its name). */
export function changeFieldLabel(field: string): MessageKey | undefined {
  return LABELS[field] ?? messageKey(`change.field.${field}`);
}

/** The key when the message tables carry it. */
function messageKey(key: string): MessageKey | undefined {
  return key in zhCN ? key as MessageKey : undefined;
}

/** Columns that hold integer yuan: shown in 万元. */
const MONEY = new Set(['total_investment', 'fund_central', 'fund_province', 'fund_city', 'fund_county', 'fund_bank_loan', 'fund_self', 'fund_special_bond']);
/** 0/1 columns. */
const FLAGS = new Set(['is_package', 'is_key_of_key', 'is_attraction', 'is_central_budget', 'is_special_bond', 'stats_entered']);

/** The action label of a change kind. */
export function changeKindKey(kind: ProjectChange['kind']): MessageKey {
  return `project.changes.kind.${kind}`;
}

/**
 * A stored value as the change history prints it: amounts in 万元, stages, tiers and natures by name, units by
 * name, flags as 是/否, empty as （空）.
 */
export function printChangeValue(field: string, value: unknown, t: (key: MessageKey) => string, unitName: (id: number) => string | undefined): string {
  if (value === null || value === undefined || value === '') return t('project.changes.blank');
  if (MONEY.has(field) && typeof value === 'number') return formatWan(value);
  if (FLAGS.has(field)) return t(value === 1 || value === true ? 'project.changes.yes' : 'project.changes.no');
  if ((field === 'unit_id' || field === 'lead_unit_id') && typeof value === 'number') return unitName(value) ?? String(value);
  if (typeof value === 'string') {
    if (field === 'stage') return stageKey(value) ? t(stageKey(value)!) : value;
    const key = field === 'tier' || field === 'nature' ? messageKey(`${field}.${value}`) : undefined;
    return key ? t(key) : value;
  }
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}
