// A 考评 scheme (考评方案) as data: an indicator tree whose leaves are bound to a source and scored by a rule, with
// weights and caps on every node. Scoring a month is a pure function of the scheme, the units and the values the
// sources measured; the server only gathers the values.
import { add, clamp, cmp, dec, formatScore, mul, sum, ZERO, type Fraction } from './exact.ts';
import { needsPeers, RULE_KINDS, RULE_LABELS, scoreRule, type Rule } from './rules.ts';

/** One node of the indicator tree: a group (children) or a leaf (source + rule). */
export interface SchemeNode {
  /** Stable key within the scheme: lowercase letters, digits, '_' (the ledger and hand entries refer to it). */
  key: string;
  name: string;
  /** The node's score (after its caps) times weight goes into its parent; default 1. */
  weight?: number;
  /** Caps on the node's own score, before the weight ("加分项最高5分"). */
  min?: number;
  max?: number;
  children?: SchemeNode[];
  /** Leaf: where the value comes from (a key of the source registry). */
  source?: string;
  /** Leaf: how the value scores. */
  rule?: Rule;
}

/** The scheme of a year: its tree and how many units the 先进/后进 lists name. */
export interface Scheme {
  name: string;
  nodes: SchemeNode[];
  /** How many units head the list as 先进 and end it as 后进 (default 3 each). */
  advanced_count?: number;
  lagging_count?: number;
  /**
   * The scheme's full marks (总分, commonly 100) when it states them: the indicators' full marks (fullMarksOf) must then
   * add up to it — the editor's "weights sum" check. Omitted: not checked.
   */
  full_marks?: number;
  /** The year-end comprehensive evaluation (year-end.ts): weight of the monthly average, hand-entered items. */
  year_end?: { monthly_weight?: number; items?: { key: string; name: string; max?: number }[] };
}

/** A problem with a scheme, in Chinese, with where it is (node path such as '投资进度 › 开工率'). */
export interface SchemeProblem {
  path: string;
  message: string;
}

const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** Every leaf of the tree, depth first, with its path of names. */
export function leavesOf(nodes: readonly SchemeNode[], path: string[] = []): { node: SchemeNode; path: string[] }[] {
  const out: { node: SchemeNode; path: string[] }[] = [];
  for (const n of nodes) {
    const p = [...path, n.name];
    if (n.children?.length) out.push(...leavesOf(n.children, p));
    else out.push({ node: n, path: p });
  }
  return out;
}

/**
 * Checks a scheme: keys, names, weights, caps, a source and a rule with sensible parameters on every leaf.
 * `sources` (key → label) when given must contain every leaf's source. Returns Chinese problems; none = valid.
 */
export function validateScheme(scheme: Scheme, sources?: ReadonlyMap<string, string>): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const seen = new Set<string>();
  if (!scheme.name?.trim()) problems.push({ path: '方案', message: '方案名称不能为空' });
  if (!scheme.nodes?.length) problems.push({ path: '方案', message: '方案至少要有一项指标' });
  for (const [field, label] of [['advanced_count', '先进单位数'], ['lagging_count', '后进单位数']] as const) {
    const v = scheme[field];
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 50)) problems.push({ path: '方案', message: `${label}须为 0 到 50 的整数` });
  }
  if (scheme.full_marks !== undefined) {
    if (!(typeof scheme.full_marks === 'number' && Number.isFinite(scheme.full_marks) && scheme.full_marks > 0)) problems.push({ path: '方案', message: '方案总分须为大于0的数字' });
    else if (scheme.nodes?.length) {
      const sumOf = schemeFullMarks(scheme);
      if (Math.abs(sumOf - scheme.full_marks) > 1e-9) problems.push({ path: '方案', message: `各指标满分合计${fmt(sumOf)}分，与方案总分${fmt(scheme.full_marks)}分不一致` });
    }
  }
  const ye = scheme.year_end;
  if (ye) {
    if (ye.monthly_weight !== undefined && !(Number.isFinite(ye.monthly_weight) && ye.monthly_weight >= 0)) problems.push({ path: '年终考评', message: '月度平均分权重须为不小于0的数字' });
    for (const it of ye.items ?? []) {
      if (!KEY.test(it.key ?? '')) problems.push({ path: '年终考评', message: `年终考评项代码“${it.key ?? ''}”有误` });
      if (!it.name?.trim()) problems.push({ path: '年终考评', message: '年终考评项名称不能为空' });
      if (it.max !== undefined && !Number.isFinite(it.max)) problems.push({ path: `年终考评 › ${it.name}`, message: '上限须为数字' });
    }
  }
  const walk = (nodes: readonly SchemeNode[], path: string[]) => {
    for (const n of nodes) {
      const p = [...path, n.name || n.key || '（未命名）'].join(' › ');
      const add = (message: string) => problems.push({ path: p, message });
      if (!n.name?.trim()) add('指标名称不能为空');
      if (!KEY.test(n.key ?? '')) add(`指标代码“${n.key ?? ''}”须以小写字母开头，只含小写字母、数字和下划线，至多40个字符`);
      else if (seen.has(n.key)) add(`指标代码“${n.key}”重复`);
      seen.add(n.key);
      for (const [k, label] of [['weight', '权重'], ['min', '下限'], ['max', '上限']] as const) {
        const v = n[k];
        if (v !== undefined && !Number.isFinite(v)) add(`${label}须为数字`);
      }
      if (n.weight !== undefined && !(n.weight > 0)) add('权重须大于0');
      if (n.min !== undefined && n.max !== undefined && n.min > n.max) add(`下限${n.min}大于上限${n.max}`);
      if (n.children?.length) {
        if (n.source || n.rule) add('有下级指标的分组不能再绑定数据来源或计分规则');
        walk(n.children, [...path, n.name]);
        continue;
      }
      if (!n.source) add('末级指标须绑定数据来源');
      else if (sources && !sources.has(n.source)) add(`数据来源“${n.source}”不存在`);
      if (!n.rule) add('末级指标须选择计分规则');
      else for (const m of ruleProblems(n.rule)) add(m);
    }
  };
  walk(scheme.nodes ?? [], []);
  return problems;
}

