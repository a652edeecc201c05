// The typed rule set of a 考评 scheme: how one leaf indicator's measured value becomes points. Every rule is data
// (kind + parameters, decimals as written in the office's scheme) and scores exactly (core/evaluation/exact.ts).
// Values arrive in the unit their source declares (percent, points, count, 万元 …); parameters use the same unit.
import { add, clamp, cmp, dec, div, formatScore, frac, maxF, minF, mul, neg, sub, ZERO, type Fraction } from './exact.ts';

/**
 * 线性计分: at the target the base points; each unit above adds `per_above`, each unit below takes `per_below`
 * ("完成目标得20分，每超1个百分点加0.5分，最高25分；每低1个百分点扣1分，扣完为止"); bounded by min and max.
 */
export interface LinearRule { kind: 'linear'; base: number; target: number; per_above: number; per_below: number; min?: number; max?: number }
/** 名次计分: ranks 1..n among the units get the listed points ("1–5名依次60/57/54/51/48分"), the rest `rest`. */
export interface RankBandsRule { kind: 'rank_bands'; points: number[]; rest: number; order: 'desc' | 'asc' }
/** 比例计分: value ÷ the best unit's value × full ('desc'), or best ÷ value × full when lower is better ('asc'). */
export interface ProportionalRule { kind: 'proportional'; full: number; order: 'desc' | 'asc' }
/** 按个数计分: count × per (negative for a penalty, "每个未按期开工项目扣3分"), its size at most `cap`. */
export interface CountRule { kind: 'count'; per: number; cap: number }
/** 达标计分: `pass` points when the value meets the threshold, else `fail`. */
export interface ThresholdRule { kind: 'threshold'; op: '>=' | '<='; threshold: number; pass: number; fail: number }
/** 扣分制: start from `base`, take `per` for each event, never below `floor`. */
export interface DeductionRule { kind: 'deduction'; base: number; per: number; floor: number }
/** 一票否决: any event (value > 0) sets the unit's whole score to zero and bars it from the top of the list. */
export interface VetoRule { kind: 'veto' }

export type Rule = LinearRule | RankBandsRule | ProportionalRule | CountRule | ThresholdRule | DeductionRule | VetoRule;
export type RuleKind = Rule['kind'];

export const RULE_KINDS: readonly RuleKind[] = ['linear', 'rank_bands', 'proportional', 'count', 'threshold', 'deduction', 'veto'];

/** Chinese names of the rule kinds, as the scheme editor and the score notes print them. */
export const RULE_LABELS: Record<RuleKind, string> = {
  linear: '线性计分', rank_bands: '名次计分', proportional: '比例计分', count: '按个数计分', threshold: '达标计分',
  deduction: '扣分制', veto: '一票否决',
};

/** What a rule made of one unit's value. */
export interface RuleScore {
  /** Unrounded points (zero for a veto item). */
  points: Fraction;
  vetoed: boolean;
  /** How the points came about, in Chinese, with the figures ("第2名，57分"). */
  note: string;
}

/** Rules whose points depend on the other units' values (rank bands, proportional to the best). */
export function needsPeers(rule: Rule): boolean {
  return rule.kind === 'rank_bands' || rule.kind === 'proportional';
}

/** 1-based competition rank of `value` among `peers` (equal values share a rank: 1, 2, 2, 4). */
export function rankAmong(value: Fraction, peers: readonly Fraction[], order: 'desc' | 'asc'): number {
  let better = 0;
  for (const p of peers) if (order === 'desc' ? cmp(p, value) > 0 : cmp(p, value) < 0) better++;
  return better + 1;
}

const f = (x: Fraction) => formatScore(x, 2).replace(/\.?0+$/, '');

/**
 * Scores one value under a rule. `peers` are every unit's values for the same leaf (this one included), null
 * where a unit has no value; only rank bands and proportional read them. A missing value scores zero.
 */
