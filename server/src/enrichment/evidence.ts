import type { EvidenceKind, EvidenceParams, ProofKind } from '@optarget/shared';
import type { CrawledPage, CrawlFailure, SiteCrawl } from './crawler/crawl-site.js';
import { MAX_REDIRECTS } from './crawler/crawler.js';
import { arabicSignals, isArabicSpeakingCountry } from './extract/arabic.js';
import { findEmails } from './extract/emails.js';
import { endOfLifeOf } from './extract/end-of-life.js';
import { readPageFacts, type PageFacts } from './extract/page-facts.js';
import { findPhones, phoneLineType, whatsappNumber } from './extract/phones.js';
import { clip } from './extract/snippet.js';
import { findPlatformLinks, platformOf } from './extract/social.js';
import { findTechnologies } from './extract/technologies.js';

/**
 * One finding as the enrichment records it: its kind and the parameters of its sentence (see
 * shared findings.ts), and its proof: where it was read, when, and the exact text, attribute,
 * header or technical detail.
 */
export type EvidenceDraft = {
  kind: EvidenceKind;
  value: string | null;
  params: EvidenceParams;
  sourceUrl: string | null;
  snippet: string | null;
  proofKind: ProofKind;
  fetchedAt: Date | null;
};
export type ListingFacts = {
  name: string;
  website: string | null;
  /** Website text the listing gave that is no address (the lead keeps it as needing attention). */
  websiteRaw?: string | null;
  phone: string | null;
  rating: number | null;
  reviewCount: number | null;
  source: string;
  sourceId: string | null;
};
/** The country a lead does business in, and where that was read. */
export type Market = { country: string; from: 'lead' | 'phone' | 'tenant' };
export type EvidenceContext = {
  /** The country phone numbers without a country code are read in. */
  defaultCountry: string | null;
  market: Market | null;
  /** A home page slower than this (time to headers) is SLOW_RESPONSE. */
  slowMs: number;
  /** The request timeout, quoted when a site never answered. */
  timeoutMs: number;
  now: Date;
};

/** A home page this large is heavy even when it fits under the crawler's cap. */
export const HEAVY_PAGE_BYTES = 1024 * 1024;
const MAX_PER_KIND = 20;

const finding = (
  kind: EvidenceKind,
  value: string | null,
  params: EvidenceParams,
  proof: { sourceUrl: string | null; snippet: string | null; proofKind: ProofKind; fetchedAt: Date | null },
): EvidenceDraft => ({ kind, value, params, ...proof, snippet: proof.snippet === null ? null : clip(proof.snippet) });

const fromListing = (snippet: string, sourceUrl: string | null = null) => ({
  sourceUrl,
  snippet,
  proofKind: 'listing' as const,
  fetchedAt: null,
});

/** The Google Maps address of a Google listing (Google's documented Maps URL for a place id). */
export const googleMapsUrl = (name: string, placeId: string) =>
  `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(name)}&query_place_id=${encodeURIComponent(placeId)}`;

