// The scheme editor form's model (考评方案表单): a scheme as groups and a table of indicator lines, and back. Pure,
// so that the page and its tests share it. Two levels are what offices write (分组 › 指标); a deeper tree stays
// editable as JSON only.
import type { Rule, RuleKind } from '../../../core/evaluation/rules.ts';
import type { Scheme, SchemeNode } from '../../../core/evaluation/scheme.ts';

/** A rule's parameters as the form holds them: numbers, rank-band points as text ('60/57/54'), order and operator. */
export interface RuleParams {
  base?: number | null; target?: number | null; per_above?: number | null; per_below?: number | null; min?: number | null; max?: number | null;
  points?: string; rest?: number | null; order?: 'desc' | 'asc'; full?: number | null; per?: number | null; cap?: number | null;
  op?: '>=' | '<='; threshold?: number | null; pass?: number | null; fail?: number | null; floor?: number | null;
}

/** One indicator line (a leaf): its group (a group key, or none for a top-level indicator), caps, source and rule. */
export interface LineValues {
  group?: string | null;
  key: string;
  name: string;
  weight?: number | null;
  max?: number | null;
  min?: number | null;
  source?: string | null;
  kind?: RuleKind | null;
  p?: RuleParams;
}

/** One group (a top-level node with indicator lines under it), with its cap and weight. */
export interface GroupValues {
  key: string;
  name: string;
  weight?: number | null;
  max?: number | null;
  min?: number | null;
}

export interface SchemeFormValues {
  name: string;
  full_marks?: number | null;
  advanced_count?: number | null;
  lagging_count?: number | null;
  groups: GroupValues[];
  lines: LineValues[];
}

/** What each rule kind asks for, in the order the form shows it (labels are i18n keys' last part). */
export const RULE_PARAMS: Record<RuleKind, { name: keyof RuleParams; input: 'number' | 'points' | 'order' | 'op'; optional?: boolean }[]> = {
  linear: [{ name: 'target', input: 'number' }, { name: 'base', input: 'number' }, { name: 'per_above', input: 'number' }, { name: 'per_below', input: 'number' },
    { name: 'min', input: 'number', optional: true }, { name: 'max', input: 'number', optional: true }],
  rank_bands: [{ name: 'order', input: 'order' }, { name: 'points', input: 'points' }, { name: 'rest', input: 'number' }],
  proportional: [{ name: 'order', input: 'order' }, { name: 'full', input: 'number' }],
  count: [{ name: 'per', input: 'number' }, { name: 'cap', input: 'number' }],
  threshold: [{ name: 'op', input: 'op' }, { name: 'threshold', input: 'number' }, { name: 'pass', input: 'number' }, { name: 'fail', input: 'number' }],
  deduction: [{ name: 'base', input: 'number' }, { name: 'per', input: 'number' }, { name: 'floor', input: 'number' }],
  veto: [],
};

const opt = (v: number | undefined) => (v === undefined ? null : v);

function paramsOf(rule: Rule | undefined): RuleParams {
  if (!rule) return {};
  switch (rule.kind) {
    case 'linear': return { base: rule.base, target: rule.target, per_above: rule.per_above, per_below: rule.per_below, min: opt(rule.min), max: opt(rule.max) };
    case 'rank_bands': return { points: (rule.points ?? []).join('/'), rest: rule.rest, order: rule.order };
    case 'proportional': return { full: rule.full, order: rule.order };
    case 'count': return { per: rule.per, cap: rule.cap };
    case 'threshold': return { op: rule.op, threshold: rule.threshold, pass: rule.pass, fail: rule.fail };
    case 'deduction': return { base: rule.base, per: rule.per, floor: rule.floor };
    case 'veto': return {};
  }
}

/** Defaults a new line of a kind starts from (a common scheme's numbers). */
export function defaultParams(kind: RuleKind): RuleParams {
  switch (kind) {
    case 'linear': return { target: 100, base: 10, per_above: 0.5, per_below: 0.5, min: 0, max: null };
    case 'rank_bands': return { order: 'desc', points: '10/9/8/7/6', rest: 5 };
    case 'proportional': return { order: 'desc', full: 10 };
    case 'count': return { per: -3, cap: 15 };
    case 'threshold': return { op: '>=', threshold: 80, pass: 10, fail: 0 };
    case 'deduction': return { base: 10, per: 1, floor: 0 };
    case 'veto': return {};
  }
}

const leafOf = (n: SchemeNode, group: string | null): LineValues => ({
  group, key: n.key, name: n.name, weight: opt(n.weight), max: opt(n.max), min: opt(n.min), source: n.source ?? null, kind: n.rule?.kind ?? null, p: paramsOf(n.rule),
});

