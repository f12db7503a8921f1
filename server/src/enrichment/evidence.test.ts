import { describe, expect, it } from 'vitest';
import type { SiteCrawl, CrawledPage } from './crawler/crawl-site.js';
import { crawlEvidence, listingEvidence } from './evidence.js';
import { findEmails } from './extract/emails.js';
import { effectiveWeights, scoreBreakdown, scoreOf } from './score.js';

// The rules are checked here on crawl results as the crawler reports them, including certificate
// failures the farm does not serve (expired); crawler.test.ts crawls real HTTPS farm sites.
const now = new Date('2026-05-01T00:00:00Z');
const ctx = { defaultCountry: 'SA', slowMs: 3000, timeoutMs: 15000, now };
const page = (url: string, html: string, over: Partial<CrawledPage> = {}): CrawledPage => ({
  url,
  status: 200,
  headers: {},
  elapsedMs: 120,
  bytes: html.length,
  truncated: false,
  charset: 'utf-8',
  html,
  ...over,
});
const crawlOf = (over: Partial<SiteCrawl>): SiteCrawl => ({
  startUrl: 'http://clinic.example/',
  homeUrl: null,
  homeRedirects: [],
  pages: [],
  skipped: [],
  failure: null,
  tlsFailure: null,
  robotsRefusal: null,
  pagesRequested: 1,
  ...over,
});
const wellKept = `<html><head><title>Clinic</title><meta name="description" content="d"><meta name="viewport" content="width=device-width">
<script src="https://www.googletagmanager.com/gtm.js?id=GTM-ABC123"></script><link href="/wp-content/themes/x/style.css"></head>
<body><a href="https://facebook.com/clinic">fb</a> <a href="https://www.facebook.com/sharer/sharer.php?u=x">share</a> © 2026 Clinic</body></html>`;

describe('HTTPS and certificates', () => {
  it('an HTTP address that redirects to HTTPS is not NO_HTTPS', () => {
    const crawl = crawlOf({
      homeRedirects: ['http://clinic.example/'],
      homeUrl: 'https://clinic.example/',
      pages: [page('https://clinic.example/', wellKept)],
    });
    const kinds = crawlEvidence(crawl, ctx).map((e) => e.kind);
    expect(kinds).not.toContain('NO_HTTPS');
    expect(kinds).not.toContain('TLS_INVALID');
  });

  it('an HTTP site that stays on HTTP is NO_HTTPS, saying it does not redirect', () => {
    const crawl = crawlOf({ homeUrl: 'http://clinic.example/', pages: [page('http://clinic.example/', wellKept)] });
    expect(crawlEvidence(crawl, ctx)).toContainEqual(
      expect.objectContaining({ kind: 'NO_HTTPS', value: 'no redirect to https', snippet: expect.stringMatching(/does not redirect/) }),
    );
  });

  it('an invalid certificate is TLS_INVALID, and the site read over HTTP instead is also NO_HTTPS', () => {
    const crawl = crawlOf({
      startUrl: 'https://clinic.example/',
      tlsFailure: { reason: 'invalid TLS certificate (CERT_HAS_EXPIRED)', url: 'https://clinic.example/' },
      homeUrl: 'http://clinic.example/',
      pages: [page('http://clinic.example/', wellKept)],
    });
    const evidence = crawlEvidence(crawl, ctx);
    expect(evidence).toContainEqual(expect.objectContaining({ kind: 'TLS_INVALID', value: 'invalid TLS certificate (CERT_HAS_EXPIRED)' }));
    expect(evidence).toContainEqual(expect.objectContaining({ kind: 'NO_HTTPS', snippet: expect.stringMatching(/invalid certificate/) }));
  });

  it('an HTTPS site whose certificate fails and has no HTTP fallback is TLS_INVALID and unreachable', () => {
    const crawl = crawlOf({
      failure: { kind: 'tls', reason: 'invalid TLS certificate (DEPTH_ZERO_SELF_SIGNED_CERT)', url: 'https://clinic.example/' },
    });
    expect(crawlEvidence(crawl, ctx).map((e) => e.kind)).toEqual(['TLS_INVALID', 'WEBSITE_UNREACHABLE']);
  });
});

