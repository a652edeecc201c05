import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pinyin } from 'pinyin-pro';
import { foldText, searchTextOf } from './search.ts';

/** The definition, one pinyin pass per form: what searchTextOf's single pass must always equal. */
function twoPasses(name: string): string {
  const folded = foldText(name);
  const full = pinyin(folded, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').replace(/\s+/g, '');
  const initials = pinyin(folded, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').replace(/\s+/g, '');
  return `${folded}|${full.toLowerCase()}|${initials.toLowerCase()}`;
}

// Common and polyphonic characters, an extension-B character (a surrogate pair), full-width letters, digits,
// punctuation, kana and hangul: everything a project name in a hand-made list may hold.
const CHARACTERS = [...'导入智能制造产业园新能源汽车零部件重庆长安行业银行乐山单于解朝阳调和都会便宜着落了觉得地的差参曾㐀𠀀𪚥〇ＡＢＣabcXYZ 123-（）().·、，号期栋幢Ⅱ①のア한'];

describe('search text', () => {
  it('folds the name and adds its full pinyin and initials', () => {
    expect(searchTextOf('比亚迪新能源汽车')).toBe('比亚迪新能源汽车|biyadixinnengyuanqiche|bydxnyqc');
    expect(searchTextOf('導入 項目100000號')).toBe('导入项目100000号|daoruxiangmu100000hao|drxm100000h');
    expect(searchTextOf('ＡＢＣ大厦（二期）')).toBe('abc大厦(二期)|abcdasha(erqi)|abcds(eq)');
  });

  it('equals one pinyin pass per form for any name', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...CHARACTERS), { minLength: 1, maxLength: 24 }), (chars) => {
      const name = chars.join('');
      expect(searchTextOf(name)).toBe(twoPasses(name));
    }), { numRuns: 3000 });
  });
});
