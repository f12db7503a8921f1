import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { auditActions, errorCatalogue, fieldRules } from '@optarget/shared';
import { formatMessage } from './format';
import { ar } from './ar';
import { en } from './en';
import { locales, type Locale } from './locales';

const catalogue = { en: { messages: en, intl: locales.en.intl }, ar: { messages: ar, intl: locales.ar.intl } };

const parse = (text: string, intl: string) => new IntlMessageFormat(text, intl, undefined, { ignoreTag: true }).getAst();

/** The arguments a message names, and the plural categories of each plural argument. */
function argumentsOf(elements: MessageFormatElement[], found = new Map<string, Set<string>>()) {
  for (const el of elements) {
    if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date)
      found.set(el.value, found.get(el.value) ?? new Set());
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      const categories = found.get(el.value) ?? new Set();
      if (el.type === TYPE.plural) for (const c of Object.keys(el.options)) categories.add(c);
      found.set(el.value, categories);
      for (const option of Object.values(el.options)) argumentsOf(option.value, found);
    }
  }
  return found;
}

const pluralsOf = (elements: MessageFormatElement[]): string[][] =>
  elements.flatMap((el) =>
    el.type === TYPE.plural
      ? [Object.keys(el.options), ...Object.values(el.options).flatMap((o) => pluralsOf(o.value))]
      : el.type === TYPE.select
        ? Object.values(el.options).flatMap((o) => pluralsOf(o.value))
        : [],
  );

const arabic = (key: keyof typeof catalogue.ar.messages, count: number) =>
  formatMessage(catalogue.ar.messages[key], { count }, catalogue.ar.intl, 'rtl');