describe('what a page shows', () => {
  it('a well-kept page yields its technologies, its social profile (not share buttons) and no problems', () => {
    const crawl = crawlOf({
      homeUrl: 'https://clinic.example/',
      pages: [page('https://clinic.example/', wellKept, { headers: { server: 'cloudflare' } })],
    });
    const evidence = crawlEvidence(crawl, ctx);
    expect(evidence.filter((e) => e.kind === 'TECHNOLOGY').map((e) => e.value)).toEqual(['WordPress', 'Google Tag Manager', 'Cloudflare']);
    expect(evidence.filter((e) => e.kind === 'SOCIAL_PROFILE').map((e) => e.value)).toEqual(['https://facebook.com/clinic']);
    expect(evidence.map((e) => e.kind).filter((k) => !['TECHNOLOGY', 'SOCIAL_PROFILE'].includes(k))).toEqual([]);
  });

  it('a neglected page: no viewport, title, description, social links; an old copyright; slow', () => {
    const crawl = crawlOf({
      homeUrl: 'https://clinic.example/',
      pages: [page('https://clinic.example/', '<html><body>Welcome. Copyright © 2015-2019 Clinic</body></html>', { elapsedMs: 4200 })],
    });
    const evidence = crawlEvidence(crawl, ctx);
    expect(evidence.map((e) => e.kind)).toEqual([
      'SLOW_RESPONSE',
      'NO_MOBILE_VIEWPORT',
      'MISSING_TITLE',
      'MISSING_META_DESCRIPTION',
      'NO_SOCIAL_PROFILES',
      'OUTDATED_COPYRIGHT',
    ]);
    expect(evidence.find((e) => e.kind === 'OUTDATED_COPYRIGHT')).toMatchObject({
      value: '2019',
      snippet: expect.stringContaining('2019'),
    });
    expect(evidence.find((e) => e.kind === 'SLOW_RESPONSE')?.value).toBe('4200 ms');
  });

  it('finds emails in mailto links and disguised forms, and drops image names and placeholders', () => {
    const text =
      'Write to info [at] clinic [dot] sa or sales(at)clinic(dot)sa, logo@2x.png, you@example.com, user@domain.com, abc@o123.ingest.sentry.io, Dr.Sami@Clinic.SA';
    expect(findEmails(text, ['mailto:Booking@clinic.sa?subject=Hi']).sort()).toEqual(
      ['booking@clinic.sa', 'dr.sami@clinic.sa', 'info@clinic.sa', 'sales@clinic.sa'].sort(),
    );
  });

  it('normalises phones to E.164 with the default country, from tel: links and text', () => {
    const crawl = crawlOf({
      homeUrl: 'https://clinic.example/',
      pages: [
        page('https://clinic.example/', '<body><a href="tel:011 234 5678">call</a> Mobile: 050 123 4567, intl +44 20 7946 0958</body>'),
      ],
    });
    const phones = crawlEvidence(crawl, ctx)
      .filter((e) => e.kind === 'PHONE_FOUND')
      .map((e) => e.value);
    expect(phones.sort()).toEqual(['+442079460958', '+966112345678', '+966501234567']);
  });

  it('snippets stay within 300 characters', () => {
    const long = 'x'.repeat(1000);
    const crawl = crawlOf({
      homeUrl: 'https://c.example/',
      pages: [page('https://c.example/', `<body>${long} mail me: a@clinic.sa ${long}</body>`)],
    });
    for (const e of crawlEvidence(crawl, ctx)) expect((e.snippet ?? '').length).toBeLessThanOrEqual(300);
  });
});

describe('listing evidence and the score', () => {
  it('no website, low rating, few reviews', () => {
    expect(listingEvidence({ website: null, rating: 3.6, reviewCount: 4 }).map((e) => [e.kind, e.value])).toEqual([
      ['WEBSITE_MISSING', null],
      ['LOW_RATING', '3.6'],
      ['FEW_REVIEWS', '4'],
    ]);
    expect(listingEvidence({ website: 'https://www.instagram.com/clinic', rating: 4.5, reviewCount: 200 }).map((e) => e.kind)).toEqual([
      'WEBSITE_MISSING',
      'SOCIAL_PROFILE',
    ]);
    expect(listingEvidence({ website: 'https://clinic.sa', rating: 4.0, reviewCount: 10 })).toEqual([]);
  });

  it('sums the weights of distinct kinds, clamped to 0–100, with one explained line per kind', () => {
    const weights = effectiveWeights();
    expect(scoreOf(['NO_HTTPS', 'NO_HTTPS', 'MISSING_TITLE'], weights)).toBe(25);
    expect(
      scoreOf(['WEBSITE_MISSING', 'WEBSITE_UNREACHABLE', 'NO_HTTPS', 'TLS_INVALID', 'NO_MOBILE_VIEWPORT', 'LOW_RATING'], weights),
    ).toBe(100);
    expect(scoreOf(['TECHNOLOGY'], effectiveWeights({ TECHNOLOGY: -20 }))).toBe(0);
    expect(scoreBreakdown(['MISSING_TITLE', 'NO_HTTPS', 'MISSING_TITLE'], weights)).toEqual([
      { kind: 'NO_HTTPS', weight: 15, explanation: expect.stringMatching(/HTTPS/) },
      { kind: 'MISSING_TITLE', weight: 10, explanation: expect.stringMatching(/title/) },
    ]);
  });
});
