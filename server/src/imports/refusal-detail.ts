import type { ReportLanguage } from '@optarget/shared';

/**
 * The Arabic of each detail a refused row is stored with, matched on the English the import writes
 * (row-to-draft.ts, job.ts, prepareDraft), so rows refused before this existed read the same.
 */
const arabicDetails: [RegExp, (...m: string[]) => string][] = [
  [/^expected (\d+) columns, found (\d+)$/, (w, n) => `عدد الأعمدة المتوقع ${w}، والموجود ${n}`],
  [/^name: is required$/, () => 'الاسم مطلوب'],
  [/^the row could not be read as CSV \(check its quotes\)$/, () => 'تعذّرت قراءة الصف كـ CSV (تحقق من علامات الاقتباس فيه)'],
  [/^(.*): "(.*)" is not a number$/s, (h, raw) => `${h}: "${raw}" ليس رقمًا`],
  [/^(.*): (.*) is outside (\S+) to (\S+)$/s, (h, raw, a, b) => `${h}: ${raw} خارج النطاق من ${a} إلى ${b}`],
  [/^(.*): "(.*)" is not one of (.*)$/s, (h, raw, list) => `${h}: "${raw}" ليس واحدًا من: ${list}`],
];

/** A refused row's detail in the report's language; a detail of an unknown form stays as stored. */
export function refusalDetail(error: string, lang: ReportLanguage): string {
  if (lang !== 'ar') return error;
  for (const [pattern, word] of arabicDetails) {
    const m = pattern.exec(error);
    if (m) return word(...m.slice(1));
  }
  return error;
}
