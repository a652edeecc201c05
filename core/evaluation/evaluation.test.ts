import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dec, formatScore, frac, num, sub } from './exact.ts';
import { scoreRule, type Rule } from './rules.ts';
import { advancedAndLagging, fullMarksOf, schemeFullMarks, scoreScheme, validateScheme, type Scheme, type SchemeNode } from './scheme.ts';
import { scoreYearEnd } from './year-end.ts';
import { fraction, formatPercent, subtract, timeProgress } from '../indicators.ts';

// Values with two decimals (a rate in percent such as 45.54, a gap in points, a count), as the sources give them.
const hundredths = fc.integer({ min: -20_000, max: 20_000 }).map((n) => ({ f: frac(BigInt(n), 100n), x: n / 100 }));
const param = fc.integer({ min: -1000, max: 1000 }).map((n) => n / 10);
const positive = fc.integer({ min: 0, max: 500 }).map((n) => n / 10);
const close = (a: number, b: number) => Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b));

// The naive recomputations: floating point, straight from the wording of each rule.
function naiveLinear(r: Extract<Rule, { kind: 'linear' }>, x: number): number {
  let s = x >= r.target ? r.base + (x - r.target) * r.per_above : r.base - (r.target - x) * r.per_below;
  if (r.min !== undefined) s = Math.max(s, r.min);
  if (r.max !== undefined) s = Math.min(s, r.max);
  return s;
}

describe('rules against a naive recomputation', () => {
  it('linear: slopes above and below, caps', () => {
    fc.assert(fc.property(hundredths, param, param, positive, positive, fc.option(param), fc.option(param), (v, base, target, up, down, lo, hi) => {
      const rule: Rule = { kind: 'linear', base, target, per_above: up, per_below: down, ...(lo !== null ? { min: lo } : {}), ...(hi !== null && (lo === null || hi >= lo) ? { max: hi } : {}) };
      expect(close(num(scoreRule(rule, v.f).points), naiveLinear(rule, v.x))).toBe(true);
    }));
  });

  it('rank bands: the points of the competition rank', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 12 }), fc.array(param, { minLength: 1, maxLength: 6 }), param, fc.boolean(), (values, points, rest, desc) => {
      const rule: Rule = { kind: 'rank_bands', points, rest, order: desc ? 'desc' : 'asc' };
      const peers = values.map((v) => frac(BigInt(v)));
      values.forEach((v, i) => {
        // Naive: sort a copy and find the first position holding the same value.
        const sorted = [...values].sort((a, b) => (desc ? b - a : a - b));
        const rank = sorted.indexOf(v) + 1;
        expect(num(scoreRule(rule, peers[i]!, peers).points)).toBeCloseTo(points[rank - 1] ?? rest, 9);
      });
    }));
  });

  it('proportional to the best, higher or lower better', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 10 }), positive, fc.boolean(), (values, full, desc) => {
      const rule: Rule = { kind: 'proportional', full, order: desc ? 'desc' : 'asc' };
      const peers = values.map((v) => frac(BigInt(v), 100n));
      values.forEach((v, i) => {
        const best = desc ? Math.max(...values) : Math.min(...values);
        const naive = desc ? (best <= 0 || v <= 0 ? 0 : (v / best) * full) : v === 0 ? full : (best / v) * full;
        expect(close(num(scoreRule(rule, peers[i]!, peers).points), naive)).toBe(true);
      });
    }));
  });

  it('count × points with a cap, threshold, deduction per event, veto', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 40 }), param, positive, param, param, (n, per, cap, a, b) => {
      const c = num(scoreRule({ kind: 'count', per, cap }, frac(BigInt(n))).points);
      expect(close(c, Math.max(-cap, Math.min(cap, n * per)))).toBe(true);
      const t = num(scoreRule({ kind: 'threshold', op: '>=', threshold: 10, pass: a, fail: b }, frac(BigInt(n))).points);
      expect(t).toBeCloseTo(n >= 10 ? a : b, 9);
      const t2 = num(scoreRule({ kind: 'threshold', op: '<=', threshold: 10, pass: a, fail: b }, frac(BigInt(n))).points);
      expect(t2).toBeCloseTo(n <= 10 ? a : b, 9);
      const floor = Math.min(a, 0);
      const d = num(scoreRule({ kind: 'deduction', base: 20, per: Math.abs(per), floor }, frac(BigInt(n))).points);
      expect(close(d, Math.max(floor, 20 - n * Math.abs(per)))).toBe(true);
      const v = scoreRule({ kind: 'veto' }, frac(BigInt(n)));
      expect(v.vetoed).toBe(n > 0);
      expect(num(v.points)).toBe(0);
    }));
  });

  it('a missing value scores zero under every rule', () => {
    for (const rule of [{ kind: 'linear', base: 20, target: 100, per_above: 1, per_below: 1 }, { kind: 'veto' }, { kind: 'count', per: -3, cap: 15 }] as Rule[]) {
      expect(scoreRule(rule, null).points.num).toBe(0n);
    }
  });
});

