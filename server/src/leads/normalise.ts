import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { getDomain } from 'tldts';

/**
 * Hosts where many unrelated businesses have a page. A link there is kept as the lead's website,
 * but its domain would match every other business on the same host, so it never becomes a dedupe key.
 */
const sharedHosts = new Set([
  'facebook.com',
  'fb.com',
  'fb.me',
  'instagram.com',
  'linktr.ee',
  'linkin.bio',
  'wa.me',
  'whatsapp.com',
  'twitter.com',
  'x.com',
  'linkedin.com',
  'tiktok.com',
  'youtube.com',
  'youtu.be',
  'snapchat.com',
  't.me',
  'google.com',
  'goo.gl',
  'business.site',
  'wixsite.com',
  'wix.com',
  'blogspot.com',
  'wordpress.com',
  'bit.ly',
  'taplink.cc',
  'about.me',
  'yelp.com',
  'tripadvisor.com',
]);

export class InvalidLeadField extends Error {
  constructor(
    readonly field: 'phone' | 'website' | 'email',
    message: string,
  ) {
    super(message);
  }
}

export const isCountryCode = (code: string): code is CountryCode => isSupportedCountry(code);

/** E.164 form of a phone number; numbers without a country code are read in the tenant's default country. */
export function normalisePhone(raw: string, defaultCountry: string | null | undefined): string {
  const country = defaultCountry && isCountryCode(defaultCountry) ? defaultCountry : undefined;
  const parsed = parsePhoneNumberFromString(raw, country ? { defaultCountry: country } : undefined);
  if (!parsed?.isValid()) {
    const hint = raw.trim().startsWith('+') || country ? '' : ' Add the country code (e.g. +966…) or set a default country in settings.';
    throw new InvalidLeadField('phone', `"${raw}" is not a valid phone number.${hint}`);
  }
  return parsed.number;
}

/** A website as a canonical URL plus its registrable domain (null for shared hosts such as facebook.com). */
export function normaliseWebsite(raw: string): { website: string; domain: string | null } {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw new InvalidLeadField('website', `"${raw}" is not a valid web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidLeadField('website', 'must be an http or https address');
  const registrable = getDomain(url.hostname);
  if (!registrable) throw new InvalidLeadField('website', `"${raw}" has no public domain name.`);
  url.hash = '';
  const website = url
    .toString()
    .replace(/\/+$/, '')
    .replace(/\/+(\?)/, '$1');
  return { website, domain: sharedHosts.has(registrable) ? null : registrable };
}

export type NormalisableFields = { phone?: string | null; email?: string | null; website?: string | null };
export type NormalisedFields = { phone?: string | null; email?: string | null; website?: string | null; domain?: string | null };

/**
 * Phone → E.164, website → URL + domain, email → lower case. Only fields present in `input` appear in
 * the result (so a partial update leaves the others alone); empty strings become null.
 * Throws InvalidLeadField naming the field that cannot be read.
 */
export function normaliseLeadFields(input: NormalisableFields, defaultCountry: string | null | undefined): NormalisedFields {
  const out: NormalisedFields = {};
  const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';
  if (input.phone !== undefined) out.phone = blank(input.phone) ? null : normalisePhone(input.phone!, defaultCountry);
  if (input.email !== undefined) out.email = blank(input.email) ? null : input.email!.trim().toLowerCase();
  if (input.website !== undefined) {
    if (blank(input.website)) Object.assign(out, { website: null, domain: null });
    else Object.assign(out, normaliseWebsite(input.website!));
  }
  return out;
}
