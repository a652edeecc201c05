// Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters — registration authority (1),
// organization type (1), administrative division (6 digits), organization code (9), check character (1).
// The check character: Σ value(cᵢ) × wᵢ over the first 17, then 31 − (Σ mod 31), with 31 written as 0.

/** The 31 characters the code may use (no I, O, S, V, Z), in value order 0..30. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Normalizes a typed code: full-width to half-width, trimmed, uppercase. */
export function normalizeUscc(raw: string): string {
  return raw.normalize('NFKC').trim().toUpperCase();
}

/** The check character for the first 17 characters, or undefined when one of them is not allowed. */
export function usccCheckChar(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17[i] ?? '');
    if (v < 0) return undefined;
    sum += v * WEIGHTS[i]!;
  }
  return CHARSET[(31 - (sum % 31)) % 31];
}

/** A Chinese message when the code is not a valid unified social credit code, undefined when it is. */
export function checkUscc(code: string): string | undefined {
  if (code.length !== 18) return `统一社会信用代码应为 18 位（当前 ${code.length} 位）：${code}`;
  const bad = [...code].find((c) => !CHARSET.includes(c));
  if (bad !== undefined) return `统一社会信用代码含有不允许的字符“${bad}”：${code}`;
  if (!/^\d{6}$/.test(code.slice(2, 8))) return `统一社会信用代码第 3–8 位应为行政区划代码：${code}`;
  const expected = usccCheckChar(code.slice(0, 17));
  if (expected !== code[17]) return `统一社会信用代码校验位不正确，请核对：${code}`;
  return undefined;
}