describe('an indicator tree with weights and caps against a naive recomputation', () => {
  const leafRule = fc.oneof(
    fc.record({ kind: fc.constant('linear' as const), base: param, target: param, per_above: positive, per_below: positive }),
    fc.record({ kind: fc.constant('count' as const), per: param, cap: positive }),
    fc.record({ kind: fc.constant('threshold' as const), op: fc.constant('>=' as const), threshold: param, pass: param, fail: param }),
  );
  it('sums capped, weighted contributions level by level', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ rule: leafRule, weight: fc.option(fc.integer({ min: 1, max: 30 }).map((n) => n / 10)), max: fc.option(positive) }), { minLength: 1, maxLength: 6 }),
      fc.option(positive), fc.integer({ min: 1, max: 2 ** 30 }),
      (leaves, groupMax, seed) => {
        const nodes: SchemeNode[] = [{
          key: 'g', name: '组', ...(groupMax !== null ? { max: groupMax } : {}), weight: 0.5,
          children: leaves.map((l, i) => ({ key: `l${i}`, name: `指标${i}`, source: 's', rule: l.rule, ...(l.weight !== null ? { weight: l.weight } : {}), ...(l.max !== null ? { max: l.max } : {}) })),
        }, { key: 'x', name: '加分', source: 's', rule: { kind: 'count', per: 1, cap: 5 } }];
        const units = [{ key: 'a', name: '甲' }, { key: 'b', name: '乙' }];
        const valueOf = (u: string, leaf: string) => ((seed * (u === 'a' ? 7 : 13) + leaf.length * 31 + Number(leaf.slice(1) || 3) * 101) % 20_000) - 10_000;
        const results = scoreScheme({ name: 't', nodes }, { units, value: (u, leaf) => frac(BigInt(valueOf(u, leaf)), 100n) });
        for (const r of results) {
          let g = 0;
          leaves.forEach((l, i) => {
            const x = valueOf(r.key, `l${i}`) / 100;
            const rule = l.rule as Rule;
            let s = rule.kind === 'linear' ? naiveLinear(rule, x) : rule.kind === 'count' ? Math.max(-rule.cap, Math.min(rule.cap, x * rule.per)) : rule.kind === 'threshold' ? (x >= rule.threshold ? rule.pass : rule.fail) : 0;
            if (l.max !== null) s = Math.min(s, l.max);
            g += s * (l.weight ?? 1);
          });
          if (groupMax !== null) g = Math.min(g, groupMax);
          const bonus = Math.max(-5, Math.min(5, valueOf(r.key, 'x') / 100));
          expect(close(num(r.total), g * 0.5 + bonus)).toBe(true);
        }
      },
    ), { numRuns: 200 });
  });

  it('ranks equal totals together and vetoed units last', () => {
    const nodes: SchemeNode[] = [
      { key: 'rate', name: '完成率', source: 's', rule: { kind: 'linear', base: 0, target: 0, per_above: 1, per_below: 1 } },
      { key: 'safety', name: '安全生产', source: 's', rule: { kind: 'veto' } },
    ];
    const values: Record<string, [number, number]> = { a: [90, 0], b: [80, 0], c: [80, 0], d: [99, 1], e: [70, 0] };
    const units = Object.keys(values).map((k) => ({ key: k, name: k }));
    const r = scoreScheme({ name: 't', nodes }, { units, value: (u, l) => frac(BigInt(values[u]![l === 'rate' ? 0 : 1])) });
    expect(r.map((x) => [x.key, x.rank, formatScore(x.total)])).toEqual([['a', 1, '90.0'], ['b', 2, '80.0'], ['c', 2, '80.0'], ['e', 4, '70.0'], ['d', 5, '0.0']]);
    expect(r[4]!.veto_reasons).toEqual(['安全生产：发生1次，一票否决']);
    const { advanced, lagging } = advancedAndLagging(r, { advanced_count: 2, lagging_count: 2 });
    expect(advanced.map((x) => x.key)).toEqual(['a', 'b']);
    expect(lagging.map((x) => x.key)).toEqual(['d', 'e']);
  });
});

