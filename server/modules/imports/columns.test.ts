import { describe, expect, it } from 'vitest';
import { matchField, parseLevels, parseSeq, parseTick, PROJECT_LIST_FIELDS } from './columns.ts';
import { decodeFileName } from '../../plugins/multipart.ts';

describe('project levels in a cell (项目级别)', () => {
  it.each([
    ['省重点、市重点', ['province', 'city'], false],
    ['省市重点', ['province', 'city'], false],
    ['省级', ['province'], false],
    ['国家级重点项目', ['national'], false],
    ['国家重点，省重点', ['national', 'province'], false],
    ['县（市、区）重点', ['county'], false],
    ['区级', ['county'], false],
    ['市"重中之重"', ['city'], true],
    ['省重点、市“重中之重”', ['province', 'city'], true],
    ['省 市 县重点', ['province', 'city', 'county'], false],
    ['无', [], false],
  ])('%s', (text, levels, keyOfKey) => {
    expect(parseLevels(text)).toEqual({ levels, keyOfKey });
  });

  it('names the part it cannot read', () => {
    expect(parseLevels('省重点、部重点')).toEqual({ unknown: '部重点' });
    expect(parseLevels('重要')).toEqual({ unknown: '重要' });
  });
});

describe('level ticks', () => {
  it('reads ticks, yes/no and the level repeated', () => {
    for (const yes of ['✓', '√', '是', '1', 1, true, '★', '省重点']) expect(parseTick(yes)).toBe(true);
    for (const no of ['否', '×', '0', 0, false]) expect(parseTick(no)).toBe(false);
    expect(parseTick('也许')).toBeUndefined();
  });

  it('maps level headers flat and under a merged 项目级别 header (not to 省级资金)', () => {
    expect(matchField(['省重点'], PROJECT_LIST_FIELDS)?.key).toBe('level_province');
    expect(matchField(['是否市重点项目'], PROJECT_LIST_FIELDS)?.key).toBe('level_city');
    expect(matchField(['项目级别', '省级'], PROJECT_LIST_FIELDS)?.key).toBe('level_province');
    expect(matchField(['项目级别', '国家'], PROJECT_LIST_FIELDS)?.key).toBe('level_national');
    expect(matchField(['项目级别', '县（市、区）'], PROJECT_LIST_FIELDS)?.key).toBe('level_county');
    expect(matchField(['资金来源', '省级'], PROJECT_LIST_FIELDS)?.key).toBe('fund_province');
    expect(matchField(['项目级别'], PROJECT_LIST_FIELDS)?.key).toBe('levels');
    expect(matchField(['牵头单位'], PROJECT_LIST_FIELDS)?.key).toBe('lead_unit');
    expect(matchField(['责任单位'], PROJECT_LIST_FIELDS)?.key).toBe('unit');
    expect(matchField(['所属打包项目'], PROJECT_LIST_FIELDS)?.key).toBe('package');
    expect(matchField(['打包项目名称'], PROJECT_LIST_FIELDS)?.key).toBe('package');
  });
});

describe('序号 of packages and sub-items', () => {
  it.each([
    [1, { kind: 'major', n: '1' }],
    ['12', { kind: 'major', n: '12' }],
    ['3.', { kind: 'major', n: '3' }],
    ['1.1', { kind: 'sub', style: 'dotted', parent: '1' }],
    ['１．２', { kind: 'sub', style: 'dotted', parent: '1' }],
    ['2-3', { kind: 'sub', style: 'dotted', parent: '2' }],
    [1.2, { kind: 'sub', style: 'dotted', parent: '1' }],
    ['（1）', { kind: 'sub', style: 'paren' }],
    ['(2)', { kind: 'sub', style: 'paren' }],
    ['①', { kind: 'sub', style: 'circled' }],
    ['⑩', { kind: 'sub', style: 'circled' }],
    [null, { kind: 'none' }],
    ['一', { kind: 'none' }],
  ] as const)('%s', (cell, expected) => {
    expect(parseSeq(cell)).toEqual(expected);
  });
});

describe('uploaded file names', () => {
  it('decodes percent-encoded names and keeps what is not valid encoding', () => {
    expect(decodeFileName('%E9%A1%B9%E7%9B%AE.xlsx')).toBe('项目.xlsx');
    expect(decodeFileName('项目清单.xlsx')).toBe('项目清单.xlsx');
    expect(decodeFileName('100%进度.xlsx')).toBe('100%进度.xlsx');
    expect(decodeFileName('%E9%A1%ZZ.xlsx')).toBe('%E9%A1%ZZ.xlsx');
    expect(decodeFileName('%E9%A1.xlsx')).toBe('%E9%A1.xlsx');
    expect(decodeFileName('50%25.xlsx')).toBe('50%.xlsx');
  });

  it('drops folders, control characters and bidi overrides; never empty', () => {
    expect(decodeFileName('C:\\fakepath\\清单.xlsx')).toBe('清单.xlsx');
    expect(decodeFileName('%2E%2E%2F%2E%2E%2Fetc%2Fpasswd')).toBe('passwd');
    expect(decodeFileName('a\u0000b\u202Excod.xlsx')).toBe('abxcod.xlsx');
    expect(decodeFileName(undefined)).toBe('upload');
    expect(decodeFileName('%20')).toBe('upload');
    expect([...decodeFileName(`${'长'.repeat(300)}.xlsx`)]).toHaveLength(200);
    expect(decodeFileName(`${'长'.repeat(300)}.xlsx`).endsWith('.xlsx')).toBe(true);
  });
});
