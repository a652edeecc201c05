/** Presentation of money and dates. The API carries integer yuan; tables print 万元, headlines 亿元. */
import { parseMoney, type MoneyParse } from '../core/money.ts';

const WAN = 10_000;
const YI = 100_000_000;

/** Integer yuan → "12,345.68" (万元, two decimals). */
export function formatWan(yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined) return '—';
  return (yuan / WAN).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Integer yuan → "1,234.57" (亿元, two decimals). */
export function formatYi(yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined) return '—';
  return (yuan / YI).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A chart axis's money unit: 亿元 once any value reaches 1 亿 (21,000,000 万元 reads as 2,100 亿元), else 万元. */
export function chartMoneyUnit(maxYuan: number): { label: '亿元' | '万元'; divisor: number; digits: number } {
  return maxYuan >= YI ? { label: '亿元', divisor: YI, digits: 2 } : { label: '万元', divisor: WAN, digits: 0 };
}

/** Integer yuan → the exact 万元 text for an input ("12345.6789", no separators, no trailing zeros). */
export function yuanToWanText(yuan: number): string {
  const negative = yuan < 0;
  const abs = Math.abs(yuan);
  const whole = Math.floor(abs / WAN);
  const frac = String(abs % WAN).padStart(4, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/**
 * An amount typed into a form, as the importer reads a cell (core/money.ts, exact decimal arithmetic): a unit typed
 * with it wins ("1.2亿元", "955.27亿", "5万元"), otherwise 万元; thousands separators ("1,234.5"), full-width digits
 * and Chinese numerals are accepted; a fraction of a yuan rounds half away from zero. The reason is Chinese.
 */
export function parseWanInput(text: string): MoneyParse {
  return parseMoney(text.replace(/，/g, ','), '万元');
}

/** An amount typed in a form (see parseWanInput) → integer yuan, or undefined when it is not an amount. */
export function wanTextToYuan(text: string): number | undefined {
  const r = parseWanInput(text);
  return r.ok ? r.yuan : undefined;
}

/** ISO timestamp → "2026-11-23 09:05" in local time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
