import { describe, expect, it } from 'vitest';
import { computeIndicators, emptySums, unrecordedIndicators } from '../indicators.ts';
import { composeBulletin } from './compose.ts';
import type { BulletinFigures } from './figures.ts';
import { chineseDate, enumerate, gapPhrase, headingNumber, joinNames } from './phrases.ts';
import { rankProjects, rankUnits, topAndBottom } from './ranking.ts';
import { checkTemplate, DEFAULT_TEMPLATE } from './template.ts';

const YI = 100_000_000;

describe('bulletin phrases', () => {
  it('words the gap to time progress from the printed points', () => {
    expect(gapPhrase('3.9')).toBe('高于序时进度3.9个百分点');
    expect(gapPhrase('-12.0')).toBe('低于序时进度12.0个百分点');
    expect(gapPhrase('0.0')).toBe('与序时进度持平');
    expect(gapPhrase('-0.0')).toBe('与序时进度持平');
    expect(gapPhrase('—')).toBe('无年度计划投资');
  });
  it('enumerates 一是…二是… and numbers headings 一、（一）1.（1）', () => {
    expect(enumerate(['开工滞后。', '', '要素保障不足；'])).toBe('一是开工滞后；二是要素保障不足。');
    expect(enumerate([])).toBe('');
    expect([headingNumber(1, 12), headingNumber(2, 3), headingNumber(3, 2), headingNumber(4, 10)]).toEqual(['十二、', '（三）', '2.', '（10）']);
    expect(joinNames(['甲', '乙', '丙'])).toBe('甲、乙和丙');
    expect(chineseDate('2026-06-05')).toBe('2026年6月5日');
  });
});

describe('unit ranking', () => {
  const unit = (label: string, plan: number, done: number) => ({ key: label, label, count: 1, planned_investment: plan, completed_ytd: done });
  it('ranks by exact completion rate, shares a rank only on equal rates and explains every tie', () => {
    const ranked = rankUnits([
      unit('甲镇', 3 * YI, 1.5 * YI), unit('乙镇', 2 * YI, 1 * YI), unit('丙镇', 10_000, 4_554), unit('丁镇', 10_000, 4_551), unit('戊镇', 0, 0),
    ], 5);
    expect(ranked.map((u) => [u.name, u.rank, u.completion_rate_text])).toEqual([
      ['甲镇', 1, '50.0'], ['乙镇', 1, '50.0'], ['丙镇', 3, '45.5'], ['丁镇', 4, '45.5'], ['戊镇', null, '—'],
    ]);
    expect(ranked[0]!.note).toBe('与乙镇并列（完成率相同）');
    expect(ranked[2]!.note).toBe('与丁镇完成率均约为45.5%，按未四舍五入的完成率排序');
    expect(ranked[2]!.gap_points_text).toBe('3.9');
    expect(ranked[4]!.note).toBe('无年度计划投资，不参与排名');
    const { top, bottom } = topAndBottom(ranked);
    expect(top.map((u) => u.name)).toEqual(['甲镇', '乙镇', '丙镇']);
    expect(bottom.map((u) => u.name)).toEqual(['丁镇']);
  });
  it('splits projects into 十快 and 十慢 without overlap', () => {
    const projects = Array.from({ length: 7 }, (_, i) => ({ project_id: i + 1, name: `项目${i + 1}`, unit_name: '甲镇', planned_investment: 100, completed_ytd: i * 10 }));
    const { fast, slow } = rankProjects([...projects, { project_id: 99, name: '无计划', unit_name: '乙镇', planned_investment: 0, completed_ytd: 5 }], 5, null, 10);
    expect(fast.map((p) => p.project_id)).toEqual([7, 6, 5, 4]);
    expect(slow.map((p) => p.project_id)).toEqual([1, 2, 3]);
  });
});

