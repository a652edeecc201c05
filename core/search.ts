import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

// Traditional (Taiwan, Hong Kong and OpenCC's own) to simplified, as used in mainland lists.
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** Folds text for matching: traditional → simplified, full-width → half-width, lowercase, no whitespace. */
export function foldText(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase().replace(/\s+/g, '');
}

/**
 * The stored search column for a name: the folded name, its full pinyin and its pinyin initials, separated by
 * '|' so a substring match never spans two forms ('比亚迪新能源汽车' → '…|biyadixinnengyuanqiche|bydxnyqc').
 * One pinyin pass gives both forms: an element that is the name's own text at that place is a non-Chinese run
 * (kept whole, as pinyin-pro's `pattern: 'first'` keeps it); any other is one character's syllable, whose first
 * letter is its initial. (Two passes, one per form, cost twice the time of a 100k-row import's pinyin.)
 */
export function searchTextOf(name: string): string {
  const folded = foldText(name);
  let full = '';
  let initials = '';
  let at = 0;
  for (const part of pinyin(folded, { toneType: 'none', type: 'array', nonZh: 'consecutive' })) {
    full += part;
    if (folded.startsWith(part, at)) {
      initials += part;
      at += part.length;
    } else {
      initials += part.charAt(0);
      at += folded.codePointAt(at)! > 0xffff ? 2 : 1;
    }
  }
  return `${folded}|${full.replace(/\s+/g, '').toLowerCase()}|${initials.replace(/\s+/g, '').toLowerCase()}`;
}
