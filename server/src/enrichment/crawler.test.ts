import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { anyAddress, publicAddressesOnly, refusedAddressReason, type AddressPolicy } from './crawler/address-policy.js';
import { Crawler, crawlerSettingsFrom, MAX_PAGE_BYTES, type CrawlerSettings } from './crawler/crawler.js';
import { systemResolver, type Resolver } from './crawler/guarded-lookup.js';
import { crawlEvidence } from './evidence.js';
import { bytes, farmSite, goodPage, html, redirect, robots, testTls, type FarmSite } from './test-helpers.js';

// Every site of this farm listens on 127.0.0.1; the crawler is told it may go there (as
// CRAWLER_ALLOW_PRIVATE=true does) except in the SSRF tests, which keep the production rule.
const settings = (over: Partial<CrawlerSettings> = {}): CrawlerSettings => ({
  userAgent: 'OpTargetBot/1.0 (+http://localhost:3000)',
  timeoutMs: 1500,
  connectTimeoutMs: 1000,
  hostDelayMs: 10,
  concurrency: 4,
  maxPages: 8,
  maxBytes: MAX_PAGE_BYTES,
  maxRedirects: 5,
  policy: anyAddress,
  resolver: systemResolver,
  ...over,
});

async function crawlWith(url: string, over: Partial<CrawlerSettings> = {}) {
  const crawler = new Crawler(settings(over));
  try {
    return await crawler.crawl(url);
  } finally {
    await crawler.close();
  }
}

const evidenceCtx = { defaultCountry: 'SA', market: null, slowMs: 1000, timeoutMs: 1500, now: new Date() };
const kinds = (drafts: { kind: string }[]) => drafts.map((d) => d.kind);

