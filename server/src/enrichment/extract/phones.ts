import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { isCountryCode } from '../../leads/normalise.js';
import type { AttributeRead } from './page-facts.js';
import { around } from './snippet.js';

export type PhoneFound = { phone: string; how: 'tel' | 'text'; proof: string };

const countryOf = (code: string | null): CountryCode | undefined => (code && isCountryCode(code) ? code : undefined);

/**
 * Phone numbers from tel: links and from text, in E.164, with the link or the text that proves
 * each. Numbers written without a country code are read in `defaultCountry`; without one, only
 * international numbers are found.
 */
export function findPhones(text: string, links: AttributeRead[], defaultCountry: string | null): PhoneFound[] {
  const country = countryOf(defaultCountry);
  const options = country ? { defaultCountry: country } : undefined;
  const found = new Map<string, PhoneFound>();
  for (const link of links) {
    if (!/^tel:/i.test(link.value)) continue;
    let raw: string;
    try {
      raw = decodeURIComponent(link.value.replace(/^tel:/i, ''));
    } catch {
      continue;
    }
    const parsed = parsePhoneNumberFromString(raw, options);
    if (parsed?.isValid() && !found.has(parsed.number)) found.set(parsed.number, { phone: parsed.number, how: 'tel', proof: link.tag });
  }
  for (const match of findPhoneNumbersInText(text, options)) {
    const phone = match.number.number;
    if (match.number.isValid() && !found.has(phone))
      found.set(phone, { phone, how: 'text', proof: around(text, match.startsAt, match.endsAt) });
  }
  return [...found.values()];
}

const lineTypes = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed-line',
  FIXED_LINE_OR_MOBILE: 'fixed-line-or-mobile',
  TOLL_FREE: 'toll-free',
  VOIP: 'voip',
} as const;

/**
 * What kind of line an E.164 number is, by libphonenumber's numbering plans (its full metadata);
 * null when the plan does not tell (or tells something a finding does not state, such as pager).
 */
export function phoneLineType(e164: string): { type: (typeof lineTypes)[keyof typeof lineTypes]; libType: string } | null {
  const libType = parsePhoneNumberFromString(e164)?.getType();
  return libType && libType in lineTypes ? { type: lineTypes[libType as keyof typeof lineTypes], libType } : null;
}

/** The country of an E.164 number, when its numbering plan names one. */
export const phoneCountry = (e164: string): string | null => parsePhoneNumberFromString(e164)?.country ?? null;

/** A WhatsApp link's number (`wa.me/9665…`, `api.whatsapp.com/send?phone=…`), in E.164, when it is a valid one. */
export function whatsappNumber(url: URL): string | null {
  const digits = (url.hostname === 'wa.me' ? url.pathname.slice(1) : (url.searchParams.get('phone') ?? '')).replace(/[\s+()-]/g, '');
  if (!/^\d{7,15}$/.test(digits)) return null;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isValid() ? parsed.number : null;
}
