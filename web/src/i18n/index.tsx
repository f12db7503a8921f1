import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { DirectionProvider, useDirection } from '@mantine/core';
import type { MessageKey, Messages } from './en';
import { formatMessage, type Params } from './format';
import { locales, type Locale, type LocaleDef } from './locales';

export type { Locale } from './locales';
export type { MessageKey } from './en';

export const localeOptions = (Object.keys(locales) as Locale[]).map((value) => ({
  value,
  name: locales[value].name,
  dir: locales[value].dir,
}));

const STORAGE_KEY = 'optarget.locale';

function initialLocale(): Locale {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return stored && stored in locales ? (stored as Locale) : 'en';
}

let current: Locale = initialLocale();

/** Set before the first render so the page does not flash left-to-right. */
function applyToDocument(locale: Locale) {
  document.documentElement.lang = locale;
  document.documentElement.dir = locales[locale].dir;
}
if (typeof document !== 'undefined') applyToDocument(current);

const catalogues: Partial<Record<Locale, Messages>> = {};
const fetching = new Map<Locale, Promise<Messages>>();

/** Fetches a language's messages once; a failed fetch is tried again on the next call. */
function loadMessages(locale: Locale): Promise<Messages> {
  let pending = fetching.get(locale);
  if (!pending) {
    pending = locales[locale].load().then(
      (messages) => (catalogues[locale] = messages),
      (error: unknown) => {
        fetching.delete(locale);
        throw error;
      },
    );
    fetching.set(locale, pending);
  }
  return pending;
}

/** Resolves once the messages of the language the page opens in are here, so the first render is already translated. */
export function loadInitialMessages(): Promise<void> {
  return loadMessages(current).then(() => undefined);
}

const messagesOf = (locale: Locale): Partial<Record<string, string>> => catalogues[locale] ?? {};

function format(template: string, params: Params | undefined, def: LocaleDef): string {
  return formatMessage(template, params, def.intl, def.dir);
}

/** Translate outside React (e.g. in the API layer). */
export function t(key: MessageKey, params?: Params): string {
  return format(messagesOf(current)[key] ?? key, params, locales[current]);
}

/** Translate a key built at runtime (e.g. `role.${role}`), falling back to the raw value. */
export function tDynamic(key: string, fallback: string, params?: Params): string {
  const text = messagesOf(current)[key];
  return text === undefined ? fallback : format(text, params, locales[current]);
}

/** The language texts are shown in now, for code outside React. */
export const currentLocale = (): Locale => current;

export type TFunction = typeof t;

interface I18nValue {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  /** Switches once the language's messages are here, so no key shows untranslated; rejects if they cannot be fetched. */
  setLocale: (l: Locale) => Promise<void>;
  t: TFunction;
  formatDate: (iso: string | Date | null | undefined) => string;
  formatDateTime: (iso: string | Date | null | undefined) => string;
  formatNumber: (n: number) => string;
  formatMoney: (cents: number, currency: string) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(current);
  // In state too, so messages that arrive late (the first fetch failed, a later choice worked) are shown.
  const [messages, setMessages] = useState<Partial<Record<string, string>>>(() => messagesOf(current));
  const def = locales[locale];

  useEffect(() => applyToDocument(locale), [locale]);

  // The language chosen last wins, even when an earlier choice's messages arrive after it.
  const chosen = useRef(locale);
  const setLocale = useCallback(async (l: Locale) => {
    chosen.current = l;
    const loaded = await loadMessages(l);
    if (chosen.current !== l) return;
    current = l;
    localStorage.setItem(STORAGE_KEY, l);
    setMessages(loaded);
    setLocaleState(l);
  }, []);

  const value = useMemo<I18nValue>(() => {
    const dateFmt = new Intl.DateTimeFormat(def.intl, { dateStyle: 'medium' });
    const dateTimeFmt = new Intl.DateTimeFormat(def.intl, { dateStyle: 'medium', timeStyle: 'short' });
    const numFmt = new Intl.NumberFormat(def.intl);
    const toDate = (v: string | Date | null | undefined) => (v ? (v instanceof Date ? v : new Date(v)) : null);
    return {
      locale,
      dir: def.dir,
      setLocale,
      t: (key, params) => format(messages[key] ?? key, params, def),
      formatDate: (v) => {
        const d = toDate(v);
        return d && !Number.isNaN(d.getTime()) ? dateFmt.format(d) : '';
      },
      formatDateTime: (v) => {
        const d = toDate(v);
        return d && !Number.isNaN(d.getTime()) ? dateTimeFmt.format(d) : '';
      },
      formatNumber: (n) => numFmt.format(n),
      formatMoney: (cents, currency) => {
        try {
          return new Intl.NumberFormat(def.intl, { style: 'currency', currency }).format(cents / 100);
        } catch {
          return `${numFmt.format(cents / 100)} ${currency}`;
        }
      },
    };
  }, [locale, def, messages, setLocale]);

  return (
    <I18nContext.Provider value={value}>
      <DirectionProvider initialDirection={def.dir} detectDirection={false}>
        <DirectionSync dir={def.dir} />
        {children}
      </DirectionProvider>
    </I18nContext.Provider>
  );
}

/** Mantine reads the direction from its own context, which only takes an initial value: follow the locale. */
function DirectionSync({ dir }: { dir: 'ltr' | 'rtl' }) {
  const { dir: mantineDir, setDirection } = useDirection();
  useEffect(() => {
    if (mantineDir !== dir) setDirection(dir);
  }, [dir, mantineDir, setDirection]);
  return null;
}

export function useI18n(): I18nValue {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n must be used inside <I18nProvider>');
  return ctx;
}

export function useT(): TFunction {
  return useI18n().t;
}