describe('the worked examples of domain.md', () => {
  it('rank bands: 1–5名依次60/57/54/51/48分, ties share the rank', () => {
    const rule: Rule = { kind: 'rank_bands', points: [60, 57, 54, 51, 48], rest: 45, order: 'desc' };
    const rates = [95.2, 88.1, 88.1, 70, 65.4, 60, 12].map((x) => dec(x));
    expect(rates.map((v) => formatScore(scoreRule(rule, v, rates).points))).toEqual(['60.0', '57.0', '57.0', '51.0', '48.0', '45.0', '45.0']);
    const distinct = [9, 8, 7, 6, 5, 4].map((x) => dec(x));
    expect(distinct.map((v) => formatScore(scoreRule(rule, v, distinct).points))).toEqual(['60.0', '57.0', '54.0', '51.0', '48.0', '45.0']);
  });

  it('−3 per project that missed its start, at most 15', () => {
    const rule: Rule = { kind: 'count', per: -3, cap: 15 };
    expect(formatScore(scoreRule(rule, frac(2n)).points)).toBe('-6.0');
    expect(formatScore(scoreRule(rule, frac(7n)).points)).toBe('-15.0');
    expect(scoreRule(rule, frac(7n)).note).toBe('7个 × -3分 = -15.0分（以15分为限）');
  });

  it('45.54亿 of a 100亿 plan after May: 45.5%, 3.9 points above 41.67% — scored from the unrounded gap', () => {
    const completion = fraction(4_554_000_000, 10_000_000_000)!;
    const gap = subtract(completion, timeProgress(5));
    expect(formatPercent(completion)).toBe('45.5');
    expect(formatPercent(gap)).toBe('3.9');
    // Sources give the gap in percentage points; 20 base points at the time progress, +0.5 per point above.
    const points = scoreRule({ kind: 'linear', base: 20, target: 0, per_above: 0.5, per_below: 1, min: 0, max: 25 }, frac(gap.num * 100n, gap.den)).points;
    expect(formatScore(points)).toBe('21.9'); // 20 + 3.8733… × 0.5 = 21.9367; from the printed 3.9 it would read 22.0
    expect(formatScore(sub(points, dec(20)), 2)).toBe('1.94');
  });

  it('linear with different slopes and caps: 1 point per point below, 0.5 above, between 0 and 25', () => {
    const rule: Rule = { kind: 'linear', base: 20, target: 100, per_above: 0.5, per_below: 1, min: 0, max: 25 };
    const at = (x: number) => formatScore(scoreRule(rule, dec(x)).points);
    expect([at(100), at(104.2), at(130), at(96.5), at(70), at(79.95)]).toEqual(['20.0', '22.1', '25.0', '16.5', '0.0', '0.0']);
  });

  it('rounds half away from zero only when printed', () => {
    expect(formatScore(frac(-205n, 100n))).toBe('-2.1');
    expect(formatScore(frac(1n, 3n), 2)).toBe('0.33');
    expect(num(dec(0.1)) + num(dec(0.2))).toBeCloseTo(0.3, 12);
  });
});

