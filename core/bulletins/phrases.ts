// Phrase rules of a bulletin (通报): how figures become the sentences offices write. Pure and exact: every
// number arrives already printed by core/indicators (formatPercent) or core/money (formatYi), so the bulletin
// says exactly what the indicator API says.

const NUMERALS = '零一二三四五六七八九';

/** 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (up to 99). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`out of range: ${n}`);
  if (n < 10) return NUMERALS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : NUMERALS[tens]}十${ones ? NUMERALS[ones] : ''}`;
}

/** The number of a heading of level 1–4 per GB/T 9704: 一、 （一） 1. （1）. */
export function headingNumber(level: 1 | 2 | 3 | 4, n: number): string {
  switch (level) {
    case 1: return `${chineseNumber(n)}、`;
    case 2: return `（${chineseNumber(n)}）`;
    case 3: return `${n}.`;
    case 4: return `（${n}）`;
  }
}

/**
 * The gap sentence from a printed gap in points ('3.9', '-12.0', '0.0', '—'):
 * '高于序时进度3.9个百分点' / '低于序时进度12.0个百分点' / '与序时进度持平' / '无年度计划投资'.
 */
export function gapPhrase(gapText: string): string {
  if (gapText === '—' || gapText === '') return '无年度计划投资';
  if (/^-?0(\.0+)?$/.test(gapText)) return '与序时进度持平';
  return gapText.startsWith('-') ? `低于序时进度${gapText.slice(1)}个百分点` : `高于序时进度${gapText}个百分点`;
}

/** '一是…；二是…；三是…。' from clauses (empty ones dropped; a clause's own final punctuation is removed). */
export function enumerate(clauses: readonly string[]): string {
  const items = clauses.map((c) => c.trim().replace(/[；;。，,.]+$/u, '')).filter(Boolean);
  if (!items.length) return '';
  return `${items.map((c, i) => `${chineseNumber(i + 1)}是${c}`).join('；')}。`;
}

/** Names joined the Chinese way: 'A', 'A和B', 'A、B和C'. */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join('、')}和${names.at(-1)}`;
}

/** A date 'YYYY-MM-DD' as printed on a document (Arabic numerals, no leading zeros): '2026年6月10日'. */
export function chineseDate(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a date: ${day}`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** Fills '{name}' placeholders; unknown names are reported through `missing` and left as they were. */
export function fill(text: string, values: Readonly<Record<string, string>>, missing?: Set<string>): string {
  return text.replace(/\{([^{}\s]{1,20})\}/gu, (whole, name: string) => {
    if (Object.hasOwn(values, name)) return values[name]!;
    missing?.add(name);
    return whole;
  });
}

/** Every '{name}' placeholder of a text. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{([^{}\s]{1,20})\}/gu)].map((m) => m[1]!);
}
