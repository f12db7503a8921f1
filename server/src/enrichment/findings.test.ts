import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderFinding, type EvidenceItem, type LeadEvidence } from '@optarget/shared';
import { evidence } from '../db/schema/index.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { enrich, farmSite, html, insertLead, robots } from './test-helpers.js';

// A farm of local websites, one per case a salesperson must be able to put their name to. The
// crawler may visit 127.0.0.1 because of CRAWLER_ALLOW_PRIVATE.
// A long timeout keeps a busy test machine from turning a local page into SLOW_RESPONSE (3 s).
const t = await startTestApp({ CRAWLER_ALLOW_PRIVATE: 'true', CRAWLER_HOST_DELAY_MS: '10', CRAWLER_TIMEOUT_MS: '20000' });
const year = new Date().getUTCFullYear();

/** A tidy page (title, description, viewport, current copyright) with `body` in it. */
const page = (body: string, head = '') => `<!doctype html><html lang="en"><head><title>Clinic</title>
<meta name="description" content="A clinic"><meta name="viewport" content="width=device-width, initial-scale=1">${head}</head>
<body>${body}<footer>© ${year} Clinic</footer></body></html>`;

const farm = {
  // "Dental Care" and the address are neighbouring elements: their text must not run together.
  adjacent: await farmSite({
    '/': html(page('<div class="brand">Dental Care</div><div class="mail">info@pearl-dental.example</div>')),
  }),
  cloudflare: await farmSite({
    '/': html(
      page(
        `<p>Write to <a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="${cloudflareHex('desk@noor-clinic.sa', 0x5a)}">[email&#160;protected]</a></p>`,
      ),
    ),
  }),
  outdated: await farmSite({
    '/': html(page('<p>Welcome</p>', '<meta name="generator" content="WordPress 4.9.8"><script src="/js/jquery-1.4.2.min.js"></script>'), {
      'x-powered-by': 'PHP/7.4.33',
      server: 'Apache/2.2.15 (CentOS)',
    }),
  }),
  closed: await farmSite({ '/robots.txt': robots('User-agent: *\nDisallow: /\n'), '/': html(page('<p>Hidden</p>')) }),
  whatsapp: await farmSite({ '/': html(page('<a href="https://wa.me/966501234567?text=Hello">Chat with us</a>')) }),
  arabic: await farmSite({ '/': html(page('<p>Welcome</p>', '<link rel="alternate" hreflang="ar" href="/ar/">')) }),
  englishOnly: await farmSite({ '/': html(page('<p>Welcome</p>')) }),
  social: await farmSite({
    '/': html(
      page(`<a href="https://www.instagram.com/noorclinic/">Instagram</a> <a href="https://www.snapchat.com/add/noorclinic">Snapchat</a>
        <a href="https://www.tiktok.com/@noorclinic">TikTok</a> <a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a>
        <a href="https://maps.app.goo.gl/NoorClinic1">Find us on the map</a>`),
    ),
  }),
};

