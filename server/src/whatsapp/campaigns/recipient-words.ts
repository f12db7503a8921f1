import {
  whatsappFailureNotes,
  whatsappFailureNotesAr,
  type RecipientOutcome,
  type ReportLanguage,
  type SkipReason,
  type WhatsappFailureNote,
} from '@optarget/shared';

type RecipientWords = {
  outcome: Record<RecipientOutcome, string>;
  skip: Record<SkipReason, string>;
  /** The failures OpTarget itself writes (see whatsappFailureNotes). */
  failure: Record<WhatsappFailureNote, string>;
  /** A failure Meta answered: its code in words, then Meta's own title as it came. */
  refused: (code: number | null, title: string | null) => string;
};

/** Each recipient's outcome, why a lead got no message and why a send failed, in words, for the recipients CSV. */
export const recipientWords: Record<ReportLanguage, RecipientWords> = {
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
    failure: whatsappFailureNotes,
    refused: (code, title) => [code, title].filter((x) => x !== null).join(' '),
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
    failure: whatsappFailureNotesAr,
    refused: (code, title) =>
      [code === null ? 'تعذّر إرسالها' : `رفض واتساب الرسالة (الخطأ ${code})`, title].filter((x) => x !== null).join(': '),
  },
};
