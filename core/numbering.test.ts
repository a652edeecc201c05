import { describe, expect, it } from 'vitest';
import { formatDocNumber, formatIssueNumber } from './numbering.ts';

describe('document numbers', () => {
  it('prints a 文号 with hexagonal brackets and no leading zeros', () => {
    expect(formatDocNumber({ prefix: '区督', year: 2027, seq: 12 })).toBe('区督〔2027〕12号');
    expect(formatDocNumber({ prefix: ' 吴重项办 ', year: 2026, seq: 1 })).toBe('吴重项办〔2026〕1号');
  });
  it('refuses a sequence that is not a positive integer or a year that is not four digits', () => {
    expect(() => formatDocNumber({ prefix: '区督', year: 2027, seq: 0 })).toThrow(RangeError);
    expect(() => formatDocNumber({ prefix: '区督', year: 27, seq: 1 })).toThrow(RangeError);
  });
  it('prints an issue number', () => {
    expect(formatIssueNumber(5)).toBe('第5期');
    expect(formatIssueNumber(5, 2026)).toBe('2026年第5期');
  });
});
