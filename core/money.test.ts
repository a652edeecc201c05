import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findMoneyUnit, formatMoney, formatWan, formatYi, MAX_MONEY_YUAN, parseMoney, parseMoneyUnit, yuanIn } from './money.ts';

const yuan = (input: string | number, unit?: Parameters<typeof parseMoney>[1]) => {
  const r = parseMoney(input, unit);
  if (!r.ok) throw new Error(r.reason);
  return r.yuan;
};

describe('parseMoney', () => {
  it.each([
    ['955.27亿元', 95_527_000_000],
    ['1.3万亿元', 1_300_000_000_000],
    ['5万元', 50_000],
    ['12.3万', 123_000],
    ['1,234.5', 1235],
    ['1,234.5元', 1235],
    ['0.1亿', 10_000_000],
    ['１２．５万元', 125_000],
    ['12.3 亿', 1_230_000_000],
    ['￥3,000', 3000],
    ['-12.5万元', -125_000],
    ['－3万', -30_000],
    ['一千二百三十四万', 12_340_000],
    ['一千二百三十四万元', 12_340_000],
    ['壹佰万', 1_000_000],
    ['壹佰万元', 1_000_000],
    ['五万元', 50_000],
    ['三点五亿', 350_000_000],
    ['十五万', 150_000],
    ['一万二', 12_000],
    ['一万零二', 10_002],
    ['二亿三千万', 230_000_000],
    ['一万亿', 1_000_000_000_000],
    ['叁仟伍佰万元', 35_000_000],
    ['1.2e3', 1200],
    ['955.27億元', 95_527_000_000],
  ])('%s → %d yuan', (input, expected) => {
    expect(yuan(input)).toBe(expected);
  });

  it('applies the default unit from the header or note only when the cell names none', () => {
    expect(yuan('955.27', '亿元')).toBe(95_527_000_000);
    expect(yuan('1,234.5', '万元')).toBe(12_345_000);
    expect(yuan('一千二百三十四', '万元')).toBe(12_340_000);
    expect(yuan('5万元', '亿元')).toBe(50_000);
    expect(yuan('3亿', '万元')).toBe(300_000_000);
  });

  it('reads spreadsheet numbers exactly, without floating-point error', () => {
    // 0.29 * 1e8 in floating point is 28999999.999999996; 4.35 * 1e4 is 43499.99999999999.
    expect(0.29 * 1e8).not.toBe(29_000_000);
    expect(yuan(0.29, '亿元')).toBe(29_000_000);
    expect(yuan(4.35, '万元')).toBe(43_500);
    expect(yuan(955.27, '亿元')).toBe(95_527_000_000);
    expect(yuan(0.1 + 0.2, '万元')).toBe(3000);
    expect(yuan(1234.5678, '万元')).toBe(12_345_678);
    expect(yuan(1e-7, '万元')).toBe(0);
    expect(yuan(123.45678, '万元')).toBe(1_234_568); // half away from zero
    expect(yuan(-0.5)).toBe(-1);
  });

  it('round-trips every whole-yuan amount written in 万元 with four decimals', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_MONEY_YUAN }), (n) => {
      expect(yuan(formatMoney(n, '万元', { decimals: 4 }), '万元')).toBe(n);
      expect(yuan(formatMoney(n, '亿元', { decimals: 8, grouping: false }), '亿元')).toBe(n);
      expect(yuan(yuanIn(n, '万元'), '万元')).toBe(n);
    }));
  });

  it.each(['', 'abc', '12..3', '1,23,4', '十二点', '五块钱', 'NaN'])('rejects %j with a Chinese reason', (input) => {
    const r = parseMoney(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/金额/);
  });

  it('rejects absurd amounts', () => {
    expect(parseMoney('2000万亿亿').ok).toBe(false);
    expect(parseMoney(1e30).ok).toBe(false);
    expect(parseMoney(Number.NaN).ok).toBe(false);
  });
});

describe('units', () => {
  it.each([
    ['总投资（万元）', '万元'],
    ['总投资(亿元)', '亿元'],
    ['单位：万元', '万元'],
    ['金额单位:亿元', '亿元'],
    ['单位 ：万元', '万元'],
    ['年度计划投资[万元]', '万元'],
    ['总投资万元', '万元'],
    ['总投资（億元）', '亿元'],
    ['总投资', undefined],
    ['项目名称', undefined],
  ])('%s names %s', (text, unit) => {
    expect(findMoneyUnit(text)).toBe(unit);
  });

  it('parses unit names', () => {
    expect(parseMoneyUnit('万')).toBe('万元');
    expect(parseMoneyUnit('亿元')).toBe('亿元');
    expect(parseMoneyUnit('元')).toBe('元');
    expect(parseMoneyUnit('千元')).toBeUndefined();
  });
});

describe('formatting', () => {
  it('prints 万元 for tables and 亿元 for bulletins, rounding half away from zero', () => {
    expect(formatWan(955_270_000)).toBe('95,527.00');
    expect(formatYi(95_527_000_000)).toBe('955.27');
    expect(formatYi(4_554_000_000, 2)).toBe('45.54');
    expect(formatWan(12_345, 0)).toBe('1');
    expect(formatWan(15_000, 0)).toBe('2');
    expect(formatWan(-15_000, 0)).toBe('-2');
    expect(formatWan(5, 4)).toBe('0.0005');
    expect(formatMoney(1_234_567, '元', { decimals: 0 })).toBe('1,234,567');
    expect(() => formatWan(0.5)).toThrow();
  });
});
