// Money in Docket is integer yuan. Inputs arrive as "955.27亿元", "1.3万亿元", "5万元", "1,234.5", "12.3万",
// Chinese numerals (一千二百三十四万, 壹佰万) or full-width digits, with the unit in the cell, in the column header
// or in a note row above the table. All arithmetic here is on decimal strings and BigInt: never floating point.

/** A money unit and its size in yuan as a power of ten. */
export type MoneyUnit = '元' | '万元' | '亿元' | '万亿元';

const UNIT_EXPONENT: Record<MoneyUnit, number> = { 元: 0, 万元: 4, 亿元: 8, 万亿元: 12 };

/** The result of parsing: integer yuan, or a Chinese reason. */
export type MoneyParse = { ok: true; yuan: number } | { ok: false; reason: string };

/**
 * The one bound for every amount (input, storage, sums, export): 9万亿元 (9×10^12 yuan), above any single
 * project ("1.3万亿元" happens) and small enough that a million amounts at the bound still sum inside a 64-bit
 * integer (SQLite's SUM raises on overflow; PostgreSQL's BIGINT columns). JS sums beyond 2^53 are done in BigInt.
 */
export const MAX_MONEY_YUAN = 9_000_000_000_000;
/** The bound's text for messages. */
export const MAX_MONEY_TEXT = '9万亿元';
const MAX_YUAN = BigInt(MAX_MONEY_YUAN);

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 幺: 1, 二: 2, 贰: 2, 貳: 2, 两: 2, 兩: 2, 三: 3, 叁: 3, 參: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 陸: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const SMALL_UNITS: Record<string, bigint> = { 十: 10n, 拾: 10n, 百: 100n, 佰: 100n, 千: 1000n, 仟: 1000n };
const NUMERAL_CHARS = /^[零〇一壹幺二贰貳两兩三叁參四肆五伍六陆陸七柒八捌九玖十拾百佰千仟万萬亿億点點]+$/;

/** Full-width digits, signs and separators to ASCII, spaces removed. */
function normalize(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u3000]+/g, '').replace(/[−–—]/g, '-');
}

/** Recognizes a unit name, with or without 元 ("万", "万元", "亿", "億元", "元", "万亿元"). */
export function parseMoneyUnit(text: string): MoneyUnit | undefined {
  const t = normalize(text).replace(/萬/g, '万').replace(/億/g, '亿').replace(/人民币/g, '');
  const m = /^(万亿|亿|万|)元?$/.exec(t);
  if (!m || t === '') return undefined;
  return `${m[1]}元` as MoneyUnit;
}

/**
 * The unit named in a header or note: "总投资（万元）", "总投资(亿元)", "单位：万元", "金额单位:亿元".
 * Undefined when the text names none.
 */
export function findMoneyUnit(text: string): MoneyUnit | undefined {
  const t = normalize(text).replace(/萬/g, '万').replace(/億/g, '亿');
  const note = /单位[:：]?(万亿元|亿元|万元|元)/.exec(t);
  if (note) return note[1] as MoneyUnit;
  const bracket = /[(（[【](万亿元|亿元|万元|元|万|亿)[)）\]】]/.exec(t);
  if (bracket) return parseMoneyUnit(bracket[1]!);
  const tail = /(万亿元|亿元|万元)$/.exec(t);
  if (tail) return tail[1] as MoneyUnit;
  return undefined;
}

/** Splits a plain decimal string ("-1234.5", "1.2e3") into a BigInt of digits and a power of ten. */
function decimalParts(text: string): { digits: bigint; exp: number } | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  const digits = BigInt(`${m[2] || '0'}${frac}`) * (m[1] === '-' ? -1n : 1n);
  return { digits, exp: Number(m[4] ?? 0) - frac.length };
}

/** digits × 10^exp rounded half away from zero to an integer. */
function scaleToInteger(digits: bigint, exp: number): bigint {
  if (exp >= 0) return digits * 10n ** BigInt(exp);
  const div = 10n ** BigInt(-exp);
  const negative = digits < 0n;
  const abs = negative ? -digits : digits;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return negative ? -q : q;
}