/** Evidence a listing gives without visiting anything: no website, rating, reviews, the phone's line type, the Maps listing. */
export function listingEvidence(lead: ListingFacts): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  const website = lead.website?.trim() || null;
  const platform = website ? platformOf(website) : null;
  if (!website && lead.websiteRaw)
    out.push(
      finding('WEBSITE_UNREACHABLE', 'not a web address', { variant: 'unsupported-url' }, fromListing(`website: ${lead.websiteRaw}`)),
    );
  else if (!website) out.push(finding('WEBSITE_MISSING', null, {}, fromListing('website: (none)')));
  else if (platform) {
    out.push(finding('WEBSITE_MISSING', website, { variant: 'social', url: website }, fromListing(`website: ${website}`, website)));
    if (platform.kind === 'social')
      out.push(
        finding('SOCIAL_PROFILE', website, { variant: platform.network, url: website }, fromListing(`website: ${website}`, website)),
      );
    if (platform.kind === 'whatsapp') {
      const phone = whatsappNumber(new URL(website));
      const params: EvidenceParams = phone ? { phone } : { variant: 'no-number', url: website };
      out.push(finding('WHATSAPP_LINK', phone ?? website, params, fromListing(`website: ${website}`, website)));
    }
    if (platform.kind === 'maps') out.push(finding('MAPS_LISTING', website, { url: website }, fromListing(`website: ${website}`, website)));
  }
  if (lead.rating !== null && lead.rating < 4) {
    const rating = lead.rating.toFixed(1);
    out.push(finding('LOW_RATING', rating, { rating }, fromListing(`rating: ${rating}`)));
  }
  if (lead.reviewCount !== null && lead.reviewCount < 10)
    out.push(finding('FEW_REVIEWS', String(lead.reviewCount), { reviews: lead.reviewCount }, fromListing(`reviews: ${lead.reviewCount}`)));
  const line = lead.phone ? phoneLineType(lead.phone) : null;
  if (lead.phone && line)
    out.push(
      finding(
        'LISTED_PHONE_TYPE',
        lead.phone,
        { variant: line.type, phone: lead.phone },
        fromListing(`phone: ${lead.phone} (${line.libType})`),
      ),
    );
  if (lead.source === 'google' && lead.sourceId && platform?.kind !== 'maps') {
    const url = googleMapsUrl(lead.name, lead.sourceId);
    out.push(finding('MAPS_LISTING', url, { url }, fromListing(`Google place id: ${lead.sourceId}`, url)));
  }
  return out;
}

/** True when the lead has a website worth visiting (not missing, not a profile on a platform). */
export const hasOwnWebsite = (website: string | null) => Boolean(website?.trim()) && !platformOf(website!.trim());

const tlsVariants: Record<string, string> = {
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-host',
  CERT_REVOKED: 'revoked',
};

const failureProof = (failure: CrawlFailure) => ({
  sourceUrl: failure.url,
  snippet: failure.reason,
  proofKind: 'error' as const,
  fetchedAt: failure.at,
});

function tlsFinding(failure: CrawlFailure): EvidenceDraft {
  const variant = failure.code ? tlsVariants[failure.code] : undefined;
  return finding('TLS_INVALID', failure.code ?? 'invalid certificate', variant ? { variant } : {}, failureProof(failure));
}

