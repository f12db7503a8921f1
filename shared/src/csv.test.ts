import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvWriteOptions, neutraliseFormula } from './csv.js';

describe('the formula guard', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['+966501234567', '+966501234567'],
    ['+966 50 123 4567', '+966 50 123 4567'],
    ['+1 (555) 123-4567', '+1 (555) 123-4567'],
    ['-5', '-5'],
    ['-', "'-"],
    ['+', "'+"],
    ['Riyadh = capital', 'Riyadh = capital'],
  ])('%j is written as %j', (value, written) => {
    expect(neutraliseFormula(value)).toBe(written);
  });
});

describe('every CSV file', () => {
  const text = stringify(
    [
      ['name', 'notes'],
      ["x;=cmd|' /C calc'!A0;y", 'a,b'],
      ['tab\there', 'عيادة "الأسنان"'],
      ['=HYPERLINK("x")', null],
    ],
    csvWriteOptions,
  );

  it('starts with a BOM and ends lines with CRLF', () => {
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(5);
  });

  it('quotes cells holding a comma, semicolon or tab, so any delimiter keeps them whole', () => {
    expect(text).toContain(`"x;=cmd|' /C calc'!A0;y","a,b"\r\n`);
    expect(text).toContain('"tab\there"');
    for (const delimiter of [',', ';', '\t']) {
      const rows: string[][] = parse(text.slice(1), { delimiter, relax_quotes: true, relax_column_count: true });
      expect(rows.flat().some((cell) => /^[=+@]/.test(cell.trim()))).toBe(false);
    }
  });

  it('reads back as written, with formulas neutralised', () => {
    expect(parse(text.slice(1))).toEqual([
      ['name', 'notes'],
      ["x;=cmd|' /C calc'!A0;y", 'a,b'],
      ['tab\there', 'عيادة "الأسنان"'],
      ['\'=HYPERLINK("x")', ''],
    ]);
  });
});
