import { describe, expect, it } from 'vitest';
import { checkUscc, normalizeUscc, usccCheckChar } from './uscc.ts';

// Codes as printed on real business licences (publicly displayed): 华为技术有限公司, 腾讯科技（深圳）有限公司,
// 中国石油化工集团有限公司 and the GB 32100 style example 91350100M000100Y43.
const REAL = ['914403001922038216', '9144030071526726XG', '91110000802100433B', '91350100M000100Y43'];

describe('unified social credit code (GB 32100)', () => {
  it('accepts real codes, including letter check characters', () => {
    for (const code of REAL) expect(checkUscc(code), code).toBeUndefined();
  });

  it('computes the check character from the weights and the 31-character table', () => {
    expect(usccCheckChar('91440300192203821')).toBe('6');
    expect(usccCheckChar('9144030071526726X')).toBe('G');
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('rejects a wrong check character, naming the problem in Chinese', () => {
    expect(checkUscc('914403001922038217')).toContain('校验位不正确');
    expect(checkUscc('9144030071526726XH')).toContain('校验位不正确');
  });

  it('rejects a single changed character anywhere (the weights catch each position)', () => {
    const code = REAL[0]!;
    for (let i = 0; i < 17; i++) {
      const c = code[i] === '1' ? '2' : '1';
      const changed = code.slice(0, i) + c + code.slice(i + 1);
      if (i >= 2 && i < 8 && !/\d/.test(c)) continue;
      expect(checkUscc(changed), changed).toBeDefined();
    }
  });

  it('rejects bad length, forbidden letters and a non-numeric division code', () => {
    expect(checkUscc('91440300192203821')).toContain('18 位');
    expect(checkUscc('9144030019220382I6')).toContain('不允许的字符“I”');
    expect(checkUscc('91AB0300192203821A')).toContain('行政区划代码');
  });

  it('normalizes full-width and lowercase input before checking', () => {
    expect(normalizeUscc(' ９１４４０３００７１５２６７２６ｘｇ ')).toBe('9144030071526726XG');
  });
});