/** Integer part of a Chinese numeral below 10^4 units ("一千二百三十四", "十五", "壹佰"), or undefined. */
function chineseSection(text: string): bigint | undefined {
  let total = 0n;
  let digit: bigint | undefined;
  for (const ch of text) {
    if (ch in DIGITS) {
      digit = BigInt(DIGITS[ch]!);
    } else if (ch in SMALL_UNITS) {
      total += (digit ?? 1n) * SMALL_UNITS[ch]!;
      digit = undefined;
    } else {
      return undefined;
    }
  }
  return total + (digit ?? 0n);
}

/**
 * A Chinese numeral as digits × 10^exp: "一千二百三十四万" → 12340000, "三点五亿" → 35 × 10^7,
 * "一万二" (spoken 12000) is read as 10002 only when written with 零 ("一万零二"); "一万二" → 12000.
 */
function chineseNumeral(text: string): { digits: bigint; exp: number } | undefined {
  const t = text.replace(/萬/g, '万').replace(/億/g, '亿').replace(/點/g, '点');
  if (!NUMERAL_CHARS.test(t)) return undefined;
  // A decimal point: "三点五亿" = 3.5 × 10^8; digits after 点 are read one by one.
  const pointAt = t.indexOf('点');
  if (pointAt >= 0) {
    const intPart = chineseNumeral(t.slice(0, pointAt) || '零');
    const rest = t.slice(pointAt + 1);
    const unitMatch = /(万亿|亿|万)$/.exec(rest);
    const fracChars = unitMatch ? rest.slice(0, -unitMatch[1]!.length) : rest;
    if (!intPart || intPart.exp !== 0 || fracChars === '') return undefined;
    let frac = '';
    for (const ch of fracChars) {
      if (!(ch in DIGITS)) return undefined;
      frac += String(DIGITS[ch]);
    }
    const unitExp = unitMatch ? ({ 万: 4, 亿: 8, 万亿: 12 } as Record<string, number>)[unitMatch[1]!]! : 0;
    return { digits: BigInt(`${intPart.digits}${frac}`), exp: unitExp - frac.length };
  }
  let total = 0n;
  let rest = t;
  for (const [big, factor] of [['亿', 10n ** 8n], ['万', 10n ** 4n]] as const) {
    const at = rest.lastIndexOf(big);
    if (at < 0) continue;
    const head = rest.slice(0, at);
    // "一万亿": the head of 亿 itself holds a 万 section.
    const headValue = head === '' ? 1n : chineseNumeral(head)?.digits;
    if (headValue === undefined) return undefined;
    total += headValue * factor;
    rest = rest.slice(at + 1);
    // Spoken abbreviation: "一万二" = 12000, "三亿五" = 350000000 (a single digit after the big unit).
    if (/^[一壹二贰貳两兩三叁參四肆五伍六陆陸七柒八捌九玖]$/.test(rest) && !head.endsWith('零')) {
      return { digits: total + BigInt(DIGITS[rest]!) * (factor / 10n), exp: 0 };
    }
  }
  if (rest === '') return { digits: total, exp: 0 };
  const section = chineseSection(rest.replace(/^零+/, ''));
  if (section === undefined) return undefined;
  return { digits: total + section, exp: 0 };
}

/**
 * Parses an amount to integer yuan. A unit written in the cell wins; otherwise `defaultUnit` (from the column
 * header or a note row) applies, and plain numbers without either are yuan. Fractions of a yuan round half away
 * from zero. Numbers from a spreadsheet (JS numbers) are read through their shortest decimal representation.
 */
