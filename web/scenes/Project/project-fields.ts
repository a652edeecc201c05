import type { MessageKey } from '../../i18n/zh-CN.ts';
import type { Project, ProjectPatch } from '../../api/types.ts';
import { formatWan } from '../../format.ts';

/** How the edit form asks for a field. */
export type FieldKind =
  | 'text' | 'textarea' | 'amount' | 'date' | 'year' | 'flag' | 'levels' | 'unit' | 'region' | 'project'
  | 'nature' | 'category' | 'investment_type';

/** The groups of the record, as the project page shows them (ProjectRecord). */
export type FieldSection = 'identity' | 'people' | 'time' | 'money' | 'stats' | 'package';

export interface FieldSpec {
  key: keyof ProjectPatch;
  label: MessageKey;
  section: FieldSection;
  kind: FieldKind;
  /** Longest text the server keeps. */
  max?: number;
  /** Only the office (发改部门) may change it (server: OFFICE_ONLY_FIELDS). */
  officeOnly?: boolean;
  required?: boolean;
  /** Spans the whole row of its group. */
  wide?: boolean;
}

export const SECTIONS: { key: FieldSection; title: MessageKey }[] = [
  { key: 'identity', title: 'project.section.identity' },
  { key: 'people', title: 'project.section.people' },
  { key: 'time', title: 'project.section.time' },
  { key: 'money', title: 'project.section.money' },
  { key: 'stats', title: 'project.section.stats' },
  { key: 'package', title: 'project.section.package' },
];

export const FUND_KEYS = ['fund_central', 'fund_province', 'fund_city', 'fund_county', 'fund_bank_loan', 'fund_self', 'fund_special_bond'] as const;
const FLAG_KEYS = new Set<string>(['is_package', 'is_key_of_key', 'is_attraction', 'is_central_budget', 'is_special_bond', 'stats_entered']);
const AMOUNT_KEYS = new Set<string>(['total_investment', ...FUND_KEYS]);

/** Every field the edit form writes (the whole 五定 record but stage and tier, which move through their own actions), in form order. */
export const EDITABLE: FieldSpec[] = [
  // identity and levels
  { key: 'name', label: 'project.field.name', section: 'identity', kind: 'text', max: 200, required: true, wide: true },
  { key: 'code', label: 'project.field.code', section: 'identity', kind: 'text' },
  { key: 'levels', label: 'project.field.levels', section: 'identity', kind: 'levels', officeOnly: true },
  { key: 'is_key_of_key', label: 'change.field.is_key_of_key', section: 'identity', kind: 'flag', officeOnly: true },
  { key: 'list_year', label: 'change.field.list_year', section: 'identity', kind: 'year', officeOnly: true },
  { key: 'batch', label: 'change.field.batch', section: 'identity', kind: 'text', max: 64, officeOnly: true },
  { key: 'campaign_group', label: 'change.field.campaign_group', section: 'identity', kind: 'text', max: 64, officeOnly: true },
  { key: 'nature', label: 'project.field.nature', section: 'identity', kind: 'nature' },
  { key: 'category', label: 'project.field.category', section: 'identity', kind: 'category' },
  { key: 'industry_code', label: 'change.field.industry_code', section: 'identity', kind: 'text' },
  { key: 'investment_type', label: 'change.field.investment_type', section: 'identity', kind: 'investment_type' },
  { key: 'is_attraction', label: 'change.field.is_attraction', section: 'identity', kind: 'flag' },
  { key: 'is_central_budget', label: 'change.field.is_central_budget', section: 'identity', kind: 'flag' },
  { key: 'is_special_bond', label: 'change.field.is_special_bond', section: 'identity', kind: 'flag' },
  // unit, leader and builder
  { key: 'unit_id', label: 'project.field.unit', section: 'people', kind: 'unit', officeOnly: true, required: true },
  { key: 'lead_unit_id', label: 'change.field.lead_unit_id', section: 'people', kind: 'unit' },
  { key: 'leader_name', label: 'change.field.leader_name', section: 'people', kind: 'text', max: 64 },
  { key: 'leader_post', label: 'change.field.leader_post', section: 'people', kind: 'text', max: 128 },
  { key: 'region_code', label: 'project.field.region', section: 'people', kind: 'region', required: true },
  { key: 'address', label: 'change.field.address', section: 'people', kind: 'text', max: 500 },
  { key: 'builder_name', label: 'change.field.builder_name', section: 'people', kind: 'text', max: 200, wide: true },
  { key: 'builder_uscc', label: 'change.field.builder_uscc', section: 'people', kind: 'text' },
  { key: 'builder_legal_person', label: 'change.field.builder_legal_person', section: 'people', kind: 'text', max: 64 },
  { key: 'builder_contact', label: 'change.field.builder_contact', section: 'people', kind: 'text', max: 64 },
  { key: 'builder_phone', label: 'change.field.builder_phone', section: 'people', kind: 'text' },
  // scope and schedule
  { key: 'scope_content', label: 'project.field.scope', section: 'time', kind: 'textarea', max: 4000, wide: true },
  { key: 'start_year', label: 'change.field.start_year', section: 'time', kind: 'year' },
  { key: 'end_year', label: 'change.field.end_year', section: 'time', kind: 'year' },
  { key: 'planned_start_date', label: 'change.field.planned_start_date', section: 'time', kind: 'date' },
  { key: 'actual_start_date', label: 'change.field.actual_start_date', section: 'time', kind: 'date' },
  { key: 'planned_completion_date', label: 'change.field.planned_completion_date', section: 'time', kind: 'date' },
  { key: 'actual_completion_date', label: 'change.field.actual_completion_date', section: 'time', kind: 'date' },
  { key: 'planned_production_date', label: 'change.field.planned_production_date', section: 'time', kind: 'date' },
  { key: 'actual_production_date', label: 'change.field.actual_production_date', section: 'time', kind: 'date' },
  // investment and fund sources
  { key: 'total_investment', label: 'project.field.totalInvestment', section: 'money', kind: 'amount', required: true },
  ...FUND_KEYS.map((key): FieldSpec => ({ key, label: `change.field.${key}`, section: 'money', kind: 'amount' })),
  // statistics entry (入库纳统)
  { key: 'stats_entered', label: 'change.field.stats_entered', section: 'stats', kind: 'flag' },
  { key: 'stats_code', label: 'change.field.stats_code', section: 'stats', kind: 'text', max: 64 },
  { key: 'stats_category', label: 'change.field.stats_category', section: 'stats', kind: 'text', max: 64 },
  { key: 'stats_entered_date', label: 'change.field.stats_entered_date', section: 'stats', kind: 'date' },
  { key: 'stats_reason', label: 'change.field.stats_reason', section: 'stats', kind: 'text', max: 500, wide: true },
  // the package
  { key: 'is_package', label: 'change.field.is_package', section: 'package', kind: 'flag', officeOnly: true },
  { key: 'parent_id', label: 'change.field.parent_id', section: 'package', kind: 'project', officeOnly: true, wide: true },
];