describe('translations', () => {
  it('chooses the Arabic plural form for 0, 1, 2, 3, 11 and 100', () => {
    expect([0, 1, 2, 3, 11, 100].map((n) => arabic('lists.count', n))).toEqual([
      '0 عميل',
      'عميل واحد',
      'عميلان',
      '3 عملاء',
      '11 عميلًا',
      '100 عميل',
    ]);
    expect(arabic('reports.pages', 2)).toBe('صفحتان');
    expect(arabic('reports.views.some', 1)).toContain('مرة واحدة');
  });

  it('says how many rows of how many a table shows, in the Arabic plural form the total takes', () => {
    const shown = (total: number, key: 'table.shownOf' | 'table.shownOfAbout' = 'table.shownOf') =>
      formatMessage(catalogue.ar.messages[key], { loaded: '1', total }, catalogue.ar.intl, 'rtl').replace(/[\u2068\u2069]/g, '');
    expect([2, 3, 11, 100, 1234].map((n) => shown(n))).toEqual([
      'المعروض 1 من صفين',
      'المعروض 1 من 3 صفوف',
      'المعروض 1 من 11 صفًا',
      'المعروض 1 من 100 صف',
      'المعروض 1 من 1,234 صفًا',
    ]);
    expect(shown(12000, 'table.shownOfAbout')).toBe('المعروض 1 من نحو 12,000 صف');
    const en = (key: 'table.shownOf' | 'table.shownOfAbout') =>
      formatMessage(catalogue.en.messages[key], { loaded: '50', total: 1234 }, catalogue.en.intl, 'ltr');
    expect([en('table.shownOf'), en('table.shownOfAbout')]).toEqual(['50 of 1,234 shown', '50 of about 1,234 shown']);
  });

  it('says "1 lead" and "2 leads" in English, with the number formatted', () => {
    const en = (n: number) => formatMessage(catalogue.en.messages['lists.count'], { count: n }, catalogue.en.intl, 'ltr');
    expect([1, 2, 1234].map(en)).toEqual(['1 lead', '2 leads', '1,234 leads']);
  });

  it('parses every message of both languages as ICU MessageFormat', () => {
    for (const locale of Object.keys(catalogue) as Locale[]) {
      const { messages, intl } = catalogue[locale];
      for (const [key, text] of Object.entries(messages)) expect(() => parse(text, intl), `${locale} ${key}`).not.toThrow();
    }
  });

  it('gives every Arabic plural all six forms and every English plural one and other', () => {
    const required: Record<Locale, string[]> = { ar: ['zero', 'one', 'two', 'few', 'many', 'other'], en: ['one', 'other'] };
    for (const locale of Object.keys(catalogue) as Locale[]) {
      const { messages, intl } = catalogue[locale];
      for (const [key, text] of Object.entries(messages)) {
        for (const categories of pluralsOf(parse(text, intl))) {
          expect(categories, `${locale} ${key}`).toEqual(expect.arrayContaining(required[locale]));
        }
      }
    }
  });

  it('names the same arguments in Arabic as in English', () => {
    // A name the server sends in both languages (`categoryEn`, `categoryAr`) is one argument.
    const named = (text: string, intl: string) =>
      [...new Set([...argumentsOf(parse(text, intl)).keys()].map((a) => a.replace(/(En|Ar)$/, '')))].sort();
    for (const [key, text] of Object.entries(catalogue.en.messages)) {
      const en = named(text, catalogue.en.intl);
      const ar = named(catalogue.ar.messages[key as keyof typeof catalogue.ar.messages], catalogue.ar.intl);
      expect(ar, key).toEqual(en);
    }
  });

  it('has an English and an Arabic message for every error code the API answers with', () => {
    for (const code of Object.keys(errorCatalogue)) {
      const [en, ar] = [catalogue.en, catalogue.ar].map((l) => (l.messages as Record<string, string>)[`errors.code.${code}`]);
      expect(en, code).toBeTruthy();
      expect(ar, code).toBeTruthy();
      expect(ar, `${code} is translated`).not.toBe(en);
    }
  });

  it('says every Arabic text in Arabic, apart from names that are the same in both languages', () => {
    const names = new Set([
      'app.name',
      'lead.source.osm',
      'lead.source.google',
      'lead.source.whatsapp',
      'import.chosen',
      'dashboard.share',
      'osm.attribution',
      'prospecting.source.osm',
      'prospecting.source.google',
      'settings.google.title',
      'settings.tab.whatsapp',
      'shell.nav.whatsapp',
      'whatsapp.settings.title',
      'whatsapp.lead.title',
    ]);
    const english = catalogue.en.messages as Record<string, string>;
    for (const [key, text] of Object.entries(catalogue.ar.messages)) {
      if (names.has(key)) continue;
      expect(text, `${key} has Arabic words`).toMatch(/[\u0600-\u06FF]/);
      expect(text, `${key} differs from its English`).not.toBe(english[key]);
    }
  });

  it('words every rule a refused field can name, in both languages', () => {
    for (const rule of fieldRules) {
      const key = `validation.rule.${rule}` as const;
      const params = {
        min: 2,
        max: 3,
        values: 'NEW, WON',
        keys: 'colour',
        columns: 4,
        column: 6,
        count: 7,
        format: 'PNG',
        width: 5000,
        height: 80,
        name: 'welcome',
        variables: 2,
        given: 1,
        variable: 'first_name',
        days: 30,
      };
      const en = formatMessage(catalogue.en.messages[key], params, locales.en.intl, 'ltr');
      const ar = formatMessage(catalogue.ar.messages[key], params, locales.ar.intl, 'rtl');
      expect(en, rule).toBeTruthy();
      expect(ar, rule).toMatch(/[\u0600-\u06FF]/);
      expect(ar, rule).not.toMatch(/\{|undefined/);
    }
  });

  it('names every action of the audit catalogue in English and Arabic', () => {
    for (const action of auditActions) {
      expect(catalogue.en.messages[`audit.action.${action}`], action).toBeTruthy();
      expect(catalogue.ar.messages[`audit.action.${action}`], action).toBeTruthy();
    }
  });
});