export function parseMoney(input: string | number, defaultUnit: MoneyUnit = '元'): MoneyParse {
  let digits: bigint;
  let exp: number;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, reason: '金额不是有效数字' };
    const parts = decimalParts(String(input));
    if (!parts) return { ok: false, reason: '金额不是有效数字' };
    ({ digits, exp } = parts);
    exp += UNIT_EXPONENT[defaultUnit];
  } else {
    let t = normalize(input).replace(/萬/g, '万').replace(/億/g, '亿').replace(/^[¥￥]/, '').replace(/人民币/g, '');
    if (t === '') return { ok: false, reason: '金额为空' };
    let negative = false;
    if (/^[-负]/.test(t)) {
      negative = true;
      t = t.slice(1);
    } else if (t.startsWith('+')) {
      t = t.slice(1);
    }
    let unit: MoneyUnit | undefined;
    const unitMatch = /(万亿元|亿元|万元|元|万亿|亿|万)$/.exec(t);
    let body = t;
    if (unitMatch && /[\d.]$/.test(t.slice(0, -unitMatch[1]!.length))) {
      unit = parseMoneyUnit(unitMatch[1]!);
      body = t.slice(0, -unitMatch[1]!.length);
    } else if (t.endsWith('元')) {
      // "一千二百三十四万元": the numeral keeps its own 万; the amount is in yuan.
      unit = '元';
      body = t.slice(0, -1);
    }
    let parts: { digits: bigint; exp: number } | undefined;
    if (/^[\d,.]+(e[+-]?\d+)?$/i.test(body)) {
      if (/,/.test(body) && !/^\d{1,3}(,\d{3})*(\.\d*)?$/.test(body)) return { ok: false, reason: `金额的千位分隔符位置不对：${input}` };
      parts = decimalParts(body.replace(/,/g, ''));
    } else {
      parts = chineseNumeral(body);
      // A Chinese numeral carrying 万/亿 itself, without a unit, is an amount in yuan ("壹佰万" = 1,000,000 元).
      if (parts && unit === undefined && /[万亿]/.test(body.replace(/萬/g, '万').replace(/億/g, '亿'))) unit = '元';
    }
    if (!parts) return { ok: false, reason: `无法识别的金额：${input}` };
    digits = negative ? -parts.digits : parts.digits;
    exp = parts.exp + UNIT_EXPONENT[unit ?? defaultUnit];
  }
  const yuan = scaleToInteger(digits, exp);
  if (yuan > MAX_YUAN || yuan < -MAX_YUAN) return { ok: false, reason: `金额过大：${String(input)}（上限 ${MAX_MONEY_TEXT}）` };
  return { ok: true, yuan: Number(yuan) };
}

/**
 * Formats integer yuan in a unit with fixed decimals (half away from zero) and optional thousands separators.
 * Sums may be BigInt (exact beyond 2^53); a number must be an integer (one past 2^53 is printed as it stands).
 */
export function formatMoney(yuan: number | bigint, unit: MoneyUnit, opts: { decimals?: number; grouping?: boolean } = {}): string {
  const decimals = opts.decimals ?? 2;
  if (typeof yuan === 'number' && !Number.isInteger(yuan)) throw new RangeError(`not integer yuan: ${yuan}`);
  const scaled = scaleToInteger(BigInt(yuan), decimals - UNIT_EXPONENT[unit]);
  const negative = scaled < 0n;
  const abs = (negative ? -scaled : scaled).toString().padStart(decimals + 1, '0');
  let intPart = abs.slice(0, abs.length - decimals);
  const frac = abs.slice(abs.length - decimals);
  if (opts.grouping ?? true) intPart = intPart.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${negative ? '-' : ''}${intPart}${decimals > 0 ? `.${frac}` : ''}`;
}

/** Yuan as 万元 for tables: 955270000 → "95,527.00". */
export function formatWan(yuan: number, decimals = 2): string {
  return formatMoney(yuan, '万元', { decimals });
}

/** Yuan as 亿元 for bulletins: 95527000000 → "955.27". */
export function formatYi(yuan: number, decimals = 2): string {
  return formatMoney(yuan, '亿元', { decimals, grouping: false });
}

/** Yuan expressed in a unit as a JS number, for spreadsheet cells only (display, never stored back). */
export function yuanIn(yuan: number | bigint, unit: MoneyUnit): number {
  return Number(formatMoney(yuan, unit, { decimals: UNIT_EXPONENT[unit], grouping: false }));
}