/** Cloudflare's encoding of an address: a key byte, then every byte of the address XOR the key. */
function cloudflareHex(email: string, key: number) {
  return [key, ...Buffer.from(email).map((b) => b ^ key)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const evidenceOf = async (who: SignedUpUser, leadId: string): Promise<LeadEvidence> => {
  const res = await who.client.get(`/api/v1/tenants/${who.tenantId}/leads/${leadId}/evidence`);
  expect(res.status).toBe(200);
  return res.body;
};
const items = (found: LeadEvidence) => found.groups.flatMap((g) => g.items);
/**
 * A page of the farm answers at once, but on a loaded test machine its time to the first byte can
 * pass the 3 s of SLOW_RESPONSE (tested on its own in crawler.test.ts); that finding is left out here.
 */
const bySpeed = (item: { kind: string }) => item.kind !== 'SLOW_RESPONSE';
/** [kind, params] of every finding, in the page's order of kinds (values sorted within a kind). */
const findings = (found: LeadEvidence) =>
  found.groups.flatMap((g) =>
    g.items
      .filter(bySpeed)
      .map((i) => [i.kind, i.params] as const)
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
/** The score without the weight of SLOW_RESPONSE (see bySpeed). */
const scoreOf = (found: LeadEvidence) => found.score - found.breakdown.filter((l) => !bySpeed(l)).reduce((sum, l) => sum + l.weight, 0);
const only = (found: LeadEvidence, kind: string): EvidenceItem => {
  const [item, ...more] = items(found).filter((i) => i.kind === kind);
  expect(more).toEqual([]);
  return item;
};

// One enrichment over a lead per farm site, as a user would start it.
const owner = await signUp(t);
const lead = (name: string, seed: Parameters<typeof insertLead>[2]) => insertLead(t, owner.tenantId, { name, ...seed });
const leadsOf = {
  adjacent: await lead('Pearl Dental', { website: `${farm.adjacent.origin}/` }),
  cloudflare: await lead('Noor Clinic', { website: `${farm.cloudflare.origin}/` }),
  outdated: await lead('Old Stack Clinic', { website: `${farm.outdated.origin}/` }),
  closed: await lead('Closed Clinic', { website: `${farm.closed.origin}/`, rating: 3.5, reviewCount: 4, phone: '+966501234567' }),
  whatsapp: await lead('Chat Clinic', { website: `${farm.whatsapp.origin}/` }),
  arabic: await lead('Bilingual Clinic', { website: `${farm.arabic.origin}/`, country: 'SA' }),
  englishOnly: await lead('English Clinic', { website: `${farm.englishOnly.origin}/`, country: 'SA' }),
  social: await lead('Social Clinic', { website: `${farm.social.origin}/` }),
  google: await lead('Listed Only', {
    source: 'google',
    sourceId: 'ChIJ-listed-only',
    phone: '+966112345678',
    rating: 4.7,
    reviewCount: 120,
  }),
};
const job = await enrich(owner, { leadIds: Object.values(leadsOf).map((l) => l.id) });
/** What every finding read from a website carries. */
const site = { sourceUrl: expect.any(String), fetchedAt: expect.any(String), snippet: expect.any(String) };

describe('the test farm: exact evidence and score for each case', () => {
  it('ran over every lead', () => {
    expect(job).toMatchObject({ status: 'SUCCEEDED', result: { total: 9, enriched: 9, websitesVisited: 8, failed: 0 } });
  });

  it('text of neighbouring elements is not glued into an invented address', async () => {
    const found = await evidenceOf(owner, leadsOf.adjacent.id);
    expect(findings(found)).toEqual([
      ['NO_HTTPS', {}],
      ['EMAIL_FOUND', { email: 'info@pearl-dental.example' }],
      ['NO_WHATSAPP_LINK', { pages: 1 }],
      ['NO_SOCIAL_PROFILES', { pages: 1 }],
    ]);
    expect(only(found, 'EMAIL_FOUND')).toMatchObject({
      sourceUrl: `${farm.adjacent.origin}/`,
      snippet: `Dental Care info@pearl-dental.example © ${year} Clinic`,
      proofKind: 'text',
    });
    expect(scoreOf(found)).toBe(15 + 5 + 5 + 10);
    for (const item of items(found)) expect(item).toMatchObject(site);
  });

  it('an address hidden by Cloudflare is decoded, the attribute kept as proof', async () => {
    const found = await evidenceOf(owner, leadsOf.cloudflare.id);
    expect(only(found, 'EMAIL_FOUND')).toMatchObject({
      value: 'desk@noor-clinic.sa',
      params: { variant: 'cloudflare', email: 'desk@noor-clinic.sa' },
      snippet: `<a data-cfemail="${cloudflareHex('desk@noor-clinic.sa', 0x5a)}">`,
      proofKind: 'attribute',
    });
    expect(scoreOf(found)).toBe(15 + 5 + 5 + 10);
  });

  it('versioned script names, the generator and X-Powered-By / Server headers: outdated versions are marked with their date', async () => {
    const found = await evidenceOf(owner, leadsOf.outdated.id);
    expect(findings(found)).toEqual([
      ['NO_HTTPS', {}],
      ['NO_WHATSAPP_LINK', { pages: 1 }],
      ['NO_SOCIAL_PROFILES', { pages: 1 }],
      ['TECHNOLOGY', { variant: 'versioned', product: 'WordPress', version: '4.9.8' }],
      ['OUTDATED_TECHNOLOGY', { product: 'Apache', version: '2.2.15', eolSince: '2017-07-11', eolSource: 'https://endoflife.date/apache' }],
      ['OUTDATED_TECHNOLOGY', { product: 'PHP', version: '7.4.33', eolSince: '2022-11-28', eolSource: 'https://www.php.net/eol.php' }],
      ['OUTDATED_TECHNOLOGY', { product: 'jQuery', version: '1.4.2', eolSince: '2016-06-09', eolSource: 'https://endoflife.date/jquery' }],
    ]);
    const byProduct = (product: string) => items(found).find((i) => i.params.product === product)!;
    expect(byProduct('PHP')).toMatchObject({ snippet: 'x-powered-by: PHP/7.4.33', proofKind: 'header' });
    expect(byProduct('Apache')).toMatchObject({ snippet: 'server: Apache/2.2.15 (CentOS)', proofKind: 'header' });
    expect(byProduct('jQuery')).toMatchObject({ snippet: '<script src="/js/jquery-1.4.2.min.js">', proofKind: 'attribute' });
    expect(renderFinding('en', 'OUTDATED_TECHNOLOGY', byProduct('jQuery').params)).toBe(
      'The site uses jQuery 1.4.2, a version its makers stopped supporting on 2016-06-09.',
    );
    expect(scoreOf(found)).toBe(15 + 5 + 10 + 15);
  });

  it('a site robots.txt closes: only robots.txt is fetched, the refusal is recorded, and the listing is scored', async () => {
    expect(farm.closed.requests).toEqual(['/robots.txt']);
    const found = await evidenceOf(owner, leadsOf.closed.id);
    expect(findings(found)).toEqual([
      ['WEBSITE_NOT_READ', { variant: 'robots-disallow' }],
      ['LISTED_PHONE_TYPE', { variant: 'mobile', phone: '+966501234567' }],
      ['LOW_RATING', { rating: '3.5' }],
      ['FEW_REVIEWS', { reviews: 4 }],
    ]);
    expect(only(found, 'WEBSITE_NOT_READ')).toMatchObject({
      sourceUrl: `${farm.closed.origin}/robots.txt`,
      snippet: 'Disallow: /',
      proofKind: 'robots',
      fetchedAt: expect.any(String),
    });
    expect(scoreOf(found)).toBe(20);
    expect(found.basis).toMatchObject({ website: 'not-read', pagesRead: 0 });
  });

  it('a WhatsApp chat link is recorded with its number', async () => {
    const found = await evidenceOf(owner, leadsOf.whatsapp.id);
    expect(only(found, 'WHATSAPP_LINK')).toMatchObject({
      value: '+966501234567',
      params: { phone: '+966501234567' },
      snippet: '<a href="https://wa.me/966501234567?text=Hello">',
      proofKind: 'attribute',
    });
    expect(scoreOf(found)).toBe(15 + 10);
  });

  it('an Arabic alternate counts as an Arabic version; an English-only site in Saudi Arabia lacks one', async () => {
    const bilingual = await evidenceOf(owner, leadsOf.arabic.id);
    expect(only(bilingual, 'ARABIC_VERSION')).toMatchObject({
      params: { variant: 'hreflang', url: `${farm.arabic.origin}/ar/` },
      snippet: '<link hreflang="ar" href="/ar/">',
    });
    expect(scoreOf(bilingual)).toBe(15 + 5 + 10);
    const english = await evidenceOf(owner, leadsOf.englishOnly.id);
    expect(only(english, 'NO_ARABIC_VERSION')).toMatchObject({
      params: { pages: 1, country: 'SA', countryFrom: 'lead' },
      proofKind: 'absence',
    });
    expect(scoreOf(english)).toBe(15 + 5 + 10 + 10);
  });

  it('Instagram, Snapchat and TikTok profiles and a Google Maps link are found; share buttons are not profiles', async () => {
    const found = await evidenceOf(owner, leadsOf.social.id);
    expect(findings(found)).toEqual([
      ['NO_HTTPS', {}],
      ['NO_WHATSAPP_LINK', { pages: 1 }],
      ['SOCIAL_PROFILE', { variant: 'instagram', url: 'https://www.instagram.com/noorclinic' }],
      ['SOCIAL_PROFILE', { variant: 'snapchat', url: 'https://www.snapchat.com/add/noorclinic' }],
      ['SOCIAL_PROFILE', { variant: 'tiktok', url: 'https://www.tiktok.com/@noorclinic' }],
      ['MAPS_LISTING', { variant: 'website', url: 'https://maps.app.goo.gl/NoorClinic1' }],
    ]);
    expect(scoreOf(found)).toBe(15 + 5);
  });

  it('a Google listing without a website: its Maps listing and the line type of its phone', async () => {
    const found = await evidenceOf(owner, leadsOf.google.id);
    expect(findings(found)).toEqual([
      ['WEBSITE_MISSING', {}],
      ['LISTED_PHONE_TYPE', { variant: 'fixed-line', phone: '+966112345678' }],
      ['MAPS_LISTING', { url: 'https://www.google.com/maps/search/?api=1&query=Listed%20Only&query_place_id=ChIJ-listed-only' }],
    ]);
    for (const item of items(found)) expect(item).toMatchObject({ proofKind: 'listing', fetchedAt: null });
    expect(scoreOf(found)).toBe(35);
    expect(found.basis).toMatchObject({ website: 'none', pagesRead: 0 });
  });
});

describe('evidence recorded before findings had parameters', () => {
  it('is given the parameters of its sentence by the migration, and reads as a sentence', async () => {
    const owner = await signUp(t);
    const lead = await insertLead(t, owner.tenantId, { name: 'Old Evidence' });
    const old = (kind: string, value: string | null, snippet: string | null) => ({
      tenantId: owner.tenantId,
      leadId: lead.id,
      kind,
      value,
      snippet,
      sourceUrl: 'http://old.example/',
    });
    await t.database.db
      .insert(evidence)
      .values([
        old('EMAIL_FOUND', 'desk@old.example', 'Mail desk@old.example'),
        old('SLOW_RESPONSE', '4200 ms', 'The home page took 4200 ms to answer.'),
        old('HEAVY_PAGE', 'over 2 MB', 'The page weighs over 2 MB of HTML alone.'),
        old('NO_SOCIAL_PROFILES', null, 'No social profile linked from 3 page(s) read.'),
        old('WEBSITE_UNREACHABLE', 'ENOTFOUND getaddrinfo ENOTFOUND old.example', 'ENOTFOUND getaddrinfo ENOTFOUND old.example'),
        old('TLS_INVALID', 'invalid TLS certificate (CERT_HAS_EXPIRED)', null),
      ]);
    const migration = readdirSync(new URL('../../migrations/', import.meta.url)).find((f) => f.endsWith('_evidence_proof.sql'))!;
    const sql = readFileSync(new URL(`../../migrations/${migration}`, import.meta.url), 'utf8');
    await t.database.executeSql(sql.slice(sql.lastIndexOf('UPDATE "evidence"')));

    const found = await evidenceOf(owner, lead.id);
    const sentences = Object.fromEntries(
      items(found).map((i) => [i.kind, [renderFinding('en', i.kind, i.params), i.proofKind, i.snippet]]),
    );
    expect(sentences).toEqual({
      WEBSITE_UNREACHABLE: ['The website could not be opened.', 'error', 'ENOTFOUND getaddrinfo ENOTFOUND old.example'],
      TLS_INVALID: ["The site's security certificate is invalid.", 'error', 'invalid TLS certificate (CERT_HAS_EXPIRED)'],
      SLOW_RESPONSE: ['The home page took 4.2 seconds to start answering.', null, 'The home page took 4200 ms to answer.'],
      HEAVY_PAGE: ['A page weighs more than 2 MB of HTML alone, before any image.', null, 'The page weighs over 2 MB of HTML alone.'],
      EMAIL_FOUND: ['Email address on the site: desk@old.example', 'text', 'Mail desk@old.example'],
      NO_SOCIAL_PROFILES: ['No social profile is linked from the 3 pages read.', null, 'No social profile linked from 3 page(s) read.'],
    });
    expect(found.basis).toBeNull();
  });
});