/** The sentence's parameters for a site that could not be opened, by what happened. */
function unreachableParams(failure: CrawlFailure, timeoutMs: number): EvidenceParams {
  const host = hostOf(failure.url);
  switch (failure.kind) {
    case 'dns':
    case 'refused':
    case 'reset':
      return { variant: failure.kind, host };
    case 'timeout':
      return { variant: 'timeout', seconds: timeoutMs / 1000 };
    case 'http-status':
      return { variant: 'http', status: failure.status ?? 0 };
    case 'too-many-redirects':
      return { variant: failure.kind, max: MAX_REDIRECTS };
    case 'tls':
    case 'redirect-loop':
    case 'not-html':
    case 'address-not-allowed':
    case 'unsupported-url':
      return { variant: failure.kind };
    default:
      return {};
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** Evidence from one visit to the lead's website. */
export function crawlEvidence(crawl: SiteCrawl, ctx: EvidenceContext): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  if (crawl.tlsFailure) out.push(tlsFinding(crawl.tlsFailure));
  if (crawl.robotsRefusal) {
    const { refusal, robotsUrl, status, rule, fetchedAt } = crawl.robotsRefusal;
    const params: EvidenceParams = refusal === 'disallow' ? { variant: 'robots-disallow' } : { variant: 'robots-unavailable', status };
    const snippet = rule ?? `HTTP ${status}`;
    out.push(finding('WEBSITE_NOT_READ', refusal, params, { sourceUrl: robotsUrl, snippet, proofKind: 'robots', fetchedAt }));
    return out;
  }
  if (crawl.failure) {
    const { failure } = crawl;
    if (failure.kind === 'tls' && !crawl.tlsFailure) out.push(tlsFinding(failure));
    if (failure.kind === 'timeout')
      out.push(
        finding('SLOW_RESPONSE', `over ${ctx.timeoutMs} ms`, { variant: 'timeout', seconds: ctx.timeoutMs / 1000 }, failureProof(failure)),
      );
    out.push(finding('WEBSITE_UNREACHABLE', failure.kind, unreachableParams(failure, ctx.timeoutMs), failureProof(failure)));
    return out;
  }
  const [home] = crawl.pages;
  if (!home) return out;
  const measured = (page: CrawledPage, snippet: string) => ({
    sourceUrl: page.url,
    snippet,
    proofKind: 'measurement' as const,
    fetchedAt: page.fetchedAt,
  });

  if (home.url.startsWith('http:')) {
    const path = [...crawl.homeRedirects, home.url].join(' → ');
    const params: EvidenceParams = crawl.tlsFailure ? { variant: 'tls-fallback' } : {};
    out.push(finding('NO_HTTPS', 'no redirect to https', params, measured(home, `GET ${path}: HTTP ${home.status}`)));
  }
  if (home.elapsedMs > ctx.slowMs)
    out.push(
      finding(
        'SLOW_RESPONSE',
        `${home.elapsedMs} ms`,
        { seconds: Math.round(home.elapsedMs / 100) / 10 },
        measured(home, `${home.elapsedMs} ms to the first answer from ${home.url}`),
      ),
    );
  const heavy = crawl.pages.find((p) => p.truncated) ?? (home.bytes > HEAVY_PAGE_BYTES ? home : undefined);
  if (heavy) {
    const mb = Math.round(heavy.bytes / 1024 / 1024);
    const kb = Math.round(heavy.bytes / 1024);
    const proof = measured(heavy, heavy.truncated ? `reading stopped after ${heavy.bytes} bytes of HTML` : `${heavy.bytes} bytes of HTML`);
    out.push(
      heavy.truncated
        ? finding('HEAVY_PAGE', `over ${mb} MB`, { variant: 'truncated', mb }, proof)
        : finding('HEAVY_PAGE', `${kb} KB`, { kb }, proof),
    );
  }

  const pages = crawl.pages.map((page) => ({ page, facts: readPageFacts(page.html) }));
  const homeFacts = pages[0].facts;
  const absent = { sourceUrl: home.url, snippet: homeFacts.headExcerpt, proofKind: 'absence' as const, fetchedAt: home.fetchedAt };
  if (!homeFacts.viewport) out.push(finding('NO_MOBILE_VIEWPORT', null, {}, absent));
  if (!homeFacts.title) out.push(finding('MISSING_TITLE', null, {}, absent));
  if (!homeFacts.metaDescription) out.push(finding('MISSING_META_DESCRIPTION', null, {}, absent));

  out.push(...contactEvidence(pages, ctx));
  out.push(...platformEvidence(pages));
  out.push(...technologyEvidence(pages, ctx.now));

  const newest = pages.filter((p) => p.facts.copyright).sort((a, b) => b.facts.copyright!.year - a.facts.copyright!.year)[0];
  if (newest && newest.facts.copyright!.year < ctx.now.getUTCFullYear() - 2) {
    const { year, notice } = newest.facts.copyright!;
    out.push(finding('OUTDATED_COPYRIGHT', String(year), { year }, onPage(newest.page, notice, 'text')));
  }
  out.push(...arabicEvidence(pages, ctx.market));
  return out;
}

type ReadPage = { page: CrawledPage; facts: PageFacts };

const onPage = (page: CrawledPage, snippet: string, proofKind: ProofKind) => ({
  sourceUrl: page.url,
  snippet,
  proofKind,
  fetchedAt: page.fetchedAt,
});

/** The pages read, as the proof that something was looked for on all of them. */
const pagesRead = (pages: ReadPage[]) => ({
  sourceUrl: pages[0].page.url,
  snippet: pages.map((p) => p.page.url).join(' '),
  proofKind: 'absence' as const,
  fetchedAt: pages[0].page.fetchedAt,
});

/** Each kind once per value, first proof kept, at most MAX_PER_KIND of it. */
function firstOfEach(drafts: EvidenceDraft[]): EvidenceDraft[] {
  const seen = new Set<string>();
  const perKind = new Map<string, number>();
  return drafts.filter((d) => {
    const key = `${d.kind}\u0000${d.value}`;
    if (seen.has(key) || (perKind.get(d.kind) ?? 0) >= MAX_PER_KIND) return false;
    seen.add(key);
    perKind.set(d.kind, (perKind.get(d.kind) ?? 0) + 1);
    return true;
  });
}

function contactEvidence(pages: ReadPage[], ctx: EvidenceContext): EvidenceDraft[] {
  const emails: EvidenceDraft[] = [];
  const phones: EvidenceDraft[] = [];
  for (const { page, facts } of pages) {
    for (const found of findEmails(facts.text, facts.links, facts.cfEmails)) {
      const params: EvidenceParams = found.how === 'text' ? { email: found.email } : { variant: found.how, email: found.email };
      const proofKind = found.how === 'mailto' || found.how === 'cloudflare' ? 'attribute' : 'text';
      emails.push(finding('EMAIL_FOUND', found.email, params, onPage(page, found.proof, proofKind)));
    }
    for (const found of findPhones(facts.text, facts.links, ctx.defaultCountry))
      phones.push(
        finding('PHONE_FOUND', found.phone, { phone: found.phone }, onPage(page, found.proof, found.how === 'tel' ? 'attribute' : 'text')),
      );
  }
  return firstOfEach([...emails, ...phones]);
}

/** Social profiles, WhatsApp chats and Google Maps listings the pages link to, and the absence of the first two. */
function platformEvidence(pages: ReadPage[]): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  for (const { page, facts } of pages)
    for (const { platform, url, proof } of findPlatformLinks(facts.links, page.url)) {
      const at = onPage(page, proof, 'attribute');
      if (platform.kind === 'social') out.push(finding('SOCIAL_PROFILE', url.href, { variant: platform.network, url: url.href }, at));
      if (platform.kind === 'maps') out.push(finding('MAPS_LISTING', url.href, { variant: 'website', url: url.href }, at));
      if (platform.kind === 'whatsapp') {
        const phone = whatsappNumber(url);
        out.push(finding('WHATSAPP_LINK', phone ?? url.href, phone ? { phone } : { variant: 'no-number', url: url.href }, at));
      }
    }
  const kinds = new Set(out.map((d) => d.kind));
  if (!kinds.has('SOCIAL_PROFILE')) out.push(finding('NO_SOCIAL_PROFILES', null, { pages: pages.length }, pagesRead(pages)));
  if (!kinds.has('WHATSAPP_LINK')) out.push(finding('NO_WHATSAPP_LINK', null, { pages: pages.length }, pagesRead(pages)));
  return firstOfEach(out);
}

