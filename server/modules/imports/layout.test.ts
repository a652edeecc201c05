import { describe, expect, it } from 'vitest';
import { matchField, PROJECT_LIST_FIELDS, PLAN_FIELDS, campaignGroupOf, parseBool } from './columns.ts';
import { classifyRow, detectLayout } from './layout.ts';
import type { CellScalar } from './cell.ts';
import type { SheetRow } from './sheet-reader.ts';

const rows = (...cells: CellScalar[][]): SheetRow[] => cells.map((c, i) => ({ number: i + 1, cells: c }));
const mapping = (layout: ReturnType<typeof detectLayout>) => Object.fromEntries((layout?.columns ?? []).map((c) => [c.letter, [c.field.key, c.unit ?? null, c.unitSource ?? null]]));

describe('header detection', () => {
  it('infers a two-row merged header without merge information (streaming reader, CSV)', () => {
    const layout = detectLayout(rows(
      ['2026年重点项目投资计划表'],
      [null, null, null, null, null, '单位:亿元'],
      ['序号', '项目名称', '总投资', '资金来源', null, '2026年计划投资（万元）'],
      [null, null, null, '中央', '省级', null],
      [1, '甲项目', 10, 1, 2, 300],
    ), null, PROJECT_LIST_FIELDS);
    expect(layout).toMatchObject({ headerTop: 3, headerBottom: 4, noteUnit: '亿元', titleYear: 2026 });
    expect(mapping(layout)).toEqual({
      B: ['name', null, null], C: ['total_investment', '亿元', 'note'], D: ['fund_central', '亿元', 'note'], E: ['fund_province', '亿元', 'note'], F: ['planned_investment', '万元', 'header'],
    });
    expect(layout!.columns.find((c) => c.letter === 'E')!.header).toBe('资金来源/省级');
  });

  it('uses known merges to size the header (in-memory reader, merged cells filled)', () => {
    const layout = detectLayout(rows(
      ['项目名称', '所属地区', '投资构成（万元）', '投资构成（万元）', '投资构成（万元）'],
      ['项目名称', '所属地区', '总投资', '银行贷款', '企业自筹'],
      ['项目名称', '所属地区', null, null, null],
      ['乙项目', '吴中区', 5, 1, 4],
    ), [{ top: 1, left: 1, bottom: 3, right: 1 }, { top: 1, left: 2, bottom: 3, right: 2 }, { top: 1, left: 3, bottom: 1, right: 5 }], PROJECT_LIST_FIELDS);
    expect(layout).toMatchObject({ headerTop: 1, headerBottom: 3 });
    expect(mapping(layout)).toEqual({ A: ['name', null, null], B: ['region', null, null], C: ['total_investment', '万元', 'header'], D: ['fund_bank_loan', '万元', 'header'], E: ['fund_self', '万元', 'header'] });
  });

  it('reads synonyms, full-width brackets and required markers; skips 序号; reports unknown headers', () => {
    const layout = detectLayout(rows(['序号', '名称*', '总投资(亿元)', '责任主体', '建设起止年限', '备注', '国家项目代码']), null, PROJECT_LIST_FIELDS);
    expect(mapping(layout)).toEqual({ B: ['name', null, null], C: ['total_investment', '亿元', 'header'], D: ['unit', null, null], E: ['years', null, null], G: ['code', null, null] });
    expect(layout!.unmapped).toEqual([{ letter: 'F', header: '备注' }]);
  });

  it('finds no header in a sheet without one, and defaults money to 万元 when no unit is given', () => {
    expect(detectLayout(rows(['说明'], ['这是说明页']), null, PROJECT_LIST_FIELDS)).toBeUndefined();
    const layout = detectLayout(rows(['项目名称', '总投资']), null, PROJECT_LIST_FIELDS);
    expect(mapping(layout).B).toEqual(['total_investment', '万元', 'default']);
  });

  it('tells plan columns from project columns', () => {
    expect(matchField(['截至上年底累计完成投资（万元）'], PLAN_FIELDS)?.key).toBe('completed_before_year');
    expect(matchField(['2026年计划投资'], PLAN_FIELDS)?.key).toBe('planned_investment');
    expect(matchField(['建设单位'], PROJECT_LIST_FIELDS)?.key).toBe('builder_name');
    expect(matchField(['责任单位'], PROJECT_LIST_FIELDS)?.key).toBe('unit');
    expect(matchField(['是否专项债项目'], PROJECT_LIST_FIELDS)?.key).toBe('is_special_bond');
    expect(matchField(['专项债'], PROJECT_LIST_FIELDS)?.key).toBe('fund_special_bond');
  });
});

describe('row classification', () => {
  const layout = detectLayout(rows(['序号', '项目名称', '总投资（万元）']), null, PROJECT_LIST_FIELDS)!;
  const classify = (...cells: CellScalar[]) => classifyRow({ number: 9, cells }, layout);
  it.each([
    [[null, null, null], { type: 'blank' }],
    [['合计', null, 100], { type: 'total', text: '合计' }],
    [[null, '合 计', 100], { type: 'total', text: '合 计' }],
    [['小计'], { type: 'total', text: '小计' }],
    [['一、投产达产（项目共计：12个，总投资56.7亿元）'], { type: 'heading', text: '一、投产达产（项目共计：12个，总投资56.7亿元）', group: '投产达产', top: true }],
    [['（二）产业项目'], { type: 'heading', text: '（二）产业项目' }],
    [['（项目共计：3个）'], { type: 'heading', text: '（项目共计：3个）' }],
    [['二、加快建设', '二、加快建设', '二、加快建设'], { type: 'heading', text: '二、加快建设', group: '加快建设', top: true }],
    [[1, '甲项目', 100], { type: 'data' }],
    [[null, '只有名称的项目', null], { type: 'data' }],
  ] as [CellScalar[], object][])('%j', (cells, expected) => {
    expect(classify(...cells)).toEqual(expected);
  });

  it('names campaign groups and reads yes/no cells', () => {
    expect(campaignGroupOf('三、促进开工')).toBe('促进开工');
    expect(campaignGroupOf('签约一批')).toBe('签约一批');
    expect(campaignGroupOf('其他')).toBeUndefined();
    expect(['是', '√', 'Y', 1, true].map((v) => parseBool(v))).toEqual([true, true, true, true, true]);
    expect(['否', '×', 'n', 0].map((v) => parseBool(v))).toEqual([false, false, false, false]);
    expect(parseBool('也许')).toBeUndefined();
  });
});
