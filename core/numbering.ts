// Document numbers (文号) as offices print them. The sequence itself lives in the database
// (server/platform/numbering); this file only formats.

/** The parts of a document number: the issuing office's prefix (机关代字), the year and the sequence. */
export interface DocNumber {
  prefix: string;
  year: number;
  seq: number;
}

/**
 * A 文号 per GB/T 9704: prefix, the year in hexagonal brackets 〔〕 and the sequence without leading zeros:
 * { prefix: '区督', year: 2027, seq: 12 } → '区督〔2027〕12号'.
 */
export function formatDocNumber({ prefix, year, seq }: DocNumber): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`year out of range: ${year}`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`sequence must be a positive integer: ${seq}`);
  return `${prefix.trim()}〔${year}〕${seq}号`;
}

/** The issue line of a periodical (简报、快报): '2027年第3期'; without a year just '第3期'. */
export function formatIssueNumber(seq: number, year?: number): string {
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`sequence must be a positive integer: ${seq}`);
  return `${year ? `${year}年` : ''}第${seq}期`;
}

/** Characters a 文号's prefix (机关代字) must not hold: they would break the printed number or its reading back. */
const PREFIX_BREAKERS = /[〔〕[\]【】()（）{}<>《》\s]/u;

/**
 * Checks a number prefix (Chinese messages naming `label`): not empty, at most 20 characters, none of the brackets
 * the number itself uses (〔〕) or that read like them, no spaces or line breaks.
 */
export function checkDocPrefix(prefix: string, label: string): string[] {
  if (!prefix.trim()) return [`${label}的文号前缀不能为空`];
  const errors: string[] = [];
  if ([...prefix].length > 20) errors.push(`${label}的文号前缀不能超过20个字`);
  const bad = PREFIX_BREAKERS.exec(prefix);
  if (bad) errors.push(`${label}的文号前缀不能含有${/\s/u.test(bad[0]) ? '空格或换行' : `“${bad[0]}”`}`);
  return errors;
}
