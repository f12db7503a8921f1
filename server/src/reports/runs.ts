import type { DigitSystem, ReportLanguage } from '@optarget/shared';

/** A piece of report text; `ltr` pieces are set left to right whatever the paragraph's direction. */
export type Run = { t: string; ltr?: true };

// Phones, URLs, e-mails, numbers and Latin words: the pieces that scramble inside an Arabic sentence.
// Groups: 1 an isolated piece, 2 a URL or e-mail, 3 a number or phone, 4 Latin words.
const LTR_PIECE =
  /\u2068([^\u2069]*)\u2069|((?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)|(\+?\d[\d\s()./-]*\d|\d)|([A-Za-z][\w./:#-]*(?:\s+[A-Za-z][\w./:#-]*)*)/g;
const ARABIC = /[\u0600-\u06FF]/;
/** A whole piece that is a number or a phone, such as a finding's value. */
const NUMBER = /^\+?\d[\d\s()./-]*$/;

export const arabicIndicDigits = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];
export const latinDigits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * A number written with Arabic-Indic digits, with the Arabic decimal separator in a decimal such as
 * 4.2. A left-to-right mark ends each group of digits followed by more: the bidi algorithm would
 * otherwise show a phone's groups right to left (Arabic-Indic digits count as right-to-left there).
 */
export const toArabicIndic = (text: string) =>
  text
    .replace(/(\d)\.(?=\d)/g, '$1\u066b')
    .replace(/\d/g, (d) => arabicIndicDigits[Number(d)])
    .replace(/([\u0660-\u0669])(?=[^\u0660-\u0669\u066b])/g, '$1\u200e');

/**
 * Splits text into runs; in Arabic the left-to-right pieces become runs of their own, and with
 * Arabic-Indic digits chosen every number and phone takes them (URLs and e-mails never do, they
 * must still work). Isolate marks (U+2068/2069) are dropped.
 */
export function runs(text: string, language: ReportLanguage, digits: DigitSystem = 'latin'): Run[] {
  if (language !== 'ar') return [{ t: text.replace(/[\u2068\u2069]/g, '') }];
  const out: Run[] = [];
  let at = 0;
  for (const m of text.matchAll(LTR_PIECE)) {
    if (m.index > at) out.push({ t: text.slice(at, m.index) });
    const original = m[1] ?? m[0];
    const number = m[3] !== undefined || (m[1] !== undefined && NUMBER.test(m[1]));
    if (number && digits === 'arabic-indic') out.push({ t: toArabicIndic(original), ltr: true });
    else out.push(ARABIC.test(original) ? { t: original } : { t: original, ltr: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ t: text.slice(at) });
  return out;
}

/** The runs function of one report: its language and the tenant's digits. */
export const runsFor = (language: ReportLanguage, digits: DigitSystem) => (text: string) => runs(text, language, digits);