/** The form's values of a scheme; null when its tree is deeper than group › indicator (edit it as JSON). */
export function schemeToForm(scheme: Scheme): SchemeFormValues | null {
  const groups: GroupValues[] = [];
  const lines: LineValues[] = [];
  for (const n of scheme.nodes ?? []) {
    if (n.children?.length) {
      if (n.children.some((c) => c.children?.length)) return null;
      groups.push({ key: n.key, name: n.name, weight: opt(n.weight), max: opt(n.max), min: opt(n.min) });
      for (const c of n.children) lines.push(leafOf(c, n.key));
    } else lines.push(leafOf(n, null));
  }
  return {
    name: scheme.name ?? '', full_marks: opt(scheme.full_marks), advanced_count: opt(scheme.advanced_count), lagging_count: opt(scheme.lagging_count),
    groups, lines,
  };
}

/** A number the form holds, or undefined when empty. */
const num = (v: number | null | undefined): number | undefined => (v === null || v === undefined || Number.isNaN(v) ? undefined : v);
/** A required number: NaN when empty, so that the scheme check names it ("…须为数字"). */
const req = (v: number | null | undefined): number => num(v) ?? Number.NaN;

/** '60/57/54', '60、57、54' or '60 57 54' as numbers (a part that is not a number stays NaN for the check to name). */
export function parsePoints(text: string | undefined): number[] {
  return (text ?? '').split(/[/,，、\s]+/).filter(Boolean).map((p) => (/^-?\d+(\.\d+)?$/.test(p) ? Number(p) : Number.NaN));
}

function ruleOf(kind: RuleKind, p: RuleParams): Rule {
  switch (kind) {
    case 'linear': {
      const r: Rule = { kind, base: req(p.base), target: req(p.target), per_above: req(p.per_above), per_below: req(p.per_below) };
      if (num(p.min) !== undefined) r.min = num(p.min);
      if (num(p.max) !== undefined) r.max = num(p.max);
      return r;
    }
    case 'rank_bands': return { kind, points: parsePoints(p.points), rest: req(p.rest), order: p.order ?? 'desc' };
    case 'proportional': return { kind, full: req(p.full), order: p.order ?? 'desc' };
    case 'count': return { kind, per: req(p.per), cap: req(p.cap) };
    case 'threshold': return { kind, op: p.op ?? '>=', threshold: req(p.threshold), pass: req(p.pass), fail: req(p.fail) };
    case 'deduction': return { kind, base: req(p.base), per: req(p.per), floor: req(p.floor) };
    case 'veto': return { kind };
  }
}

function caps<T extends SchemeNode>(node: T, v: { weight?: number | null; max?: number | null; min?: number | null }): T {
  if (num(v.weight) !== undefined) node.weight = num(v.weight);
  if (num(v.min) !== undefined) node.min = num(v.min);
  if (num(v.max) !== undefined) node.max = num(v.max);
  return node;
}

/**
 * The scheme the form describes. A group sits where its first line is; a group without lines comes last (and the
 * scheme check names it: it has neither indicators nor a source). `keep` carries what the form does not edit
 * (the year-end part).
 */
export function formToScheme(v: SchemeFormValues, keep: Pick<Scheme, 'year_end'> = {}): Scheme {
  const nodes: SchemeNode[] = [];
  const groupNodes = new Map<string, SchemeNode>();
  const groupOf = (key: string): SchemeNode | undefined => {
    let g = groupNodes.get(key);
    if (!g) {
      const gv = (v.groups ?? []).find((x) => x?.key === key);
      if (!gv) return undefined;
      g = caps({ key: gv.key, name: gv.name ?? '', children: [] }, gv);
      groupNodes.set(key, g);
      nodes.push(g);
    }
    return g;
  };
  for (const l of v.lines ?? []) {
    if (!l) continue;
    const leaf = caps<SchemeNode>({ key: l.key ?? '', name: l.name ?? '' }, l);
    if (l.source) leaf.source = l.source;
    if (l.kind) leaf.rule = ruleOf(l.kind, l.p ?? {});
    const g = l.group ? groupOf(l.group) : undefined;
    if (g) g.children!.push(leaf);
    else nodes.push(leaf);
  }
  for (const gv of v.groups ?? []) if (gv && !groupNodes.has(gv.key)) nodes.push(caps({ key: gv.key ?? '', name: gv.name ?? '' }, gv));
  const scheme: Scheme = { name: v.name ?? '', nodes };
  if (num(v.full_marks) !== undefined) scheme.full_marks = num(v.full_marks);
  if (num(v.advanced_count) !== undefined) scheme.advanced_count = num(v.advanced_count);
  if (num(v.lagging_count) !== undefined) scheme.lagging_count = num(v.lagging_count);
  if (keep.year_end) scheme.year_end = keep.year_end;
  return scheme;
}
