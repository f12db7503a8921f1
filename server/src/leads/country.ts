import { getCountries, isSupportedCountry, type CountryCode } from 'libphonenumber-js';

export const isCountryCode = (code: string): code is CountryCode => isSupportedCountry(code);

/** Case, accents, Arabic diacritics, tatweel, hamza forms of alef and punctuation do not matter. */
function fold(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[أإآ]/g, 'ا')
    .toLowerCase()
    .replace(/[.'’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Names people write that are not a country's name in English or Arabic. */
const aliases: Record<string, CountryCode> = {
  ksa: 'SA',
  saudi: 'SA',
  sau: 'SA',
  'kingdom of saudi arabia': 'SA',
  السعودية: 'SA',
  'المملكة العربية السعودية': 'SA',
  uae: 'AE',
  are: 'AE',
  emirates: 'AE',
  الامارات: 'AE',
  qat: 'QA',
  kwt: 'KW',
  bhr: 'BH',
  omn: 'OM',
  egy: 'EG',
  jor: 'JO',
  usa: 'US',
  'united states of america': 'US',
  america: 'US',
  uk: 'GB',
  gbr: 'GB',
  'great britain': 'GB',
  england: 'GB',
};

let byName: Map<string, CountryCode> | null = null;

/** Every English and Arabic country name (as Intl knows them), two-letter code and alias, folded. */
function countryNames(): Map<string, CountryCode> {
  if (byName) return byName;
  byName = new Map();
  const languages = ['en', 'ar'].map((language) => new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }));
  for (const code of getCountries()) {
    byName.set(code.toLowerCase(), code);
    for (const names of languages) {
      const name = names.of(code);
      if (name) byName.set(fold(name), code);
    }
  }
  for (const [alias, code] of Object.entries(aliases)) byName.set(fold(alias), code);
  return byName;
}

/**
 * The two-letter code of a country as people write it in a lead or a spreadsheet: `SA`, `sa`,
 * `Saudi Arabia`, `KSA`, `السعودية`. Null for anything else, so the caller falls back to a default.
 */
export function countryCodeOf(value: string | null | undefined): CountryCode | null {
  const folded = value ? fold(value) : '';
  if (!folded) return null;
  return countryNames().get(folded) ?? null;
}
