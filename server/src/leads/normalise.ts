import { isIP } from 'node:net';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { parse as parseHost } from 'tldts';
import { isLeadEmail } from '@optarget/shared';
import { isCountryCode } from './country.js';

export { isCountryCode };

/**
 * Hosts where many unrelated businesses have a page: social networks, link pages, and site builders
 * and shops whose customers get a path or a subdomain. A link there is kept as the lead's website,
 * but its domain would match every other business on the same host, so it never becomes a dedupe
 * key. Hosts under a suffix the Public Suffix List marks as private (`*.wixsite.com`, `*.github.io`,
 * `*.myshopify.com`, …: suffixes a platform hands out to its customers) count as shared too.
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
  'g.page',
  'forms.gle',
  'wa.link',
  'beacons.ai',
  'lnk.bio',
  'bio.link',
  'canva.site',
  'godaddysites.com',
  'squarespace.com',
  'weebly.com',
  'jimdosite.com',
  'mystrikingly.com',
  'site123.me',
  'ueniweb.com',
  'negocio.site',
  'hubspotpagebuilder.com',
  'odoo.com',
  'zohosites.com',
  'tumblr.com',
  'medium.com',
  'calendly.com',
  'salla.sa',
  'zid.store',
]);

export class InvalidLeadField extends Error {
  constructor(
    readonly field: 'phone' | 'website' | 'email',
    message: string,
  ) {
    super(message);
  }
}

const countryName = (code: string) => new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;

/** E.164 form of a phone number; a number without a country code is read in `country` (a two-letter code). */
export function normalisePhone(raw: string, country: string | null | undefined): string {
  const known = country && isCountryCode(country) ? country : undefined;
  const parsed = parsePhoneNumberFromString(raw, known ? { defaultCountry: known } : undefined);
  if (!parsed?.isValid()) {
    const where = known ? ` in ${countryName(known)}` : '';
    const hint =
      raw.trim().startsWith('+') || known
        ? ''
        : " Add the country code (e.g. +966…), fill in the lead's country, or set a default country in settings.";
    throw new InvalidLeadField('phone', `"${raw}" is not a valid phone number${where}.${hint}`);
  }
  return parsed.number;
}

/**
 * A website as a canonical URL plus its registrable domain, the dedupe key: null for hosts shared by
 * many businesses and for an IP address (kept as given; the crawler's address policy decides
 * whether it may be visited). Text that is no http(s) address with a host name is refused.
 */
export function normaliseWebsite(raw: string): { website: string; domain: string | null } {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw new InvalidLeadField('website', `"${raw}" is not a valid web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidLeadField('website', 'must be an http or https address');
  const host = parseHost(url.hostname, { allowPrivateDomains: true });
  const ipAddress = isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0;
  if (!ipAddress && !host.domain) throw new InvalidLeadField('website', `"${raw}" has no public domain name.`);
  url.hash = '';
  const website = url
    .toString()
    .replace(/\/+$/, '')
    .replace(/\/+(\?)/, '$1');
  const icannDomain = host.isPrivate ? null : host.domain;
  return { website, domain: icannDomain && !sharedHosts.has(icannDomain) ? icannDomain : null };
}

/** An email address in lower case, if it passes the one rule for lead emails (LeadEmail). */
export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!isLeadEmail(email)) throw new InvalidLeadField('email', `"${raw}" is not a valid email address.`);
  return email;
}

export type NormalisableFields = { phone?: string | null; email?: string | null; website?: string | null };
export type NormalisedFields = { phone?: string | null; email?: string | null; website?: string | null; domain?: string | null };

const blank = (v: string | null | undefined): v is null | undefined => v === null || v === undefined || v.trim() === '';

/**
 * Phone → E.164, website → URL + domain, email → lower case. Only fields present in `input` appear in
 * the result (so a partial update leaves the others alone); empty strings become null.
 * Throws InvalidLeadField naming the field that cannot be read.
 */
export function normaliseLeadFields(input: NormalisableFields, country: string | null | undefined): NormalisedFields {
  const out: NormalisedFields = {};
  if (input.phone !== undefined) out.phone = blank(input.phone) ? null : normalisePhone(input.phone, country);
  if (input.email !== undefined) out.email = blank(input.email) ? null : normaliseEmail(input.email);
  if (input.website !== undefined) {
    if (blank(input.website)) Object.assign(out, { website: null, domain: null });
    else Object.assign(out, normaliseWebsite(input.website));
  }
  return out;
}

/** Contact fields as read from an import or a search: a value that cannot be read is kept as given in `<field>Raw`. */
export type ReadContact = {
  phone: string | null;
  email: string | null;
  website: string | null;
  domain: string | null;
  phoneRaw: string | null;
  emailRaw: string | null;
  websiteRaw: string | null;
};

/** Longest unreadable text kept; beyond it, a cell holds something other than a contact detail. */
const RAW_MAX = 500;

/** normaliseLeadFields that never refuses: what cannot be read is kept as text for a person to fix. */
export function readContact(input: NormalisableFields, country: string | null | undefined): ReadContact {
  const out: ReadContact = { phone: null, email: null, website: null, domain: null, phoneRaw: null, emailRaw: null, websiteRaw: null };
  for (const field of ['phone', 'email', 'website'] as const) {
    const raw = input[field];
    if (blank(raw)) continue;
    try {
      Object.assign(out, normaliseLeadFields({ [field]: raw }, country));
    } catch (error) {
      if (!(error instanceof InvalidLeadField)) throw error;
      out[`${field}Raw`] = raw.trim().slice(0, RAW_MAX);
    }
  }
  return out;
}
