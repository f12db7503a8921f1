import { describe, expect, it } from 'vitest';
import type { CrawlFailure, CrawledPage, SiteCrawl } from './crawler/crawl-site.js';
import { crawlEvidence, listingEvidence, type ListingFacts } from './evidence.js';
import { effectiveWeights, evidenceKinds, findingMessageKey, findingMessages, renderFinding } from '@optarget/shared';
import { decodeCloudflareEmail, findEmails } from './extract/emails.js';
import { scoreBreakdown, scoreOf } from './score.js';

// The rules are checked here on crawl results as the crawler reports them, including certificate
// failures the farm does not serve (expired); crawler.test.ts crawls real HTTPS farm sites.
const now = new Date('2026-05-01T00:00:00Z');
const ctx = { defaultCountry: 'SA', market: null, slowMs: 3000, timeoutMs: 15000, now };
const fetchedAt = new Date('2026-04-30T10:00:00Z');
const page = (url: string, html: string, over: Partial<CrawledPage> = {}): CrawledPage => ({
  url,
  status: 200,
  headers: {},
  elapsedMs: 120,
  fetchedAt,
  bytes: html.length,
  truncated: false,
  charset: 'utf-8',
  html,
  ...over,
});
const failure = (kind: CrawlFailure['kind'], reason: string, url: string, code: string | null = null): CrawlFailure => ({
  kind,
  reason,
  url,
  code,
  status: null,
  at: fetchedAt,
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
const listing = (over: Partial<ListingFacts>): ListingFacts => ({
  name: 'Clinic',
  website: null,
  phone: null,
  rating: null,
  reviewCount: null,
  source: 'osm',
  sourceId: null,
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
    expect(crawlEvidence(crawl, ctx)).toContainEqual({
      kind: 'NO_HTTPS',
      value: 'no redirect to https',
      params: {},
      sourceUrl: 'http://clinic.example/',
      snippet: 'GET http://clinic.example/: HTTP 200',
      proofKind: 'measurement',
      fetchedAt,
    });
  });

  it('an invalid certificate is TLS_INVALID, and the site read over HTTP instead is also NO_HTTPS', () => {
    const crawl = crawlOf({
      startUrl: 'https://clinic.example/',
      tlsFailure: failure(
        'tls',
        'invalid TLS certificate: it has expired (CERT_HAS_EXPIRED)',
        'https://clinic.example/',
        'CERT_HAS_EXPIRED',
      ),
      homeUrl: 'http://clinic.example/',
      pages: [page('http://clinic.example/', wellKept)],
    });
    const evidence = crawlEvidence(crawl, ctx);
    expect(evidence).toContainEqual({
      kind: 'TLS_INVALID',
      value: 'CERT_HAS_EXPIRED',
      params: { variant: 'expired' },
      sourceUrl: 'https://clinic.example/',
      snippet: 'invalid TLS certificate: it has expired (CERT_HAS_EXPIRED)',
      proofKind: 'error',
      fetchedAt,
    });
    expect(evidence).toContainEqual(expect.objectContaining({ kind: 'NO_HTTPS', params: { variant: 'tls-fallback' } }));
  });

  it('an HTTPS site whose certificate fails and has no HTTP fallback is TLS_INVALID and unreachable', () => {
    const crawl = crawlOf({
      failure: failure(
        'tls',
        'invalid TLS certificate: it is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)',
        'https://clinic.example/',
        'DEPTH_ZERO_SELF_SIGNED_CERT',
      ),
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
    expect(evidence.filter((e) => e.kind === 'TECHNOLOGY').map((e) => e.value)).toEqual(['Cloudflare', 'WordPress', 'Google Tag Manager']);
    expect(evidence.filter((e) => e.kind === 'SOCIAL_PROFILE').map((e) => e.value)).toEqual(['https://facebook.com/clinic']);
    // The page has no WhatsApp link: the one thing it lacks.
    expect(evidence.map((e) => e.kind).filter((k) => !['TECHNOLOGY', 'SOCIAL_PROFILE'].includes(k))).toEqual(['NO_WHATSAPP_LINK']);
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
      'NO_WHATSAPP_LINK',
      'OUTDATED_COPYRIGHT',
    ]);
    expect(evidence.find((e) => e.kind === 'OUTDATED_COPYRIGHT')).toMatchObject({
      value: '2019',
      snippet: expect.stringContaining('2019'),
    });
    expect(evidence.find((e) => e.kind === 'SLOW_RESPONSE')).toMatchObject({ value: '4200 ms', params: { seconds: 4.2 } });
  });

  it('finds emails in mailto links and disguised forms, and drops image names and placeholders', () => {
    const text =
      'Write to info [at] clinic [dot] sa or sales(at)clinic(dot)sa, logo@2x.png, you@example.com, user@domain.com, abc@o123.ingest.sentry.io, Dr.Sami@Clinic.SA';
    const mailto = { value: 'mailto:Booking@clinic.sa?subject=Hi', tag: '<a href="mailto:Booking@clinic.sa?subject=Hi">' };
    expect(findEmails(text, [mailto], [])).toEqual([
      { email: 'booking@clinic.sa', how: 'mailto', proof: mailto.tag },
      { email: 'info@clinic.sa', how: 'disguised', proof: expect.stringContaining('info [at] clinic [dot] sa') },
      { email: 'sales@clinic.sa', how: 'disguised', proof: expect.stringContaining('sales(at)clinic(dot)sa') },
      { email: 'dr.sami@clinic.sa', how: 'text', proof: expect.stringContaining('Dr.Sami@Clinic.SA') },
    ]);
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
    expect(listingEvidence(listing({ website: null, rating: 3.6, reviewCount: 4 })).map((e) => [e.kind, e.value, e.params])).toEqual([
      ['WEBSITE_MISSING', null, {}],
      ['LOW_RATING', '3.6', { rating: '3.6' }],
      ['FEW_REVIEWS', '4', { reviews: 4 }],
    ]);
    expect(listingEvidence(listing({ website: 'https://www.instagram.com/clinic' })).map((e) => [e.kind, e.params])).toEqual([
      ['WEBSITE_MISSING', { variant: 'social', url: 'https://www.instagram.com/clinic' }],
      ['SOCIAL_PROFILE', { variant: 'instagram', url: 'https://www.instagram.com/clinic' }],
    ]);
    expect(listingEvidence(listing({ website: 'https://wa.me/966501234567' })).map((e) => [e.kind, e.params])).toEqual([
      ['WEBSITE_MISSING', { variant: 'social', url: 'https://wa.me/966501234567' }],
      ['WHATSAPP_LINK', { phone: '+966501234567' }],
    ]);
    expect(listingEvidence(listing({ website: 'https://clinic.sa', rating: 4.0, reviewCount: 10 }))).toEqual([]);
    for (const e of listingEvidence(listing({ website: null, rating: 3.6, reviewCount: 4 })))
      expect(e).toMatchObject({ proofKind: 'listing', fetchedAt: null });
  });

  it('tells whether the listed phone is a mobile number, and links a Google listing to Google Maps', () => {
    const found = (over: Partial<ListingFacts>) => listingEvidence(listing(over)).filter((e) => e.kind !== 'WEBSITE_MISSING');
    expect(found({ phone: '+966501234567' })).toEqual([
      {
        kind: 'LISTED_PHONE_TYPE',
        value: '+966501234567',
        params: { variant: 'mobile', phone: '+966501234567' },
        sourceUrl: null,
        snippet: 'phone: +966501234567 (MOBILE)',
        proofKind: 'listing',
        fetchedAt: null,
      },
    ]);
    expect(found({ phone: '+966112345678' }).map((e) => e.params)).toEqual([{ variant: 'fixed-line', phone: '+966112345678' }]);
    const maps = found({ name: 'Pearl Dental', source: 'google', sourceId: 'ChIJ123' });
    expect(maps).toEqual([
      expect.objectContaining({
        kind: 'MAPS_LISTING',
        params: { url: 'https://www.google.com/maps/search/?api=1&query=Pearl%20Dental&query_place_id=ChIJ123' },
        snippet: 'Google place id: ChIJ123',
      }),
    ]);
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

describe('findings a business owner can be shown', () => {
  const home = (html: string, over: Partial<CrawledPage> = {}) =>
    crawlOf({ homeUrl: 'https://clinic.example/', pages: [page('https://clinic.example/', html, over)] });
  const ofKind = (evidence: ReturnType<typeof crawlEvidence>, kind: string) => evidence.filter((e) => e.kind === kind);

  it('never glues the text of neighbouring elements into an address', () => {
    const evidence = crawlEvidence(
      home('<body><h2>Dental Care</h2><p>info@pearl-dental.example</p><span>Call</span><b>us</b></body>'),
      ctx,
    );
    expect(ofKind(evidence, 'EMAIL_FOUND')).toEqual([
      {
        kind: 'EMAIL_FOUND',
        value: 'info@pearl-dental.example',
        params: { email: 'info@pearl-dental.example' },
        sourceUrl: 'https://clinic.example/',
        snippet: 'Dental Care info@pearl-dental.example Call us',
        proofKind: 'text',
        fetchedAt,
      },
    ]);
  });

  it('decodes e-mail addresses hidden by Cloudflare, keeping the attribute as proof', () => {
    // "info@clinic.sa" XOR 0x42, as Cloudflare writes it.
    const hex = `42${[...Buffer.from('info@clinic.sa')].map((b) => (b ^ 0x42).toString(16).padStart(2, '0')).join('')}`;
    const evidence = crawlEvidence(
      home(
        `<body><a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="${hex}">[email&#160;protected]</a>
         <a href="/cdn-cgi/l/email-protection#${hex.replace(/^42/, '42')}">Email us</a></body>`,
      ),
      ctx,
    );
    expect(ofKind(evidence, 'EMAIL_FOUND')).toEqual([
      expect.objectContaining({
        value: 'info@clinic.sa',
        params: { variant: 'cloudflare', email: 'info@clinic.sa' },
        snippet: `<a href="/cdn-cgi/l/email-protection#${hex}">`,
        proofKind: 'attribute',
      }),
    ]);
    expect(decodeCloudflareEmail('42')).toBeNull();
    expect(decodeCloudflareEmail('zz11')).toBeNull();
  });

  it('reads versions from file names, CDN paths, generator tags and headers, and marks the ones past end of life', () => {
    const evidence = crawlEvidence(
      home(
        `<html><head><meta name="generator" content="WordPress 6.4.2"><script src="/js/jquery-1.4.2.min.js"></script>
         <script src="https://ajax.googleapis.com/ajax/libs/angularjs/1.5.8/angular.min.js"></script>
         <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css"></head></html>`,
        { headers: { 'x-powered-by': 'PHP/7.4.33', server: 'Apache/2.4.58 (Ubuntu)' } },
      ),
      ctx,
    );
    expect(ofKind(evidence, 'OUTDATED_TECHNOLOGY').map((e) => [e.params, e.proofKind, e.snippet])).toEqual([
      [
        { product: 'PHP', version: '7.4.33', eolSince: '2022-11-28', eolSource: 'https://www.php.net/eol.php' },
        'header',
        'x-powered-by: PHP/7.4.33',
      ],
      [
        { product: 'jQuery', version: '1.4.2', eolSince: '2016-06-09', eolSource: 'https://endoflife.date/jquery' },
        'attribute',
        '<script src="/js/jquery-1.4.2.min.js">',
      ],
      [
        {
          product: 'AngularJS',
          version: '1.5.8',
          eolSince: '2021-12-31',
          eolSource: 'https://docs.angularjs.org/misc/version-support-status',
        },
        'attribute',
        '<script src="https://ajax.googleapis.com/ajax/libs/angularjs/1.5.8/angular.min.js">',
      ],
    ]);
    expect(ofKind(evidence, 'TECHNOLOGY').map((e) => e.value)).toEqual(['Apache 2.4.58', 'WordPress 6.4.2', 'Bootstrap 5.3.3']);
    expect(ofKind(evidence, 'TECHNOLOGY')[1]).toMatchObject({
      params: { variant: 'versioned', product: 'WordPress', version: '6.4.2' },
      snippet: '<meta name="generator" content="WordPress 6.4.2">',
    });
    // A line whose support has not ended yet is not outdated; the same version is once it has.
    const php82 = home('<html></html>', { headers: { 'x-powered-by': 'PHP/8.2.10' } });
    expect(ofKind(crawlEvidence(php82, ctx), 'OUTDATED_TECHNOLOGY')).toEqual([]);
    expect(ofKind(crawlEvidence(php82, { ...ctx, now: new Date('2027-01-01') }), 'OUTDATED_TECHNOLOGY')[0].params.eolSince).toBe(
      '2026-12-31',
    );
  });

  it('records WhatsApp chats with their number, social profiles of every network and Google Maps links', () => {
    const evidence = crawlEvidence(
      home(`<body><a href="https://wa.me/966501234567">WhatsApp</a><a href="https://api.whatsapp.com/send?phone=971501234567&text=hi">chat</a>
        <a href="https://www.instagram.com/pearl/">ig</a><a href="https://www.snapchat.com/add/pearl">snap</a><a href="https://www.tiktok.com/@pearl">tt</a>
        <a href="https://x.com/pearl">x</a><a href="https://twitter.com/intent/tweet?text=x">share</a>
        <a href="https://maps.app.goo.gl/AbCdEf123">Find us</a></body>`),
      ctx,
    );
    expect(ofKind(evidence, 'WHATSAPP_LINK').map((e) => [e.value, e.params, e.snippet])).toEqual([
      ['+966501234567', { phone: '+966501234567' }, '<a href="https://wa.me/966501234567">'],
      ['+971501234567', { phone: '+971501234567' }, '<a href="https://api.whatsapp.com/send?phone=971501234567&text=hi">'],
    ]);
    expect(ofKind(evidence, 'SOCIAL_PROFILE').map((e) => e.params)).toEqual([
      { variant: 'instagram', url: 'https://www.instagram.com/pearl' },
      { variant: 'snapchat', url: 'https://www.snapchat.com/add/pearl' },
      { variant: 'tiktok', url: 'https://www.tiktok.com/@pearl' },
      { variant: 'x', url: 'https://x.com/pearl' },
    ]);
    expect(ofKind(evidence, 'MAPS_LISTING').map((e) => e.params)).toEqual([
      { variant: 'website', url: 'https://maps.app.goo.gl/AbCdEf123' },
    ]);
    expect(evidence.map((e) => e.kind)).not.toContain('NO_WHATSAPP_LINK');
    expect(evidence.map((e) => e.kind)).not.toContain('NO_SOCIAL_PROFILES');
  });

  it('finds an Arabic version by lang, by a right-to-left Arabic page, or by hreflang, and its absence only in an Arabic-speaking market', () => {
    const arabic = (html: string) => ofKind(crawlEvidence(home(html), ctx), 'ARABIC_VERSION').map((e) => e.params);
    expect(arabic('<html lang="ar-SA"><body>مرحبا</body></html>')).toEqual([{ variant: 'lang', lang: 'ar-SA' }]);
    expect(arabic('<html dir="rtl"><body>عيادة الأسنان في الرياض</body></html>')).toEqual([
      { variant: 'dir', url: 'https://clinic.example/' },
    ]);
    expect(arabic('<html dir="rtl" lang="he"><body>שלום</body></html>')).toEqual([]);
    expect(arabic('<html lang="en"><head><link rel="alternate" hreflang="ar" href="/ar/"></head></html>')).toEqual([
      { variant: 'hreflang', url: 'https://clinic.example/ar/' },
    ]);
    expect(arabic('<html lang="en"><body><a href="/ar">العربية</a></body></html>')).toEqual([
      { variant: 'hreflang', url: 'https://clinic.example/ar' },
    ]);

    const english = home('<html lang="en"><body>Welcome</body></html>');
    expect(ofKind(crawlEvidence(english, ctx), 'NO_ARABIC_VERSION')).toEqual([]);
    expect(ofKind(crawlEvidence(english, { ...ctx, market: { country: 'DE', from: 'lead' } }), 'NO_ARABIC_VERSION')).toEqual([]);
    expect(ofKind(crawlEvidence(english, { ...ctx, market: { country: 'SA', from: 'phone' } }), 'NO_ARABIC_VERSION')).toEqual([
      {
        kind: 'NO_ARABIC_VERSION',
        value: 'SA',
        params: { pages: 1, country: 'SA', countryFrom: 'phone' },
        sourceUrl: 'https://clinic.example/',
        snippet: 'https://clinic.example/',
        proofKind: 'absence',
        fetchedAt,
      },
    ]);
  });

  it('says why a site could not be opened in words, keeping the error as the proof', () => {
    const dns = crawlOf({
      failure: failure('dns', 'ENOTFOUND getaddrinfo ENOTFOUND riyadhsmile.example', 'https://riyadhsmile.example/', 'ENOTFOUND'),
    });
    const [unreachable] = crawlEvidence(dns, ctx);
    expect(unreachable).toEqual({
      kind: 'WEBSITE_UNREACHABLE',
      value: 'dns',
      params: { variant: 'dns', host: 'riyadhsmile.example' },
      sourceUrl: 'https://riyadhsmile.example/',
      snippet: 'ENOTFOUND getaddrinfo ENOTFOUND riyadhsmile.example',
      proofKind: 'error',
      fetchedAt,
    });
    expect(renderFinding('en', unreachable.kind, unreachable.params)).toBe(
      'The domain riyadhsmile.example does not resolve: the site cannot be found.',
    );
    expect(renderFinding('ar', unreachable.kind, unreachable.params)).toBe(
      'النطاق \u2068riyadhsmile.example\u2069 لا يُحَلّ إلى أي عنوان: لا يمكن العثور على الموقع.',
    );
    const status = crawlOf({
      failure: { ...failure('http-status', 'the home page answered HTTP 503', 'https://c.example/'), status: 503 },
    });
    expect(renderFinding('en', 'WEBSITE_UNREACHABLE', crawlEvidence(status, ctx)[0].params)).toBe(
      'The home page answers with an error (HTTP 503) instead of the site.',
    );
  });

  it('a site that robots.txt closes is not read: the rule is the proof', () => {
    const robotsAt = new Date('2026-04-30T09:59:59Z');
    const closed = crawlOf({
      robotsRefusal: {
        reason: 'robots.txt disallows this page',
        refusal: 'disallow',
        robotsUrl: 'https://clinic.example/robots.txt',
        status: 200,
        rule: 'Disallow: /',
        fetchedAt: robotsAt,
      },
    });
    expect(crawlEvidence(closed, ctx)).toEqual([
      {
        kind: 'WEBSITE_NOT_READ',
        value: 'disallow',
        params: { variant: 'robots-disallow' },
        sourceUrl: 'https://clinic.example/robots.txt',
        snippet: 'Disallow: /',
        proofKind: 'robots',
        fetchedAt: robotsAt,
      },
    ]);
  });

  it('every kind has a sentence in both languages, and old rows without a variant still read', () => {
    for (const kind of evidenceKinds) {
      expect(findingMessageKey(kind, {})).toBe(`finding.${kind}`);
      for (const locale of ['en', 'ar'] as const) expect(findingMessages[locale][`evidence.kind.${kind}`]).toBeTruthy();
    }
    expect(findingMessageKey('SOCIAL_PROFILE', { variant: 'whatsapp', url: 'https://wa.me/1' })).toBe('finding.SOCIAL_PROFILE');
    expect(renderFinding('en', 'TECHNOLOGY', { variant: 'versioned', product: 'jQuery', version: '1.4.2' })).toBe(
      'Built with jQuery 1.4.2.',
    );
  });
});
