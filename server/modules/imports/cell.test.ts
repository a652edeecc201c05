import { describe, expect, it } from 'vitest';
import { cellText, columnLetter, columnNumber, flattenCellValue, isCellError } from './cell.ts';

describe('flattenCellValue: every shape exceljs delivers', () => {
  const date = new Date(Date.UTC(2026, 2, 5));
  it.each([
    ['null', null, null],
    ['undefined', undefined, null],
    ['number', 955.27, 955.27],
    ['string', '吴中区', '吴中区'],
    ['blank string', '   ', null],
    ['boolean', true, true],
    ['Date', date, date],
    ['rich text (WPS/LibreOffice headers)', { richText: [{ text: '总投资' }, { text: '（万元）', font: { bold: true } }] }, '总投资（万元）'],
    ['empty rich text', { richText: [{ text: ' ' }] }, null],
    ['formula with cached number', { formula: 'SUM(A1:A3)', result: 42 }, 42],
    ['formula with cached text', { formula: 'A1&"项目"', result: '甲项目' }, '甲项目'],
    ['formula never evaluated', { formula: 'A1+1' }, null],
    ['formula with cached error', { formula: '1/0', result: { error: '#DIV/0!' } }, { error: '#DIV/0!' }],
    ['shared formula clone', { sharedFormula: 'B2', result: 7 }, 7],
    ['shared formula with cached date', { sharedFormula: 'B2', result: date }, date],
    ['error', { error: '#REF!' }, { error: '#REF!' }],
    ['hyperlink', { text: '苏州湾数字产业园', hyperlink: 'https://example.invalid' }, '苏州湾数字产业园'],
    ['hyperlink with rich text', { text: { richText: [{ text: '链接' }, { text: '文字' }] }, hyperlink: 'mailto:x' }, '链接文字'],
    ['NaN', Number.NaN, null],
    ['invalid Date', new Date('x'), null],
  ] as [string, Parameters<typeof flattenCellValue>[0], unknown][])('%s', (_name, input, expected) => {
    expect(flattenCellValue(input)).toEqual(expected);
  });

  it('tells errors from other values and prints cells as text', () => {
    expect(isCellError({ error: '#N/A' })).toBe(true);
    expect(isCellError('x')).toBe(false);
    expect(isCellError(new Date())).toBe(false);
    expect(cellText(new Date(Date.UTC(2026, 0, 2)))).toBe('2026-01-02');
    expect(cellText(12.5)).toBe('12.5');
    expect(cellText(false)).toBe('否');
    expect(cellText({ error: '#REF!' })).toBe('#REF!');
  });
});

describe('columns and neutralization', () => {
  it('converts column numbers and letters', () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
    expect(['A', 'Z', 'AA', 'AZ', 'AAA'].map(columnNumber)).toEqual([1, 26, 27, 52, 703]);
  });
});
