import { describe, expect, it } from 'vitest';
import { formatWan, formatYi, wanTextToYuan, yuanToWanText } from './format.ts';

describe('money presentation', () => {
  it('prints 万元 in tables and 亿元 in headlines', () => {
    expect(formatWan(123_456_789)).toBe('12,345.68');
    expect(formatYi(4_554_000_000)).toBe('45.54');
    expect(formatWan(null)).toBe('—');
  });
  it('round-trips exact 万元 text and integer yuan', () => {
    expect(wanTextToYuan('1,234.5')).toBe(12_345_000);
    expect(wanTextToYuan('0.0001')).toBe(1);
    expect(wanTextToYuan('1.23456')).toBeUndefined();
    expect(wanTextToYuan('abc')).toBeUndefined();
    expect(yuanToWanText(12_345_000)).toBe('1234.5');
    expect(yuanToWanText(200_000_000)).toBe('20000');
    expect(wanTextToYuan(yuanToWanText(987_654_321))).toBe(987_654_321);
  });
});
