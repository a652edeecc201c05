import { describe, expect, it } from 'vitest';
import { neutralize, unneutralize } from './formula-text.ts';

describe('formula text', () => {
  it('neutralizes formula-looking text and undoes it on import', () => {
    for (const t of ['=SUM(A1)', '+1', '-2', '@cmd', '\t=1']) {
      expect(neutralize(t)).toBe(`'${t}`);
      expect(unneutralize(neutralize(t))).toBe(t);
    }
    expect(neutralize('正常文本')).toBe('正常文本');
    expect(unneutralize("'普通引号")).toBe("'普通引号");
  });
});
