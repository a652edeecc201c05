import { describe, expect, it } from 'vitest';
import { FIGURE_DEFINITIONS } from '../../../core/problems/figures.ts';
import { en } from '../../i18n/en.ts';
import { zhCN } from '../../i18n/zh-CN.ts';

// The figures page prints each figure's definition from the message tables: the Chinese ones must say exactly what
// core/problems/figures.ts (the exports and bulletins) says, and every figure needs an English one.
describe('the problem figures page definitions', () => {
  it('restate FIGURE_DEFINITIONS word for word in Chinese and have an English text for each', () => {
    for (const [key, text] of Object.entries(FIGURE_DEFINITIONS)) {
      expect(zhCN[`problemFigures.def.${key}` as keyof typeof zhCN]).toBe(text);
      expect(en[`problemFigures.def.${key}` as keyof typeof en]).toBeTruthy();
    }
  });
});
