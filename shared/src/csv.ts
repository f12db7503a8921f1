import type { Options } from 'csv-stringify';

/** Digits with the signs, spaces, dots, brackets and dashes phone numbers and amounts are written with. */
const PLAIN_NUMBER = /^[+-]?[\d ().-]*\d[\d ().-]*$/;

/**
 * A cell a spreadsheet would read as a formula (leading `=`, `+`, `-`, `@`, tab or carriage return)
 * gets a leading apostrophe, so opening a file never runs formulas someone typed into a lead. A
 * plain number such as the phone `+966501234567` is left as it is: it has nothing to run.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/**
 * How every CSV file OpTarget writes is written (with csv-stringify): UTF-8 with a byte order mark
 * so spreadsheets read Arabic, CRLF line ends, each cell guarded against formulas, and cells holding
 * a comma, semicolon or tab quoted, so a spreadsheet splitting on any of them keeps the cell whole.
 */
export const csvWriteOptions = {
  bom: true,
  record_delimiter: 'windows',
  quoted_match: /[,;\t]/,
  cast: { string: neutraliseFormula },
} satisfies Options;

/** Cells of one CSV row; null and undefined are written as empty cells. */
export type CsvRow = (string | number | null | undefined)[];
