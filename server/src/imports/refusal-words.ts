import type { ImportRefusalReason, ReportLanguage } from '@optarget/shared';

/** Why a row was refused, in words, for the refused rows CSV (the web app words its counts the same way). */
export const refusalWords: Record<ReportLanguage, Record<ImportRefusalReason, string>> = {
  en: {
    unreadable: 'The row could not be read as CSV',
    columns: 'The row has the wrong number of columns',
    name: 'The row has no name',
    value: 'A value its column cannot take (a number or a status)',
  },
  ar: {
    unreadable: 'تعذّرت قراءة الصف كـ CSV',
    columns: 'عدد أعمدة الصف غير صحيح',
    name: 'الصف بلا اسم',
    value: 'قيمة لا يقبلها عمودها (رقم أو حالة)',
  },
};
