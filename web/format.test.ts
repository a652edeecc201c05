import { describe, expect, it } from 'vitest';
import { chartMoneyUnit, formatWan, formatYi, parseWanInput, wanTextToYuan, yuanToWanText } from './format.ts';

describe('money presentation', () => {
  it('prints 万元 in tables and 亿元 in headlines', () => {
    expect(formatWan(123_456_789)).toBe('12,345.68');
    expect(formatYi(4_554_000_000)).toBe('45.54');
    expect(formatWan(null)).toBe('—');
  });
  it('round-trips exact 万元 text and integer yuan', () => {
    expect(wanTextToYuan('1,234.5')).toBe(12_345_000);
    expect(wanTextToYuan('0.0001')).toBe(1);
    expect(wanTextToYuan('1.23456')).toBe(12_346); // a fraction of a yuan rounds, as the importer does
    expect(wanTextToYuan('abc')).toBeUndefined();
    expect(yuanToWanText(12_345_000)).toBe('1234.5');
    expect(yuanToWanText(200_000_000)).toBe('20000');
    expect(wanTextToYuan(yuanToWanText(987_654_321))).toBe(987_654_321);
  });
  it('reads a typed amount as the importer reads a cell: 万元 by default, a unit typed with it wins', () => {
    expect(wanTextToYuan('1.2亿元')).toBe(120_000_000);
    expect(wanTextToYuan('955.27亿')).toBe(95_527_000_000);
    expect(wanTextToYuan('5万元')).toBe(50_000);
    expect(wanTextToYuan('1，234.5')).toBe(12_345_000);
    expect(wanTextToYuan('３００')).toBe(3_000_000);
    expect(wanTextToYuan('-3')).toBe(-30_000);
    const bad = parseWanInput('12,34');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toContain('千位分隔符');
    expect(!parseWanInput('abc').ok && (parseWanInput('abc') as { reason: string }).reason).toContain('无法识别');
  });
  it('puts a chart axis in 亿元 once a value reaches 1 亿', () => {
    expect(chartMoneyUnit(210_000_000_000)).toMatchObject({ label: '亿元', divisor: 100_000_000 });
    expect(chartMoneyUnit(99_999_999)).toMatchObject({ label: '万元', divisor: 10_000 });
  });
});