const fmt = (n: number) => String(Math.round(n * 10_000) / 10_000);

/**
 * The most a node can contribute to its parent (its 满分 × weight): a leaf's best score under its rule (linear: its
 * max, else its base; rank bands: first place; proportional: full; a count bonus: its cap; threshold: pass;
 * deduction: base; a penalty or a veto: 0), capped by the node's own max; a group's children summed, capped by its
 * max. For the editor's "weights sum" check; penalties do not add to the full marks.
 */
export function fullMarksOf(node: SchemeNode): number {
  let best: number;
  if (node.children?.length) best = node.children.reduce((acc, c) => acc + fullMarksOf(c), 0);
  else {
    const r = node.rule;
    switch (r?.kind) {
      case 'linear': best = r.max ?? r.base; break;
      case 'rank_bands': best = Math.max(r.rest, ...(r.points ?? [])); break;
      case 'proportional': best = r.full; break;
      case 'count': best = r.per > 0 ? r.cap : 0; break;
      case 'threshold': best = Math.max(r.pass, r.fail); break;
      case 'deduction': best = r.base; break;
      case 'veto': case undefined: best = 0; break;
    }
  }
  if (node.max !== undefined) best = Math.min(best, node.max);
  const total = best * (node.weight ?? 1);
  return Number.isFinite(total) ? total : 0;
}

/** The indicators' full marks added up (top-level nodes, fullMarksOf each). */
export function schemeFullMarks(scheme: Pick<Scheme, 'nodes'>): number {
  return (scheme.nodes ?? []).reduce((acc, n) => acc + fullMarksOf(n), 0);
}

function ruleProblems(rule: Rule): string[] {
  const out: string[] = [];
  if (!RULE_KINDS.includes(rule.kind)) return [`未知的计分规则“${String((rule as { kind: unknown }).kind)}”`];
  const label = RULE_LABELS[rule.kind];
  const finite = (v: unknown, name: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) out.push(`${label}的${name}须为数字`);
  };
  switch (rule.kind) {
    case 'linear':
      finite(rule.base, '基础分'); finite(rule.target, '目标值'); finite(rule.per_above, '超出每单位加分'); finite(rule.per_below, '低于每单位扣分');
      if (rule.per_above < 0 || rule.per_below < 0) out.push(`${label}的加分、扣分斜率不能为负`);
      if (rule.min !== undefined) finite(rule.min, '最低分');
      if (rule.max !== undefined) finite(rule.max, '最高分');
      if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) out.push(`${label}的最低分大于最高分`);
      break;
    case 'rank_bands':
      if (!Array.isArray(rule.points) || !rule.points.length) out.push(`${label}至少要列出第1名的分值`);
      else rule.points.forEach((p, i) => finite(p, `第${i + 1}名分值`));
      finite(rule.rest, '其余名次分值');
      if (rule.order !== 'desc' && rule.order !== 'asc') out.push(`${label}须说明数值高者在前还是低者在前`);
      break;
    case 'proportional':
      finite(rule.full, '满分');
      if (rule.order !== 'desc' && rule.order !== 'asc') out.push(`${label}须说明数值高者为优还是低者为优`);
      break;
    case 'count':
      finite(rule.per, '每个分值'); finite(rule.cap, '封顶分值');
      break;
    case 'threshold':
      finite(rule.threshold, '达标线'); finite(rule.pass, '达标得分'); finite(rule.fail, '未达标得分');
      if (rule.op !== '>=' && rule.op !== '<=') out.push(`${label}须说明不低于还是不高于达标线`);
      break;
    case 'deduction':
      finite(rule.base, '基础分'); finite(rule.per, '每次扣分'); finite(rule.floor, '最低分');
      if (rule.per < 0) out.push(`${label}的每次扣分不能为负`);
      if (rule.floor > rule.base) out.push(`${label}的最低分大于基础分`);
      break;
    case 'veto':
      break;
  }
  return out;
}