const SPEC = new Map(EDITABLE.map((f) => [f.key, f]));

/** Empty strings and null mean the same (domestic databases store '' as NULL); levels compare as sets. */
function norm(key: keyof ProjectPatch, v: unknown): unknown {
  if (v === '' || v === undefined) return null;
  if (key === 'levels') return Array.isArray(v) && v.length ? [...(v as string[])].sort().join(',') : null;
  if (FLAG_KEYS.has(key)) return v === 1 || v === true ? 1 : 0;
  return v;
}

/** The fields of patch whose value differs from the record it was made from. */
export function changedFields(base: Partial<Project>, patch: ProjectPatch): ProjectPatch {
  const out: Record<string, unknown> = {};
  for (const { key } of EDITABLE) {
    if (key in patch && norm(key, patch[key]) !== norm(key, base[key])) out[key] = patch[key];
  }
  return out;
}

/** A field's value as the conflict dialog prints it; levels print through `level` (their labels). */
export function printValue(key: keyof ProjectPatch, value: unknown, level: (l: string) => string = (l) => l): string {
  if (value === null || value === undefined || value === '') return '（空）';
  if (AMOUNT_KEYS.has(key) && typeof value === 'number') return `${formatWan(value)} 万元`;
  if (FLAG_KEYS.has(key)) return value === 1 || value === true ? '是' : '否';
  if (key === 'levels' && Array.isArray(value)) return value.length ? value.map((l) => level(String(l))).join('、') : '（空）';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** The spec of a field (its label and group). */
export function fieldSpec(key: keyof ProjectPatch): FieldSpec | undefined {
  return SPEC.get(key);
}

export interface Conflict {
  /** The record as stored now (after the other person's save). */
  current: Project;
  /** My changes against the record I opened. */
  mine: ProjectPatch;
  /** Fields the other person changed since I opened the record. */
  theirs: { key: keyof ProjectPatch; label: MessageKey; before: unknown; after: unknown; mine: unknown; overlaps: boolean }[];
}

/** Compares what I opened, what is stored now and what I changed. */
export function describeConflict(opened: Partial<Project>, current: Project, mine: ProjectPatch): Conflict {
  const theirs = EDITABLE.filter(({ key }) => norm(key, opened[key]) !== norm(key, current[key])).map(({ key, label }) => ({
    key, label, before: opened[key], after: current[key], mine: key in mine ? mine[key] : undefined, overlaps: key in mine,
  }));
  return { current, mine, theirs };
}
