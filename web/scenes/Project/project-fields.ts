import type { MessageKey } from '../../i18n/zh-CN.ts';
import type { Project, ProjectPatch } from '../../api/types.ts';
import { formatWan } from '../../format.ts';

/** The fields the edit form writes, in form order, with their labels. */
export const EDITABLE: { key: keyof ProjectPatch; label: MessageKey }[] = [
  { key: 'name', label: 'project.field.name' },
  { key: 'code', label: 'project.field.code' },
  { key: 'region_code', label: 'project.field.region' },
  { key: 'unit_id', label: 'project.field.unit' },
  { key: 'nature', label: 'project.field.nature' },
  { key: 'category', label: 'project.field.category' },
  { key: 'total_investment', label: 'project.field.totalInvestment' },
  { key: 'scope_content', label: 'project.field.scope' },
];

/** Empty strings and null mean the same (domestic databases store '' as NULL). */
const norm = (v: unknown) => (v === '' || v === undefined ? null : v);

/** The fields of patch whose value differs from the record it was made from. */
export function changedFields(base: Project, patch: ProjectPatch): ProjectPatch {
  const out: Record<string, unknown> = {};
  for (const { key } of EDITABLE) {
    if (key in patch && norm(patch[key]) !== norm(base[key])) out[key] = patch[key];
  }
  return out;
}

/** A field's value as the conflict dialog prints it. */
export function printValue(key: keyof ProjectPatch, value: unknown): string {
  if (value === null || value === undefined || value === '') return '（空）';
  if (key === 'total_investment' && typeof value === 'number') return `${formatWan(value)} 万元`;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
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
export function describeConflict(opened: Project, current: Project, mine: ProjectPatch): Conflict {
  const theirs = EDITABLE.filter(({ key }) => norm(opened[key]) !== norm(current[key])).map(({ key, label }) => ({
    key, label, before: opened[key], after: current[key], mine: key in mine ? mine[key] : undefined, overlaps: key in mine,
  }));
  return { current, mine, theirs };
}
