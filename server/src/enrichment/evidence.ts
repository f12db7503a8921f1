import type { EvidenceKind } from '@optarget/shared';
import type { SiteCrawl } from './crawler/crawl-site.js';
import { findEmails } from './extract/emails.js';
import { readPageFacts, type PageFacts } from './extract/page-facts.js';
import { findPhones } from './extract/phones.js';
import { findSocialProfiles, socialNetworkOf } from './extract/social.js';
import { findTechnologies } from './extract/technologies.js';

export type EvidenceDraft = { kind: EvidenceKind; value: string | null; sourceUrl: string | null; snippet: string | null };
export type ListingFacts = { website: string | null; rating: number | null; reviewCount: number | null };
export type EvidenceContext = {
  defaultCountry: string | null;
  /** A home page slower than this (time to headers) is SLOW_RESPONSE. */
  slowMs: number;
  /** The request timeout, quoted when a site never answered. */
  timeoutMs: number;
  now: Date;
};

export const SNIPPET_MAX = 300;
/** A home page this large is heavy even when it fits under the crawler's cap. */
export const HEAVY_PAGE_BYTES = 1024 * 1024;
const MAX_PER_KIND = 20;

const clip = (text: string) => (text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX - 1)}…` : text);

/** Up to 300 characters of `text` around the first occurrence of `needle` (or its start). */
export function snippetAround(text: string, needle: string): string {
  const at = text.toLowerCase().indexOf(needle.toLowerCase());
  if (at < 0) return clip(text);
  const start = Math.max(0, at - 120);
  return clip(`${start > 0 ? '…' : ''}${text.slice(start, start + SNIPPET_MAX - 2).trim()}`);
}

/** Evidence a listing gives without visiting anything: no website, low rating, few reviews. */
export function listingEvidence(lead: ListingFacts): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  const website = lead.website?.trim() || null;
  if (!website) out.push({ kind: 'WEBSITE_MISSING', value: null, sourceUrl: null, snippet: 'The listing names no website.' });
  else if (socialNetworkOf(website)) {
    out.push({ kind: 'WEBSITE_MISSING', value: website, sourceUrl: website, snippet: 'The only website listed is a social profile.' });
    out.push({ kind: 'SOCIAL_PROFILE', value: website, sourceUrl: website, snippet: socialNetworkOf(website) });
  }
  if (lead.rating !== null && lead.rating < 4)
    out.push({
      kind: 'LOW_RATING',
      value: lead.rating.toFixed(1),
      sourceUrl: null,
      snippet: `Rated ${lead.rating.toFixed(1)} in the listing.`,
    });
  if (lead.reviewCount !== null && lead.reviewCount < 10)
    out.push({
      kind: 'FEW_REVIEWS',
      value: String(lead.reviewCount),
      sourceUrl: null,
      snippet: `${lead.reviewCount} reviews in the listing.`,
    });
  return out;
}

/** True when the lead has a website worth visiting (not missing, not just a social profile). */
export const hasOwnWebsite = (website: string | null) => Boolean(website?.trim()) && !socialNetworkOf(website!.trim());

/** Evidence from one visit to the lead's website. */
export function crawlEvidence(crawl: SiteCrawl, ctx: EvidenceContext): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  if (crawl.tlsFailure) out.push({ kind: 'TLS_INVALID', value: crawl.tlsFailure.reason, sourceUrl: crawl.tlsFailure.url, snippet: null });
  if (crawl.robotsRefusal) return out;
  if (crawl.failure) {
    const { kind, reason, url } = crawl.failure;
    if (kind === 'tls' && !crawl.tlsFailure) out.push({ kind: 'TLS_INVALID', value: reason, sourceUrl: url, snippet: null });
    if (kind === 'timeout') out.push({ kind: 'SLOW_RESPONSE', value: `over ${ctx.timeoutMs} ms`, sourceUrl: url, snippet: reason });
    const value = kind === 'address-not-allowed' ? 'address not allowed' : kind === 'timeout' ? 'timed out' : reason;
    out.push({ kind: 'WEBSITE_UNREACHABLE', value, sourceUrl: url, snippet: clip(reason) });
    return out;
  }
  const [home] = crawl.pages;
  if (!home) return out;

  if (home.url.startsWith('http:')) {
    const snippet = crawl.tlsFailure
      ? 'The HTTPS address has an invalid certificate; the site was read over plain HTTP.'
      : 'The site is served over plain HTTP and does not redirect to HTTPS.';
    out.push({ kind: 'NO_HTTPS', value: 'no redirect to https', sourceUrl: home.url, snippet });
  }
  if (home.elapsedMs > ctx.slowMs)
    out.push({
      kind: 'SLOW_RESPONSE',
      value: `${home.elapsedMs} ms`,
      sourceUrl: home.url,
      snippet: `The home page took ${home.elapsedMs} ms to answer.`,
    });
  const heavy = crawl.pages.find((p) => p.truncated) ?? (home.bytes > HEAVY_PAGE_BYTES ? home : undefined);
  if (heavy) {
    const value = heavy.truncated ? `over ${Math.round(heavy.bytes / 1024 / 1024)} MB` : `${Math.round(heavy.bytes / 1024)} KB`;
    out.push({ kind: 'HEAVY_PAGE', value, sourceUrl: heavy.url, snippet: `The page weighs ${value} of HTML alone.` });
  }

  const facts = crawl.pages.map((page) => ({ page, facts: readPageFacts(page.html) }));
  const homeFacts = facts[0].facts;
  if (!homeFacts.viewport)
    out.push({ kind: 'NO_MOBILE_VIEWPORT', value: null, sourceUrl: home.url, snippet: 'No <meta name="viewport"> on the home page.' });
  if (!homeFacts.title) out.push({ kind: 'MISSING_TITLE', value: null, sourceUrl: home.url, snippet: 'The home page has no <title>.' });
  if (!homeFacts.metaDescription)
    out.push({ kind: 'MISSING_META_DESCRIPTION', value: null, sourceUrl: home.url, snippet: 'The home page has no meta description.' });

  out.push(...contactEvidence(facts, ctx));

  const socials = new Map<string, { network: string; source: string }>();
  for (const { page, facts: f } of facts)
    for (const s of findSocialProfiles(f.hrefs, page.url))
      if (!socials.has(s.url)) socials.set(s.url, { network: s.network, source: page.url });
  for (const [url, s] of [...socials].slice(0, MAX_PER_KIND))
    out.push({ kind: 'SOCIAL_PROFILE', value: url, sourceUrl: s.source, snippet: s.network });
  if (!socials.size)
    out.push({
      kind: 'NO_SOCIAL_PROFILES',
      value: null,
      sourceUrl: home.url,
      snippet: `No social profile linked from ${crawl.pages.length} page(s) read.`,
    });

  const technologies = new Map<string, { proof: string; source: string }>();
  for (const { page } of facts)
    for (const t of findTechnologies(page.html, page.headers))
      if (!technologies.has(t.name)) technologies.set(t.name, { proof: t.proof, source: page.url });
  for (const [name, t] of technologies) out.push({ kind: 'TECHNOLOGY', value: name, sourceUrl: t.source, snippet: clip(t.proof) });

  const newest = facts.filter((f) => f.facts.copyright).sort((a, b) => b.facts.copyright!.year - a.facts.copyright!.year)[0];
  if (newest && newest.facts.copyright!.year < ctx.now.getUTCFullYear() - 2) {
    const { year, notice } = newest.facts.copyright!;
    out.push({ kind: 'OUTDATED_COPYRIGHT', value: String(year), sourceUrl: newest.page.url, snippet: clip(notice) });
  }
  return out;
}

function contactEvidence(facts: { page: { url: string }; facts: PageFacts }[], ctx: EvidenceContext): EvidenceDraft[] {
  const emails = new Map<string, EvidenceDraft>();
  const phones = new Map<string, EvidenceDraft>();
  for (const { page, facts: f } of facts) {
    const mailto = f.hrefs.filter((h) => /^mailto:/i.test(h));
    for (const email of findEmails(f.text, mailto))
      if (!emails.has(email))
        emails.set(email, { kind: 'EMAIL_FOUND', value: email, sourceUrl: page.url, snippet: snippetAround(f.text, email.split('@')[0]) });
    const tel = f.hrefs.filter((h) => /^tel:/i.test(h));
    for (const phone of findPhones(f.text, tel, ctx.defaultCountry))
      if (!phones.has(phone))
        phones.set(phone, { kind: 'PHONE_FOUND', value: phone, sourceUrl: page.url, snippet: snippetAround(f.text, phone.slice(-4)) });
  }
  return [...[...emails.values()].slice(0, MAX_PER_KIND), ...[...phones.values()].slice(0, MAX_PER_KIND)];
}
