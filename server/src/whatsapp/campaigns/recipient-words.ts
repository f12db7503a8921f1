import type { RecipientOutcome, ReportLanguage, SkipReason } from '@optarget/shared';

/** Each recipient's outcome and why a lead got no message, in words, for the recipients CSV. */
export const recipientWords: Record<ReportLanguage, { outcome: Record<RecipientOutcome, string>; skip: Record<SkipReason, string> }> = {
  en: {
    outcome: {
      pending: 'pending',
      unconfirmed: 'unconfirmed',
      sent: 'sent',
      delivered: 'delivered',
      read: 'read',
      replied: 'replied',
      opted_out: 'opted out',
      failed: 'failed',
      skipped: 'skipped',
    },
    skip: {
      NO_CONSENT: 'No recorded WhatsApp consent',
      OPTED_OUT: 'Opted out of WhatsApp messages',
      NO_PHONE: 'No valid phone number',
      DUPLICATE_PHONE: 'Same phone as another lead of the list',
      MISSING_VALUE: 'A template variable has no value for this lead',
      PLAN_LIMIT: "Beyond the plan's monthly messages",
      CANCELLED: 'The campaign was cancelled before sending',
    },
  },
  ar: {
    outcome: {
      pending: 'قيد الانتظار',
      unconfirmed: 'غير مؤكد',
      sent: 'أُرسلت',
      delivered: 'وصلت',
      read: 'قُرئت',
      replied: 'ردّ',
      opted_out: 'ألغى الاشتراك',
      failed: 'فشلت',
      skipped: 'تُخطّي',
    },
    skip: {
      NO_CONSENT: 'لا توجد موافقة مسجلة على واتساب',
      OPTED_OUT: 'ألغى الاشتراك في رسائل واتساب',
      NO_PHONE: 'لا يوجد رقم هاتف صالح',
      DUPLICATE_PHONE: 'الرقم نفسه لعميل آخر في القائمة',
      MISSING_VALUE: 'متغير في القالب بلا قيمة لهذا العميل',
      PLAN_LIMIT: 'تجاوز رسائل الباقة الشهرية',
      CANCELLED: 'أُلغيت الحملة قبل الإرسال',
    },
  },
};