describe('validateScheme', () => {
  it('names every problem in Chinese with where it is', () => {
    const scheme: Scheme = {
      name: '', advanced_count: 1.5,
      nodes: [
        { key: 'Inv', name: '投资', weight: 0, children: [{ key: 'rate', name: '完成率', source: 'nope', rule: { kind: 'linear', base: 20, target: 100, per_above: -1, per_below: 1, min: 5, max: 1 } }] },
        { key: 'rate', name: '重复', source: 'start_rate', rule: { kind: 'rank_bands', points: [], rest: 0, order: 'desc' } },
        { key: 'bare', name: '无来源' },
      ],
    };
    const sources = new Map([['start_rate', '开工率']]);
    expect(validateScheme(scheme, sources)).toEqual([
      { path: '方案', message: '方案名称不能为空' },
      { path: '方案', message: '先进单位数须为 0 到 50 的整数' },
      { path: '投资', message: '指标代码“Inv”须以小写字母开头，只含小写字母、数字和下划线，至多40个字符' },
      { path: '投资', message: '权重须大于0' },
      { path: '投资 › 完成率', message: '数据来源“nope”不存在' },
      { path: '投资 › 完成率', message: '线性计分的加分、扣分斜率不能为负' },
      { path: '投资 › 完成率', message: '线性计分的最低分大于最高分' },
      { path: '重复', message: '指标代码“rate”重复' },
      { path: '重复', message: '名次计分至少要列出第1名的分值' },
      { path: '无来源', message: '末级指标须绑定数据来源' },
      { path: '无来源', message: '末级指标须选择计分规则' },
    ]);
    expect(validateScheme({ name: '2026年度', nodes: [{ key: 'a', name: 'A', source: 'start_rate', rule: { kind: 'veto' } }] }, sources)).toEqual([]);
  });

  it('checks that the indicators\' full marks add up to the scheme\'s stated total (the editor\'s weights sum)', () => {
    // The demo's shape: rank bands (first place 60) and a linear score capped at 20 under a group capped at 80; a
    // threshold passing at 20 and a penalty (no full marks) in a second group; a veto (none either).
    const nodes: SchemeNode[] = [
      { key: 'invest', name: '投资进度', max: 80, children: [
        { key: 'completion', name: '投资完成率', source: 's', rule: { kind: 'rank_bands', points: [60, 57, 54], rest: 45, order: 'desc' } },
        { key: 'gap', name: '序时差', source: 's', rule: { kind: 'linear', base: 15, target: 0, per_above: 0.25, per_below: 0.5, min: 0, max: 20 } },
      ] },
      { key: 'start', name: '开工', children: [
        { key: 'rate', name: '开工率', source: 's', rule: { kind: 'threshold', op: '>=', threshold: 80, pass: 20, fail: 10 } },
        { key: 'overdue', name: '逾期', source: 's', rule: { kind: 'count', per: -3, cap: 15 } },
      ] },
      { key: 'safety', name: '安全', source: 's', rule: { kind: 'veto' } },
    ];
    const sources = new Map([['s', '来源']]);
    expect(schemeFullMarks({ nodes })).toBe(100);
    expect(fullMarksOf({ key: 'w', name: '加权', weight: 0.5, source: 's', rule: { kind: 'proportional', full: 10, order: 'desc' } })).toBe(5);
    expect(fullMarksOf({ key: 'c', name: '封顶', max: 50, source: 's', rule: { kind: 'rank_bands', points: [60], rest: 0, order: 'desc' } })).toBe(50);
    expect(validateScheme({ name: '百分制', full_marks: 100, nodes }, sources)).toEqual([]);
    expect(validateScheme({ name: '百分制', full_marks: 100, nodes: nodes.slice(1) }, sources)).toEqual([{ path: '方案', message: '各指标满分合计20分，与方案总分100分不一致' }]);
    expect(validateScheme({ name: '百分制', full_marks: 0, nodes }, sources)).toEqual([{ path: '方案', message: '方案总分须为大于0的数字' }]);
    expect(validateScheme({ name: '不声明总分', nodes: nodes.slice(1) }, sources)).toEqual([]);
  });
});

describe('the year-end comprehensive evaluation', () => {
  it('averages the published months, weights them, adds the bounded items and the year ledger, and ranks', () => {
    const months = (...xs: number[]) => new Map(xs.map((x, i) => [i + 1, dec(x)]));
    const r = scoreYearEnd({ monthly_weight: 0.7, items: [{ key: 'dev', name: '发展改革工作', max: 20 }] }, [
      { key: 'a', name: '甲', months: months(90, 80, 85), items: new Map([['dev', dec(25)]]), ledger: dec(-1), vetoed_months: [] },
      { key: 'b', name: '乙', months: months(95, 95), items: new Map([['dev', dec(10)]]), ledger: dec(2), vetoed_months: [] },
      { key: 'c', name: '丙', months: new Map(), items: new Map(), ledger: dec(0), vetoed_months: [4] },
    ]);
    // 甲: 85 × 0.7 = 59.5 + 20 (capped from 25) − 1 = 78.5; 乙: 95 × 0.7 = 66.5 + 10 + 2 = 78.5: a tie.
    expect(r.map((u) => [u.name, u.rank, u.total_text, u.monthly_average_text])).toEqual([['甲', 1, '78.5', '85.0'], ['乙', 1, '78.5', '95.0'], ['丙', 3, '0.0', '0.0']]);
    expect(r[0]!.items).toEqual([{ key: 'dev', name: '发展改革工作', value_text: '20.0' }]);
  });
});