/** How one node scored for one unit. */
export interface NodeScore {
  key: string;
  /** The measured value (leaves), unrounded; null when the source had none. */
  value: Fraction | null;
  /** Before the node's caps. */
  raw: Fraction;
  /** After the caps, before the weight. */
  score: Fraction;
  /** score × weight: what goes into the parent. */
  contribution: Fraction;
  note: string;
}

/** One unit's result. */
export interface UnitResult {
  key: string;
  name: string;
  /** Σ of the top-level contributions. */
  tree_total: Fraction;
  /** Σ of the ledger's 加分/扣分 for the unit in the period. */
  adjustment: Fraction;
  /** tree_total + adjustment, or zero when vetoed. */
  total: Fraction;
  vetoed: boolean;
  veto_reasons: string[];
  /** 1-based; equal totals share a rank; vetoed units rank after all others. */
  rank: number;
  nodes: Record<string, NodeScore>;
}

/** The units, their values per leaf key (null = none), and each unit's ledger adjustment. */
export interface ScoreInput {
  units: readonly { key: string; name: string }[];
  value: (unitKey: string, leafKey: string) => Fraction | null;
  adjustment?: (unitKey: string) => Fraction;
}

/** Ranks by total, highest first; equal totals share a rank (1, 2, 2, 4); vetoed units after all, sharing one. */
export function rankResults<T extends { total: Fraction; vetoed: boolean; name: string }>(items: readonly T[]): (T & { rank: number })[] {
  const collator = new Intl.Collator('zh-CN');
  const live = items.filter((x) => !x.vetoed).sort((a, b) => cmp(b.total, a.total) || collator.compare(a.name, b.name));
  const out: (T & { rank: number })[] = [];
  live.forEach((x, i) => {
    const prev = out[i - 1];
    out.push({ ...x, rank: prev && cmp(prev.total, x.total) === 0 ? prev.rank : i + 1 });
  });
  const vetoed = items.filter((x) => x.vetoed).sort((a, b) => collator.compare(a.name, b.name));
  for (const x of vetoed) out.push({ ...x, rank: live.length + 1 });
  return out;
}

/** Scores every unit under the scheme, exactly, and ranks them. */
export function scoreScheme(scheme: Scheme, input: ScoreInput): UnitResult[] {
  const leaves = leavesOf(scheme.nodes).map((l) => l.node);
  // Peer values per leaf, for the rules that compare units.
  const peers = new Map<string, (Fraction | null)[]>();
  for (const leaf of leaves) {
    if (leaf.rule && needsPeers(leaf.rule)) peers.set(leaf.key, input.units.map((u) => input.value(u.key, leaf.key)));
  }
  const results = input.units.map((u) => {
    const nodes: Record<string, NodeScore> = {};
    const vetoReasons: string[] = [];
    const visit = (n: SchemeNode): Fraction => {
      let raw: Fraction;
      let value: Fraction | null = null;
      let note: string;
      if (n.children?.length) {
        raw = sum(n.children.map(visit));
        note = `下级合计${formatScore(raw)}分`;
      } else {
        value = input.value(u.key, n.key);
        const r = n.rule ? scoreRule(n.rule, value, peers.get(n.key) ?? []) : { points: ZERO, vetoed: false, note: '未设计分规则' };
        if (r.vetoed) vetoReasons.push(`${n.name}：${r.note}`);
        raw = r.points;
        note = r.note;
      }
      const score = clamp(raw, n.min === undefined ? undefined : dec(n.min), n.max === undefined ? undefined : dec(n.max));
      if (cmp(score, raw) !== 0) note += `；以${cmp(score, raw) < 0 ? '上限' : '下限'}${formatScore(score)}分计`;
      const contribution = n.weight === undefined ? score : mul(score, dec(n.weight));
      nodes[n.key] = { key: n.key, value, raw, score, contribution, note };
      return contribution;
    };
    const treeTotal = sum(scheme.nodes.map(visit));
    const adjustment = input.adjustment?.(u.key) ?? ZERO;
    const vetoed = vetoReasons.length > 0;
    return {
      key: u.key, name: u.name, tree_total: treeTotal, adjustment, total: vetoed ? ZERO : add(treeTotal, adjustment),
      vetoed, veto_reasons: vetoReasons, nodes,
    };
  });
  return rankResults(results);
}

/** The 先进 (first n, not vetoed) and 后进 (last m, vetoed first) units of a ranked result. */
export function advancedAndLagging<T extends { rank: number; vetoed: boolean }>(ranked: readonly T[], scheme: Pick<Scheme, 'advanced_count' | 'lagging_count'>): { advanced: T[]; lagging: T[] } {
  const a = scheme.advanced_count ?? 3;
  const l = scheme.lagging_count ?? 3;
  const advanced = ranked.filter((r) => !r.vetoed).slice(0, a);
  const rest = ranked.filter((r) => !advanced.includes(r));
  const lagging = rest.slice(Math.max(0, rest.length - l)).reverse();
  return { advanced, lagging };
}
