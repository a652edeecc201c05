import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

// Traditional (Taiwan, Hong Kong and OpenCC's own) to simplified, as used in mainland lists.
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/**
 * Folds text for matching: traditional → simplified, full-width → half-width, lowercase, no whitespace, and '|'
 * (also '｜', which NFKC turns into '|') → '¦', because '|' separates the forms in searchTextOf: a name holding it
 * would otherwise split its own folded form, and the name key (search_text up to the first '|') would no longer
 * be the folded name.
 */
export function foldText(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase().replace(/\s+/g, '').replaceAll('|', '¦');
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
  const parts = pinyin(folded, { toneType: 'none', type: 'array', nonZh: 'consecutive' });
  const initials: string[] = [];
  let at = 0;
  for (const part of parts) {
    if (folded.startsWith(part, at)) {
      initials.push(part);
      at += part.length;
    } else {
      initials.push(part.charAt(0));
      at += folded.codePointAt(at)! > 0xffff ? 2 : 1;
    }
  }
  // join() makes one flat string: a string built with + or a template stays a tree of its pieces, which an import
  // keeps for 100k rows (measured: 700k string nodes, ~90 MB of heap).
  return [folded, parts.join('').replace(/\s+/g, '').toLowerCase(), initials.join('').replace(/\s+/g, '').toLowerCase()].join('|');
}
