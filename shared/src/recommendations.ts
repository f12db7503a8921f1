import { z } from 'zod';
import { Text } from './common.js';
import { EvidenceKind, type EvidenceKind as Kind } from './enrichment.js';
import { ReportLanguage } from './settings.js';

type Advice = { en: string; ar: string };

/**
 * What a report recommends for each problem evidence shows, written to the business owner: what
 * it costs them and what the agency would do. A tenant may reword any entry (per language).
 */
export const recommendationCatalogue: Partial<Record<Kind, Advice>> = {
  WEBSITE_MISSING: {
    en: 'Customers who search for you online find your competitors instead. We would build a fast, mobile-friendly website with your services, hours and a WhatsApp button.',
    ar: 'العملاء الذين يبحثون عنك على الإنترنت يجدون منافسيك بدلًا منك. سنبني لك موقعًا سريعًا يعمل على الجوال يعرض خدماتك ومواعيدك مع زر واتساب.',
  },
  WEBSITE_UNREACHABLE: {
    en: 'Every visitor who tries your website today sees an error and leaves. We would restore it and watch it so it stays online.',
    ar: 'كل زائر يحاول فتح موقعك اليوم يرى خطأ ويغادر. سنعيد تشغيله ونراقبه ليبقى متاحًا.',
  },
  NO_HTTPS: {
    en: 'Browsers label your site "Not secure", which scares visitors away and lowers your place in search. We would install a free certificate and redirect every page to HTTPS.',
    ar: 'تصف المتصفحات موقعك بأنه «غير آمن»، فينفر الزوار وتتراجع مرتبتك في البحث. سنثبت شهادة مجانية ونحوّل كل الصفحات إلى HTTPS.',
  },
  TLS_INVALID: {
    en: 'Visitors see a full-page security warning before your site. We would replace the certificate and renew it automatically.',
    ar: 'يرى الزوار تحذيرًا أمنيًا يملأ الشاشة قبل موقعك. سنستبدل الشهادة ونجدّدها تلقائيًا.',
  },
  SLOW_RESPONSE: {
    en: 'A slow site loses visitors before the first page appears. We would move it to faster hosting and add caching.',
    ar: 'الموقع البطيء يخسر زواره قبل ظهور الصفحة الأولى. سننقله إلى استضافة أسرع ونضيف التخزين المؤقت.',
  },
  HEAVY_PAGE: {
    en: 'Your home page costs mobile visitors time and data. We would slim it down so it opens quickly on any phone.',
    ar: 'صفحتك الرئيسية تستهلك وقت زوار الجوال وباقاتهم. سنخففها لتفتح بسرعة على أي هاتف.',
  },
  NO_MOBILE_VIEWPORT: {
    en: 'Most local searches happen on phones, where your site shows shrunk and hard to use. We would make it mobile-friendly.',
    ar: 'معظم عمليات البحث المحلية تتم من الجوال، حيث يظهر موقعك مصغرًا وصعب الاستخدام. سنجعله مناسبًا للجوال.',
  },
  MISSING_TITLE: {
    en: 'Search results show your page without a proper title. We would write titles that name your business and what you offer.',
    ar: 'تظهر صفحتك في نتائج البحث بلا عنوان مناسب. سنكتب عناوين تذكر اسم نشاطك وما تقدمه.',
  },
  MISSING_META_DESCRIPTION: {
    en: 'Search engines show a random snippet instead of your pitch. We would write a short description that makes people click.',
    ar: 'تعرض محركات البحث مقتطفًا عشوائيًا بدل رسالتك. سنكتب وصفًا قصيرًا يشجع على النقر.',
  },
  NO_WHATSAPP_LINK: {
    en: 'Many customers would rather message you on WhatsApp. We would add a chat button to every page.',
    ar: 'كثير من العملاء يفضلون مراسلتك على واتساب. سنضيف زر محادثة إلى كل صفحة.',
  },
  NO_SOCIAL_PROFILES: {
    en: 'Your website links to no social profile, so visitors cannot follow you. We would connect your profiles and keep them active.',
    ar: 'لا يربط موقعك بأي حساب اجتماعي، فلا يستطيع الزوار متابعتك. سنربط حساباتك ونبقيها نشطة.',
  },
  OUTDATED_TECHNOLOGY: {
    en: 'Your site runs software that no longer receives security fixes. We would update or rebuild it before it is broken into.',
    ar: 'يعمل موقعك ببرمجيات لم تعد تتلقى إصلاحات أمنية. سنحدّثه أو نعيد بناءه قبل أن يُخترق.',
  },
  OUTDATED_COPYRIGHT: {
    en: 'An old date at the bottom of your site tells visitors it is abandoned. We would refresh the content and keep it current.',
    ar: 'التاريخ القديم أسفل موقعك يوحي للزوار بأنه مهجور. سنحدّث المحتوى ونبقيه جديدًا.',
  },
  NO_ARABIC_VERSION: {
    en: 'Your customers speak Arabic but your site does not. We would add a full Arabic version, laid out right to left.',
    ar: 'عملاؤك يتحدثون العربية لكن موقعك لا يتحدثها. سنضيف نسخة عربية كاملة من اليمين إلى اليسار.',
  },
  LOW_RATING: {
    en: 'A low rating turns customers away before they call. We would help you answer reviews and ask happy customers for theirs.',
    ar: 'التقييم المنخفض يبعد العملاء قبل أن يتصلوا. سنساعدك على الرد على المراجعات ودعوة العملاء الراضين لتقييمك.',
  },
  FEW_REVIEWS: {
    en: 'With few reviews you look less trustworthy than competitors. We would set up a simple way for customers to review you.',
    ar: 'قلة المراجعات تجعلك أقل ثقة من منافسيك. سنجهز طريقة سهلة ليقيّمك عملاؤك.',
  },
};

export const recommendationKinds = Object.keys(recommendationCatalogue) as Kind[];

export const RecommendationEntry = z.object({
  kind: EvidenceKind,
  language: ReportLanguage,
  /** What reports print: the tenant's wording, or the catalogue's. */
  text: z.string(),
  default: z.string(),
  customised: z.boolean(),
});
export type RecommendationEntry = z.infer<typeof RecommendationEntry>;
export const RecommendationList = z.object({ items: z.array(RecommendationEntry) });

/** Rewords one entry; an empty text goes back to the catalogue's wording. */
export const UpdateRecommendationBody = z.object({
  kind: EvidenceKind.refine((k) => k in recommendationCatalogue, 'has no recommendation'),
  language: ReportLanguage,
  text: Text.trim().max(600, 'must be at most 600 characters'),
});
export type UpdateRecommendationBody = z.infer<typeof UpdateRecommendationBody>;
