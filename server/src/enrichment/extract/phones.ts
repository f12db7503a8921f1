import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { isCountryCode } from '../../leads/normalise.js';

/**
 * Phone numbers from tel: links and from text, in E.164. Numbers written without a country code
 * are read in the tenant's default country; without one, only international numbers are found.
 */
export function findPhones(text: string, telHrefs: string[], defaultCountry: string | null): string[] {
  const country: CountryCode | undefined = defaultCountry && isCountryCode(defaultCountry) ? defaultCountry : undefined;
  const found = new Set<string>();
  for (const href of telHrefs) {
    const raw = decodeURIComponent(href.replace(/^tel:/i, ''));
    const parsed = parsePhoneNumberFromString(raw, country ? { defaultCountry: country } : undefined);
    if (parsed?.isValid()) found.add(parsed.number);
  }
  for (const match of findPhoneNumbersInText(text, country ? { defaultCountry: country } : undefined)) {
    if (match.number.isValid()) found.add(match.number.number);
  }
  return [...found];
}
