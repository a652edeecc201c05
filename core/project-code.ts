// National project code (GB/T 40058-2021): time, 6-digit region, 2-digit guiding department, 2-digit project type,
// 6 characters ending in a check character. The check algorithm is not public, so only the shape is validated.
const CODE_SHAPE = /^\d{4}-\d{6}-\d{2}-\d{2}-[0-9A-Z]{6}$/;

/** Normalizes a typed code: full-width to half-width, trimmed, uppercase. */
export function normalizeProjectCode(raw: string): string {
  return raw.normalize('NFKC').trim().toUpperCase().replace(/[‐‑–—－]/g, '-');
}

/** A Chinese message when the code's shape is wrong, undefined when it is acceptable. */
export function checkProjectCode(code: string): string | undefined {
  return CODE_SHAPE.test(code) ? undefined : `项目代码格式不正确（应为 24 位，如 2020-320500-44-01-123456）：${code}`;
}
