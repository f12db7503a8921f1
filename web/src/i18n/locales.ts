import { ar } from './ar';
import { en, type Messages } from './en';

export type Locale = 'en' | 'ar';

export interface LocaleDef {
  messages: Messages;
  dir: 'ltr' | 'rtl';
  intl: string;
  /** The language's name in itself, for the language switcher. */
  name: string;
}

/**
 * Arabic formats with Latin digits and the Gregorian calendar: phone numbers, website addresses and
 * CSV data are in Latin digits, and mixing them with Arabic-Indic digits on one screen reads badly.
 */
export const locales: Record<Locale, LocaleDef> = {
  en: { messages: en, dir: 'ltr', intl: 'en', name: 'English' },
  ar: { messages: ar, dir: 'rtl', intl: 'ar-SA-u-nu-latn-ca-gregory', name: 'العربية' },
};