describe('composition', () => {
  it('fills the default template with the worked example of domain.md', () => {
    expect(checkTemplate(DEFAULT_TEMPLATE)).toEqual([]);
    const overall = computeIndicators(2026, 5, { ...emptySums(), count: 2, planned_investment: 100 * YI, completed_ytd: 4554 * YI / 100 });
    const figures: BulletinFigures = {
      year: 2026, month: 5, period_label: '1–5月', area: '吴中区', time_curve: null, overall, by_nature: [], by_category: [], by_investment_type: [],
      units: [], fast: [], slow: [], lights: { counts: { red: 0, yellow: 0, green: 2, none: 0 }, list: [] }, computed_at: '2026-06-05T00:00:00Z',
    };
    const { doc, missing } = composeBulletin(DEFAULT_TEMPLATE, figures, { issue_no: 5, date: '2026-06-05', revision: 1, draft: false });
    expect(missing).toEqual([]);
    expect(doc.title).toBe('吴中区2026年重点项目1–5月推进情况');
    expect(doc.head.issue).toBe('2026年第5期');
    const text = doc.body.map((b) => (b.kind === 'table' ? '' : b.kind === 'heading' ? `${b.number}${b.text}` : b.text)).join('\n');
    expect(text).toContain('占年度计划的45.5%，高于序时进度3.9个百分点（序时进度41.67%）');
    expect(text).toContain('开工率—；');
    expect(text).toContain('一、总体进展情况');
    expect(text).toContain('（三）按投资类型分');
    // The 存在问题 list drops clauses whose figure is zero.
    expect(text).toContain('存在以下问题：一是部分单位要素保障和协调推进力度有待加强。');
  });
  it('caps a table at its limit and says how many more there are', () => {
    const overall = computeIndicators(2026, 5, emptySums());
    const list = Array.from({ length: 5 }, (_, i) => ({ project_id: i + 1, name: `项目${i + 1}`, unit_name: '甲镇', light: 'red' as const, reason: '完成率0.0%' }));
    const figures: BulletinFigures = {
      year: 2026, month: 5, period_label: '1–5月', area: '吴中区', time_curve: null, overall, by_nature: [], by_category: [], by_investment_type: [],
      units: [], fast: [], slow: [], lights: { counts: { red: 5, yellow: 0, green: 0, none: 0 }, list }, computed_at: '2026-06-05T00:00:00Z',
    };
    const template = { ...DEFAULT_TEMPLATE, body: [], annexes: [{ title: '名单', blocks: [{ kind: 'table' as const, table: 'lights' as const, limit: 3 }] }] };
    const table = composeBulletin(template, figures, { issue_no: 1, date: '2026-06-05', revision: 1, draft: false }).doc.annexes[0]!.blocks[0]!;
    expect(table.kind === 'table' && [table.rows.length, table.note]).toEqual([3, '（仅列前3个，另有2个，完整名单见系统导出。）']);
  });

  it('says the ranking is not given, and why, for a period before an imported 1–N月 list', () => {
    const sums = { ...emptySums(), count: 2, planned_investment: 100 * YI, completed_ytd: 0 };
    const overall = unrecordedIndicators(computeIndicators(2025, 3, sums), 5);
    const reason = '1–5月累计数据自5月起录入，1–3月完成投资未纳入系统';
    const units = rankUnits([
      { key: '1', label: '甲镇', count: 1, planned_investment: 60 * YI, completed_ytd: 0, unrecorded: reason },
      { key: '2', label: '乙镇', count: 1, planned_investment: 40 * YI, completed_ytd: 0, unrecorded: reason },
    ], 3);
    const figures: BulletinFigures = {
      year: 2025, month: 3, period_label: '1–3月', area: '和林格尔县', time_curve: null, overall, by_nature: [], by_category: [], by_investment_type: [],
      units, fast: [], slow: [], lights: { counts: { red: 0, yellow: 0, green: 0, none: 2 }, list: [] }, computed_at: '2025-04-05T00:00:00Z',
    };
    const body = (f: BulletinFigures) => composeBulletin(DEFAULT_TEMPLATE, f, { issue_no: 3, date: '2025-04-05', revision: 1, draft: false }).doc.body
      .flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));
    const text = body(figures);
    expect(text).toContain('从各单位看，因1–5月累计数据自5月起录入，1–3月完成投资未纳入系统，1–3月不作单位排名，也不列投资完成率较快和较慢的项目。');
    expect(text.join('\n')).not.toContain('（无）');
    // A ranked period, or one where nothing is ranked for another reason (no annual plan), keeps the template's sentence.
    const plain = body({ ...figures, overall: computeIndicators(2025, 3, sums), units: [] });
    expect(plain).toContain('从各单位看，投资完成率居前三位的是（无）；居后三位的是（无）。投资完成率较快的项目有（无）等，较慢的项目有（无）等，十快十慢项目名单见附件2。');
  });

  it('reports unknown placeholders and misplaced {分组}', () => {
    const problems = checkTemplate({ ...DEFAULT_TEMPLATE, title: '{地区}{年份}', body: [{ kind: 'paragraph', text: '{分组}' }] });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('未知的占位符 {年份}');
    expect(problems[1]).toContain('{分组} 只能用于');
  });
});
