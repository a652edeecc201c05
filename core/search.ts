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
 */
export function searchTextOf(name: string): string {
  const folded = foldText(name);
  const full = pinyin(folded, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').replace(/\s+/g, '');
  const initials = pinyin(folded, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').replace(/\s+/g, '');
  return `${folded}|${full.toLowerCase()}|${initials.toLowerCase()}`;
}
