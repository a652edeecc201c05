// Exact arithmetic for scores (考评分): every score is a fraction of bigints, computed unrounded and rounded only when
// printed, like the indicator rates in core/indicators.ts (whose Fraction this shares).
import { compare, type Fraction } from '../indicators.ts';

export type { Fraction } from '../indicators.ts';

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y) [x, y] = [y, x % y];
  return x || 1n;
}

/** num/den reduced, den > 0 (den must not be 0). Keeps sums over many units from growing their denominators. */
export function frac(num: bigint, den = 1n): Fraction {
  if (den === 0n) throw new RangeError('zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den);
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export const ZERO: Fraction = { num: 0n, den: 1n };

/** A decimal parameter (60, -3, 0.5, 1.25) as an exact fraction: read from its decimal text, never its binary value. */
export function dec(n: number): Fraction {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  let text = String(n);
  if (/e/i.test(text)) text = n.toFixed(12);
  const negative = text.startsWith('-');
  const [whole, decimals = ''] = (negative ? text.slice(1) : text).split('.');
  const num = BigInt(whole! + decimals) * (negative ? -1n : 1n);
  return frac(num, 10n ** BigInt(decimals.length));
}

export function add(a: Fraction, b: Fraction): Fraction {
  return frac(a.num * b.den + b.num * a.den, a.den * b.den);
}
export function sub(a: Fraction, b: Fraction): Fraction {
  return frac(a.num * b.den - b.num * a.den, a.den * b.den);
}
export function mul(a: Fraction, b: Fraction): Fraction {
  return frac(a.num * b.num, a.den * b.den);
}
/** a ÷ b; b must not be zero. */
export function div(a: Fraction, b: Fraction): Fraction {
  return frac(a.num * b.den, a.den * b.num);
}
export function neg(a: Fraction): Fraction {
  return { num: -a.num, den: a.den };
}
export function sum(values: readonly Fraction[]): Fraction {
  return values.reduce(add, ZERO);
}
export function cmp(a: Fraction, b: Fraction): number {
  return compare(a, b);
}
export function minF(a: Fraction, b: Fraction): Fraction {
  return compare(a, b) <= 0 ? a : b;
}
export function maxF(a: Fraction, b: Fraction): Fraction {
  return compare(a, b) >= 0 ? a : b;
}
/** a bounded by lo and hi (either may be absent). */
export function clamp(a: Fraction, lo?: Fraction, hi?: Fraction): Fraction {
  let x = a;
  if (lo && compare(x, lo) < 0) x = lo;
  if (hi && compare(x, hi) > 0) x = hi;
  return x;
}
export function isZero(a: Fraction): boolean {
  return a.num === 0n;
}

/** The unrounded value as a JS number (JSON, charts); never used to compute another score. */
export function num(a: Fraction): number {
  return Number(a.num) / Number(a.den);
}

/** Rounded half away from zero to `digits` decimals, as text: '57.0', '-3.5', '21.9'. The only rounding of a score. */
export function formatScore(a: Fraction, digits = 1): string {
  const scale = 10n ** BigInt(digits);
  const negative = a.num < 0n;
  const abs = negative ? -a.num : a.num;
  const scaled = (abs * scale * 2n + a.den) / (2n * a.den);
  const whole = scaled / scale;
  const text = digits > 0 ? `${whole}.${(scaled % scale).toString().padStart(digits, '0')}` : `${whole}`;
  return negative && scaled !== 0n ? `-${text}` : text;
}