export function scoreRule(rule: Rule, value: Fraction | null, peers: readonly (Fraction | null)[] = []): RuleScore {
  if (value === null) return { points: ZERO, vetoed: false, note: '无数据，不得分' };
  switch (rule.kind) {
    case 'linear': {
      const target = dec(rule.target);
      const base = dec(rule.base);
      const diff = sub(value, target);
      const raw = cmp(diff, ZERO) >= 0 ? add(base, mul(diff, dec(rule.per_above))) : sub(base, mul(neg(diff), dec(rule.per_below)));
      const points = clamp(raw, rule.min === undefined ? undefined : dec(rule.min), rule.max === undefined ? undefined : dec(rule.max));
      const where = cmp(diff, ZERO) > 0 ? `高于目标${f(diff)}` : cmp(diff, ZERO) < 0 ? `低于目标${f(neg(diff))}` : '达到目标';
      return { points, vetoed: false, note: `${where}，${formatScore(points)}分${cmp(points, raw) !== 0 ? '（封顶/保底）' : ''}` };
    }
    case 'rank_bands': {
      const known = peers.filter((p): p is Fraction => p !== null);
      const rank = rankAmong(value, known.length ? known : [value], rule.order);
      const p = rule.points[rank - 1];
      const points = dec(p ?? rule.rest);
      return { points, vetoed: false, note: `第${rank}名，${formatScore(points)}分` };
    }
    case 'proportional': {
      const known = peers.filter((p): p is Fraction => p !== null);
      const all = known.length ? known : [value];
      const full = dec(rule.full);
      if (rule.order === 'desc') {
        const best = all.reduce(maxF);
        if (cmp(best, ZERO) <= 0 || cmp(value, ZERO) <= 0) return { points: ZERO, vetoed: false, note: '不高于零，不得分' };
        const points = mul(div(value, best), full);
        return { points, vetoed: false, note: `最优值${f(best)}，得${formatScore(points)}分` };
      }
      const nonNegative = all.filter((x) => cmp(x, ZERO) >= 0);
      if (cmp(value, ZERO) < 0 || !nonNegative.length) return { points: ZERO, vetoed: false, note: '数值为负，不得分' };
      const best = nonNegative.reduce(minF);
      if (cmp(value, ZERO) === 0) return { points: full, vetoed: false, note: `最优，得${formatScore(full)}分` };
      const points = mul(div(best, value), full);
      return { points, vetoed: false, note: `最优值${f(best)}，得${formatScore(points)}分` };
    }
    case 'count': {
      const raw = mul(value, dec(rule.per));
      const cap = dec(Math.abs(rule.cap));
      const points = clamp(raw, neg(cap), cap);
      return { points, vetoed: false, note: `${f(value)}个 × ${rule.per}分 = ${formatScore(points)}分${cmp(points, raw) !== 0 ? `（以${Math.abs(rule.cap)}分为限）` : ''}` };
    }
    case 'threshold': {
      const t = dec(rule.threshold);
      const ok = rule.op === '>=' ? cmp(value, t) >= 0 : cmp(value, t) <= 0;
      const points = dec(ok ? rule.pass : rule.fail);
      return { points, vetoed: false, note: `${ok ? '达标' : '未达标'}（${rule.op === '>=' ? '不低于' : '不高于'}${rule.threshold}），${formatScore(points)}分` };
    }
    case 'deduction': {
      const raw = sub(dec(rule.base), mul(value, dec(rule.per)));
      const points = maxF(raw, dec(rule.floor));
      return { points, vetoed: false, note: `${f(value)}次，每次扣${rule.per}分，得${formatScore(points)}分` };
    }
    case 'veto': {
      const vetoed = cmp(value, ZERO) > 0;
      return { points: ZERO, vetoed, note: vetoed ? `发生${f(value)}次，一票否决` : '未发生' };
    }
  }
}

/** The exact value of an integer count as a fraction. */
export function countValue(n: number): Fraction {
  return frac(BigInt(n));
}