/** Technologies with their versions; a version whose line has reached its end of life is OUTDATED_TECHNOLOGY instead. */
function technologyEvidence(pages: ReadPage[], now: Date): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  for (const { page, facts } of pages)
    for (const t of findTechnologies(facts, page.html, page.headers, page.url)) {
      const value = t.version ? `${t.product} ${t.version}` : t.product;
      const proof = onPage(page, t.proof, t.proofKind);
      const eol = t.version ? endOfLifeOf(t.product, t.version, now) : null;
      if (eol)
        out.push(
          finding(
            'OUTDATED_TECHNOLOGY',
            value,
            { product: t.product, version: t.version!, eolSince: eol.endOfLife, eolSource: eol.source },
            proof,
          ),
        );
      else
        out.push(
          finding(
            'TECHNOLOGY',
            value,
            t.version ? { variant: 'versioned', product: t.product, version: t.version } : { product: t.product },
            proof,
          ),
        );
    }
  return firstOfEach(out);
}

/** The first sign of an Arabic version; or, in an Arabic-speaking market, its absence from every page read. */
function arabicEvidence(pages: ReadPage[], market: Market | null): EvidenceDraft[] {
  for (const { page, facts } of pages) {
    const [signal] = arabicSignals(facts, page.url);
    if (signal) {
      const params: EvidenceParams =
        signal.variant === 'lang' ? { variant: 'lang', lang: signal.lang! } : { variant: signal.variant, url: signal.url };
      return [finding('ARABIC_VERSION', signal.url, params, onPage(page, signal.proof, 'attribute'))];
    }
  }
  if (!market || !isArabicSpeakingCountry(market.country)) return [];
  const params = { pages: pages.length, country: market.country, countryFrom: market.from };
  return [finding('NO_ARABIC_VERSION', market.country, params, pagesRead(pages))];
}
