import type { Messages } from './en';

export type Locale = 'en' | 'ar';

export interface LocaleDef {
  dir: 'ltr' | 'rtl';
  intl: string;
  /** The language's name in itself, for the language switcher. */
  name: string;
  /** Each language's catalogue is a chunk of its own, fetched only when that language is shown. */
  load: () => Promise<Messages>;
}

/**
 * Arabic formats with Latin digits and the Gregorian calendar: phone numbers, website addresses and
 * CSV data are in Latin digits, and mixing them with Arabic-Indic digits on one screen reads badly.
 */
export const locales: Record<Locale, LocaleDef> = {
  en: { dir: 'ltr', intl: 'en', name: 'English', load: () => import('./en').then((m) => m.en) },
  ar: { dir: 'rtl', intl: 'ar-SA-u-nu-latn-ca-gregory', name: 'العربية', load: () => import('./ar').then((m) => m.ar) },
};