/** windows-1256 bytes of an Arabic text (Node has no encoder for it, so build one from its decoder). */
function windows1256(text: string): Buffer {
  const decoder = new TextDecoder('windows-1256');
  const table = new Map<string, number>();
  for (let b = 0x80; b <= 0xff; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from([...text].map((ch) => (ch.charCodeAt(0) < 0x80 ? ch.charCodeAt(0) : table.get(ch)!)));
}

describe('a polite visit', () => {
  it('reads the home page and its contact/about pages over plain HTTP, identifying itself, and reads robots.txt once', async () => {
    const site = await farmSite({
      '/': html(
        `<html><head><title>Clinic</title></head><body><a href="/contact-us">Contact</a> <a href="/about">About us</a>
         <a href="/prices">Prices</a> <a href="https://other.example.org/contact">elsewhere</a></body></html>`,
      ),
      '/contact-us': html('<body>Write to <a href="mailto:desk@clinic.sa">us</a> or call <a href="tel:+966112345678">us</a></body>'),
      '/about': html('<body>Since 2001</body>'),
    });
    const crawl = await crawlWith(`${site.origin}/`);
    expect(crawl.failure).toBeNull();
    expect(crawl.pages.map((p) => new URL(p.url).pathname)).toEqual(['/', '/contact-us', '/about']);
    expect(site.requests).toEqual(['/robots.txt', '/', '/contact-us', '/about']);
    expect(new Set(site.userAgents)).toEqual(new Set(['OpTargetBot/1.0 (+http://localhost:3000)']));
    const evidence = crawlEvidence(crawl, evidenceCtx);
    expect(evidence).toContainEqual({
      kind: 'NO_HTTPS',
      value: 'no redirect to https',
      params: {},
      sourceUrl: `${site.origin}/`,
      snippet: `GET ${site.origin}/: HTTP 200`,
      proofKind: 'measurement',
      fetchedAt: crawl.pages[0].fetchedAt,
    });
    expect(evidence).not.toContainEqual(expect.objectContaining({ kind: 'TLS_INVALID' }));
    expect(evidence).toContainEqual(
      expect.objectContaining({
        kind: 'EMAIL_FOUND',
        value: 'desk@clinic.sa',
        params: { variant: 'mailto', email: 'desk@clinic.sa' },
        sourceUrl: `${site.origin}/contact-us`,
        snippet: '<a href="mailto:desk@clinic.sa">',
        proofKind: 'attribute',
      }),
    );
    expect(evidence).toContainEqual(expect.objectContaining({ kind: 'PHONE_FOUND', value: '+966112345678' }));
  });

  it('sends one request at a time to a host, with the configured pause between them', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const starts: number[] = [];
    const slowPage = (body: string) => async (_req: unknown, res: import('node:http').ServerResponse) => {
      starts.push(Date.now());
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      res.writeHead(200, { 'content-type': 'text/html' }).end(body);
    };
    const links = ['contact', 'about', 'team', 'impressum'].map((p) => `<a href="/${p}">${p}</a>`).join('');
    const site = await farmSite({
      '/': slowPage(links),
      '/contact': slowPage('c'),
      '/about': slowPage('a'),
      '/team': slowPage('t'),
      '/impressum': slowPage('i'),
    });
    const crawl = await crawlWith(site.origin, { hostDelayMs: 150 });
    expect(crawl.pages).toHaveLength(5);
    expect(maxInFlight).toBe(1);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    // Each gap is the previous request's 30 ms plus the 150 ms pause.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(170);
  });

  it('follows Arabic contact links and decodes a windows-1256 page declared in a <meta>', async () => {
    const page = windows1256(
      '<html><head><meta charset="windows-1256"><title>عيادة الأسنان</title></head><body><a href="/ar/contact">اتصل بنا</a> <a href="/ar/who">من نحن</a></body></html>',
    );
    const site = await farmSite({
      '/': bytes(page, 'text/html'),
      '/ar/contact': bytes(windows1256('<html><body>البريد: info [at] asnan [dot] sa</body></html>'), 'text/html; charset=windows-1256'),
      '/ar/who': html('<html><body>نحن عيادة في الرياض</body></html>'),
    });
    const crawl = await crawlWith(site.origin);
    expect(crawl.pages.map((p) => p.charset)).toEqual(['windows-1256', 'windows-1256', 'utf-8']);
    expect(crawl.pages[0].html).toContain('<title>عيادة الأسنان</title>');
    expect(crawl.pages[2].html).toContain('نحن عيادة في الرياض');
    const evidence = crawlEvidence(crawl, evidenceCtx);
    expect(evidence).not.toContainEqual(expect.objectContaining({ kind: 'MISSING_TITLE' }));
    expect(evidence).toContainEqual(expect.objectContaining({ kind: 'EMAIL_FOUND', value: 'info@asnan.sa' }));
  });
});

