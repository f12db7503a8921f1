import type { ReportLanguage } from '@optarget/shared';
import type { Branding } from '../settings/branding.js';
import { fill, reportLabels } from './labels.js';
import { arabicIndicDigits, latinDigits, runsFor } from './runs.js';

export type ReportLogo = { bytes: Uint8Array; format: 'png' | 'jpg' | 'svg' } | null;

const logoFormats = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/svg+xml': 'svg' } as const;
export const logoOf = (branding: Branding): ReportLogo =>
  branding.logo && { bytes: branding.logo.bytes, format: logoFormats[branding.logo.contentType] };

/** Dates as the report's language writes them, always in the Gregorian calendar and UTC. */
export function formatDate(date: Date, language: ReportLanguage, digits: Branding['digits'], withTime = false) {
  const locale = language === 'ar' ? `ar-u-ca-gregory-nu-${digits === 'arabic-indic' ? 'arab' : 'latn'}` : 'en-GB';
  const options: Intl.DateTimeFormatOptions = withTime
    ? { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }
    : { dateStyle: 'long', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(date) + (withTime ? ' UTC' : '');
}

/** What every report document has around its content: language, direction, digits, branding, date and footer. */
export function documentFrame(branding: Branding, language: ReportLanguage, now: Date, title: string, subjectTitle: string) {
  const L = reportLabels[language];
  const date = formatDate(now, language, branding.digits);
  const r = runsFor(language, branding.digits);
  return {
    lang: language,
    dir: language === 'ar' ? 'rtl' : 'ltr',
    digits: language === 'ar' && branding.digits === 'arabic-indic' ? arabicIndicDigits : latinDigits,
    title: `${title}: ${subjectTitle}`,
    labels: { ...L, title },
    brand: {
      name: r(branding.displayName),
      plain: branding.displayName,
      color: branding.brandColor,
      contact: branding.contactLine ? r(branding.contactLine) : null,
      hasLogo: branding.logo !== null,
      logoFormat: branding.logo ? logoFormats[branding.logo.contentType] : null,
    },
    date: r(date),
    languageName: L.languageName,
    footer: r(fill(L.generated, { agency: branding.displayName, date })),
  };
}