describe('sites that misbehave', () => {
  it('a site that never answers in time is unreachable and slow, not a crash', async () => {
    const site = await farmSite({ '/': (_req, res) => void setTimeout(() => res.end('late'), 5000) });
    const crawl = await crawlWith(site.origin, { timeoutMs: 400 });
    expect(crawl.failure).toMatchObject({ kind: 'timeout' });
    const evidence = crawlEvidence(crawl, { ...evidenceCtx, timeoutMs: 400 });
    expect(kinds(evidence)).toEqual(['SLOW_RESPONSE', 'WEBSITE_UNREACHABLE']);
    expect(evidence[1]).toMatchObject({
      params: { variant: 'timeout', seconds: 0.4 },
      snippet: 'no complete answer within 400 ms',
      proofKind: 'error',
    });
  });

  it('a slow but complete answer is SLOW_RESPONSE with the time it took', async () => {
    const site = await farmSite({
      '/': (_req, res) => void setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end(goodPage()), 300),
    });
    const crawl = await crawlWith(site.origin);
    const evidence = crawlEvidence(crawl, { ...evidenceCtx, slowMs: 200 });
    expect(evidence.find((e) => e.kind === 'SLOW_RESPONSE')?.value).toMatch(/^\d+ ms$/);
  });

  it('reads at most 2 MB of a 5 MB page and calls it heavy', async () => {
    const filler = Buffer.alloc(5 * 1024 * 1024, 'a');
    const site = await farmSite({
      '/': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html><head><title>Huge</title></head><body>');
        for (let i = 0; i < 5; i++) res.write(filler.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
        res.end('</body></html>');
      },
    });
    const crawl = await crawlWith(site.origin);
    expect(crawl.pages[0]).toMatchObject({ truncated: true, bytes: MAX_PAGE_BYTES });
    expect(crawlEvidence(crawl, evidenceCtx)).toContainEqual(
      expect.objectContaining({ kind: 'HEAVY_PAGE', value: 'over 2 MB', params: { variant: 'truncated', mb: 2 } }),
    );
  });

  it('fetches nothing but robots.txt when robots.txt disallows everything', async () => {
    const site = await farmSite({ '/robots.txt': robots('User-agent: *\nDisallow: /\n'), '/': html(goodPage()) });
    const crawl = await crawlWith(site.origin);
    expect(site.requests).toEqual(['/robots.txt']);
    expect(crawl.robotsRefusal).toMatchObject({
      refusal: 'disallow',
      robotsUrl: `${site.origin}/robots.txt`,
      status: 200,
      rule: 'Disallow: /',
    });
    expect(crawlEvidence(crawl, evidenceCtx)).toEqual([
      {
        kind: 'WEBSITE_NOT_READ',
        value: 'disallow',
        params: { variant: 'robots-disallow' },
        sourceUrl: `${site.origin}/robots.txt`,
        snippet: 'Disallow: /',
        proofKind: 'robots',
        fetchedAt: crawl.robotsRefusal!.fetchedAt,
      },
    ]);
  });

  it('stays away when robots.txt answers 500, and keeps to its rules for our user agent', async () => {
    const broken = await farmSite({ '/robots.txt': robots('oops', 500), '/': html(goodPage()) });
    const crawl = await crawlWith(broken.origin);
    expect(broken.requests).toEqual(['/robots.txt']);
    expect(crawl.robotsRefusal).toMatchObject({ refusal: 'unavailable', status: 500, rule: null });
    expect(crawlEvidence(crawl, evidenceCtx)).toEqual([
      expect.objectContaining({ kind: 'WEBSITE_NOT_READ', params: { variant: 'robots-unavailable', status: 500 }, snippet: 'HTTP 500' }),
    ]);

    const partial = await farmSite({
      '/robots.txt': robots('User-agent: OpTargetBot\nDisallow: /contact\n'),
      '/': html('<a href="/contact">Contact</a><a href="/about">About</a>'),
      '/about': html('about'),
      '/contact': html('contact'),
    });
    await crawlWith(partial.origin);
    expect(partial.requests).toEqual(['/robots.txt', '/', '/about']);
  });

  it('detects redirect loops and stops after 5 redirects', async () => {
    const loop = await farmSite({ '/': redirect('/a'), '/a': redirect('/b'), '/b': redirect('/') });
    const looped = await crawlWith(loop.origin);
    expect(looped.failure).toMatchObject({ kind: 'redirect-loop' });
    expect(loop.pages()).toEqual(['/', '/a', '/b']);

    const chain = await farmSite({ '/robots.txt': robots('', 404) }, (req, res) => {
      const n = Number(req.url!.slice(1) || 0);
      res.writeHead(301, { location: `/${n + 1}` }).end();
    });
    const endless = await crawlWith(chain.origin);
    expect(endless.failure).toMatchObject({ kind: 'too-many-redirects' });
    expect(chain.pages()).toHaveLength(6);
    expect(crawlEvidence(endless, evidenceCtx)).toEqual([
      expect.objectContaining({
        kind: 'WEBSITE_UNREACHABLE',
        params: { variant: 'too-many-redirects', max: 5 },
        snippet: 'more than 5 redirects',
      }),
    ]);
  });

  it('skips binary content served as text/html', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 0)]);
    const home = await farmSite({ '/': bytes(png, 'text/html') });
    const crawl = await crawlWith(home.origin);
    expect(crawl.failure).toMatchObject({ kind: 'not-html', reason: expect.stringMatching(/binary content served as HTML/) });
    expect(crawl.pages).toEqual([]);

    const inner = await farmSite({
      '/': html(goodPage('<a href="/contact">Contact</a><a href="/about">About</a>')),
      '/contact': bytes(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), 'text/html'),
      '/about': bytes(Buffer.from('%PDF-1.4 about us'), 'application/pdf'),
    });
    const partial = await crawlWith(inner.origin);
    expect(partial.pages.map((p) => new URL(p.url).pathname)).toEqual(['/']);
    expect(partial.skipped.map((s) => s.reason)).toEqual(['binary content served as HTML', 'served as application/pdf']);
  });

  it('fetches at most 8 pages from a site whose links never end', async () => {
    const site = await farmSite({}, (req, res) => {
      const n = Number(req.url!.split('/').pop()) || 0;
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<a href="/contact/${n + 1}">contact</a> <a href="/contact/${n + 2}">more</a>`);
    });
    const crawl = await crawlWith(site.origin);
    expect(site.pages()).toHaveLength(8);
    expect(crawl.pages).toHaveLength(8);
  });
});

describe('HTTPS and certificates (real TLS on the farm)', () => {
  // Host names of these tests resolve to the farm without asking DNS.
  const farmResolver: Resolver = async (host) =>
    host === 'localhost' || host === 'clinic.test' ? [{ address: '127.0.0.1', family: 4 }] : systemResolver(host);
  const trustingTestCa = { resolver: farmResolver, extraCaCertificates: [testTls.ca] };
  /** Answers over HTTPS with `page`; over plain HTTP it redirects to the same path on `httpsHost`. */
  const httpsOnly =
    (page: string, httpsHost = 'localhost') =>
    (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, site: FarmSite) => {
      if ((req.socket as { encrypted?: boolean }).encrypted) return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      res.writeHead(301, { location: `https://${httpsHost}:${site.port}${req.url}` }).end();
    };

  it('a self-signed site is TLS_INVALID, and is read over plain HTTP on the same address instead', async () => {
    const site = await farmSite({ '/': html(goodPage()) }, undefined, { tls: testTls.selfSigned });
    // A lead's website without a scheme is tried over HTTPS first.
    const crawl = await crawlWith(`127.0.0.1:${site.port}`);
    expect(crawl.tlsFailure).toMatchObject({
      kind: 'tls',
      reason: 'invalid TLS certificate: it is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)',
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      url: `${site.httpsOrigin}/`,
    });
    expect(crawl.failure).toBeNull();
    expect(crawl.homeUrl).toBe(`${site.origin}/`);
    expect(site.refusedHandshakes).toBeGreaterThan(0);
    // The crawler sent nothing over the connection it did not trust.
    expect(site.urls).toEqual([`${site.origin}/robots.txt`, `${site.origin}/`]);

    const evidence = crawlEvidence(crawl, evidenceCtx);
    expect(evidence.slice(0, 2)).toEqual([
      {
        kind: 'TLS_INVALID',
        value: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        params: { variant: 'self-signed' },
        sourceUrl: `${site.httpsOrigin}/`,
        snippet: 'invalid TLS certificate: it is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)',
        proofKind: 'error',
        fetchedAt: crawl.tlsFailure!.at,
      },
      {
        kind: 'NO_HTTPS',
        value: 'no redirect to https',
        params: { variant: 'tls-fallback' },
        sourceUrl: `${site.origin}/`,
        snippet: `GET ${site.origin}/: HTTP 200`,
        proofKind: 'measurement',
        fetchedAt: crawl.pages[0].fetchedAt,
      },
    ]);
    expect(kinds(evidence)).not.toContain('WEBSITE_UNREACHABLE');
  });

  it('trusts the test CA only when it is passed in: without it the certificate is from an untrusted authority', async () => {
    const site = await farmSite({ '/': html(goodPage()) }, undefined, { tls: testTls.localhost });
    const untrusted = await crawlWith(`${site.httpsOrigin}/`);
    expect(untrusted.tlsFailure?.reason).toBe(
      'invalid TLS certificate: it is signed by an untrusted authority, or the site omits the intermediate certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
    );
    expect(untrusted.homeUrl).toBe(`${site.origin}/`);

    const trusted = await crawlWith(`${site.httpsOrigin}/`, trustingTestCa);
    expect(trusted).toMatchObject({ tlsFailure: null, failure: null, homeUrl: `${site.httpsOrigin}/` });
    const evidence = kinds(crawlEvidence(trusted, evidenceCtx));
    expect(evidence).not.toContain('TLS_INVALID');
    expect(evidence).not.toContain('NO_HTTPS');
    // The configuration never adds certificates: production trusts Node's roots only.
    expect(crawlerSettingsFrom(loadConfig({ CRAWLER_ALLOW_PRIVATE: 'true' })).extraCaCertificates).toBeUndefined();
  });

  it('an HTTP address that redirects to HTTPS with a valid certificate is not NO_HTTPS, and its pages are read over HTTPS', async () => {
    const site = await farmSite(
      {
        '/': httpsOnly(goodPage('<a href="/contact">Contact</a>')),
        '/contact': httpsOnly('<body>Write to <a href="mailto:desk@secure-clinic.sa">us</a></body>'),
      },
      undefined,
      { tls: testTls.localhost },
    );
    const crawl = await crawlWith(`${site.origin}/`, trustingTestCa);
    const secureOrigin = `https://localhost:${site.port}`;
    expect(crawl).toMatchObject({ failure: null, tlsFailure: null, homeRedirects: [`${site.origin}/`], homeUrl: `${secureOrigin}/` });
    expect(crawl.pages.map((p) => p.url)).toEqual([`${secureOrigin}/`, `${secureOrigin}/contact`]);
    expect(site.urls).toEqual([
      `${site.origin}/robots.txt`,
      `${site.origin}/`,
      `${site.httpsOrigin}/robots.txt`,
      `${site.httpsOrigin}/`,
      `${site.httpsOrigin}/contact`,
    ]);
    const evidence = crawlEvidence(crawl, evidenceCtx);
    expect(kinds(evidence)).not.toContain('NO_HTTPS');
    expect(kinds(evidence)).not.toContain('TLS_INVALID');
    expect(evidence).toContainEqual(
      expect.objectContaining({ kind: 'EMAIL_FOUND', value: 'desk@secure-clinic.sa', sourceUrl: `${secureOrigin}/contact` }),
    );
  });

  it('a certificate issued for another host name is TLS_INVALID, even from a trusted authority', async () => {
    const site = await farmSite({ '/': html(goodPage()) }, undefined, { tls: testTls.localhost });
    const crawl = await crawlWith(`https://clinic.test:${site.port}/`, trustingTestCa);
    expect(crawl.tlsFailure).toMatchObject({
      reason: 'invalid TLS certificate: it was issued for another host name (ERR_TLS_CERT_ALTNAME_INVALID)',
      url: `https://clinic.test:${site.port}/`,
    });
    expect(crawlEvidence(crawl, evidenceCtx)[0].params).toEqual({ variant: 'wrong-host' });
    expect(crawl.homeUrl).toBe(`http://clinic.test:${site.port}/`);
  });

  it('an HTTP address that redirects to a broken HTTPS address is TLS_INVALID and unreachable, not NO_HTTPS', async () => {
    const site = await farmSite({ '/': httpsOnly(goodPage()) }, undefined, { tls: testTls.selfSigned });
    const crawl = await crawlWith(`${site.origin}/`, { resolver: farmResolver });
    expect(site.urls).toEqual([`${site.origin}/robots.txt`, `${site.origin}/`]);
    const reason = 'invalid TLS certificate: it is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)';
    const proof = { sourceUrl: `https://localhost:${site.port}/`, snippet: reason, proofKind: 'error', fetchedAt: crawl.failure!.at };
    expect(crawlEvidence(crawl, evidenceCtx)).toEqual([
      { kind: 'TLS_INVALID', value: 'DEPTH_ZERO_SELF_SIGNED_CERT', params: { variant: 'self-signed' }, ...proof },
      { kind: 'WEBSITE_UNREACHABLE', value: 'tls', params: { variant: 'tls' }, ...proof },
    ]);
  });
});

describe('the SSRF guard (CRAWLER_ALLOW_PRIVATE unset)', () => {
  it('classifies addresses given as plain strings', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
      '224.0.0.1',
      '255.255.255.255',
    ])
      expect(refusedAddressReason(address), address).not.toBeNull();
    for (const address of [
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::10.0.0.1',
      '2002:c0a8:101::1',
    ])
      expect(refusedAddressReason(address), address).not.toBeNull();
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])
      expect(refusedAddressReason(address), address).toBeNull();
    expect(refusedAddressReason('169.254.169.254')).toBe('link-local');
    expect(refusedAddressReason('::ffff:127.0.0.1')).toBe('loopback');
  });

  it('is the production rule unless CRAWLER_ALLOW_PRIVATE=true', () => {
    expect(crawlerSettingsFrom(loadConfig({})).policy).toBe(publicAddressesOnly);
    expect(crawlerSettingsFrom(loadConfig({ CRAWLER_ALLOW_PRIVATE: 'true' })).policy).toBe(anyAddress);
  });

  it('refuses a loopback website, by address or by name, and the server receives nothing', async () => {
    const target = await farmSite({ '/': html(goodPage()) });
    for (const url of [`${target.origin}/`, `http://localhost:${target.port}/`, `http://[::ffff:127.0.0.1]:${target.port}/`]) {
      const crawl = await crawlWith(url, { policy: publicAddressesOnly });
      expect(crawl.failure, url).toMatchObject({ kind: 'address-not-allowed' });
      expect(crawlEvidence(crawl, evidenceCtx), url).toEqual([
        expect.objectContaining({
          kind: 'WEBSITE_UNREACHABLE',
          params: { variant: 'address-not-allowed' },
          snippet: expect.stringMatching(/^address not allowed \(.*loopback/),
        }),
      ]);
    }
    expect(target.requests).toEqual([]);
  });

  it('refuses a redirect to a loopback address, checking every hop', async () => {
    // One named test host is let through (its name resolves to the farm); every other host keeps the production rule.
    const resolver: Resolver = async (host) =>
      host === 'allowed.farm.test' ? [{ address: '127.0.0.1', family: 4 }] : systemResolver(host);
    const policy: AddressPolicy = (host, address) => (host === 'allowed.farm.test' ? null : refusedAddressReason(address));
    const target = await farmSite({ '/': html(goodPage()) });
    const entry = await farmSite({
      '/': redirect(`http://127.0.0.1:${target.port}/`),
      '/by-name': redirect(`http://localhost:${target.port}/`),
    });
    const allowedOrigin = `http://allowed.farm.test:${entry.port}`;
    for (const path of ['/', '/by-name']) {
      const crawl = await crawlWith(`${allowedOrigin}${path}`, { policy, resolver });
      expect(crawl.failure, path).toMatchObject({ kind: 'address-not-allowed', reason: expect.stringMatching(/loopback/) });
    }
    expect(entry.pages()).toEqual(['/', '/by-name']);
    expect(target.requests).toEqual([]);
  });
});

describe('why a site could not be opened', () => {
  it('a domain that does not resolve and a port where nothing listens are told apart', async () => {
    const notFound: Resolver = async (host) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
    };
    const dns = await crawlWith('https://riyadhsmile.example/', { resolver: notFound });
    expect(crawlEvidence(dns, evidenceCtx)).toEqual([
      expect.objectContaining({
        kind: 'WEBSITE_UNREACHABLE',
        params: { variant: 'dns', host: 'riyadhsmile.example' },
        snippet: 'ENOTFOUND getaddrinfo ENOTFOUND riyadhsmile.example',
        proofKind: 'error',
      }),
    ]);

    // A port that was just free: nothing listens there.
    const server = createNetServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const freePort = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await crawlWith(`http://127.0.0.1:${freePort}/`);
    expect(crawlEvidence(refused, evidenceCtx)).toEqual([
      expect.objectContaining({ kind: 'WEBSITE_UNREACHABLE', params: { variant: 'refused', host: '127.0.0.1' }, proofKind: 'error' }),
    ]);
  });
});
