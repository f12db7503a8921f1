import { describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import type { Role } from '@optarget/shared';
import { auditLogs, evidence, jobs, leads, memberships, usageCounters } from '../db/schema/index.js';
import { countUsage, currentPeriod } from '../plans/limits.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { enrich, farmSite, goodPage, html, insertLead, testTls, waitForJob, type LeadSeed } from './test-helpers.js';

// The farm listens on 127.0.0.1 only; this app's crawler may go there because of CRAWLER_ALLOW_PRIVATE.
const t = await startTestApp({ CRAWLER_ALLOW_PRIVATE: 'true', CRAWLER_HOST_DELAY_MS: '10', CRAWLER_TIMEOUT_MS: '2000' });
const db = t.database.db;

let dentistHome = `<html><head></head><body><h1>Smile Dental</h1><a href="/contact">Contact us</a></body></html>`;
const dentist = await farmSite({
  '/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(dentistHome),
  '/contact': html('<body>Email: hello [at] smile-dental [dot] sa — call <a href="tel:0112345678">011 234 5678</a></body>'),
});
const tidy = await farmSite({ '/': html(goodPage()) });
// Speaks HTTPS with a self-signed certificate and plain HTTP on the same port.
const selfSigned = await farmSite({ '/': html(goodPage()) }, undefined, { tls: testTls.selfSigned });

const addLead = (tenantId: string, seed: LeadSeed = {}) => insertLead(t, tenantId, seed);

async function addMember(owner: SignedUpUser, role: Role) {
  const person = await signUp(t, { name: role });
  await db.insert(memberships).values({ tenantId: owner.tenantId, userId: person.user.id, role });
  return person;
}

const evidenceOf = (who: SignedUpUser, leadId: string) => who.client.get(`/api/v1/tenants/${who.tenantId}/leads/${leadId}/evidence`);
const jobCount = async (tenantId: string) => (await db.select({ n: count() }).from(jobs).where(eq(jobs.tenantId, tenantId)))[0].n;

describe('enriching leads', () => {
  it('visits each website, records evidence, scores the leads and fills empty contact fields', async () => {
    const owner = await signUp(t);
    expect((await owner.client.patch(`/api/v1/tenants/${owner.tenantId}/settings/general`, { defaultCountry: 'SA' })).status).toBe(200);
    const site = await addLead(owner.tenantId, { name: 'Smile Dental', website: `${dentist.origin}/` });
    const none = await addLead(owner.tenantId, { name: 'No Site', rating: 3.2, reviewCount: 3 });
    const edited = await addLead(owner.tenantId, { name: 'Tidy', website: tidy.origin, editedFields: ['email'] });

    const res = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/enrichments`, { leadIds: [site.id, none.id, edited.id] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ type: 'ENRICH_LEADS', status: 'PENDING' });
    const job = await waitForJob(owner, res.body.id);
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      progress: { done: 3, total: 3 },
      result: { total: 3, enriched: 3, websitesVisited: 2 },
    });
    const logs = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/jobs/${job.id}/logs`);
    expect(logs.body.items.map((l: { message: string }) => l.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`Smile Dental: read 2 pages of ${dentist.origin}/;`),
        expect.stringContaining('Tidy:'),
      ]),
    );

    const found = await evidenceOf(owner, site.id);
    expect(found.status).toBe(200);
    const kinds = found.body.groups.map((g: { kind: string }) => g.kind);
    expect(kinds).toEqual([
      'NO_HTTPS',
      'NO_MOBILE_VIEWPORT',
      'MISSING_TITLE',
      'MISSING_META_DESCRIPTION',
      'EMAIL_FOUND',
      'PHONE_FOUND',
      'NO_WHATSAPP_LINK',
      'NO_SOCIAL_PROFILES',
      // The tenant's default country (SA) is the lead's market.
      'NO_ARABIC_VERSION',
    ]);
    const email = found.body.groups.find((g: { kind: string }) => g.kind === 'EMAIL_FOUND').items[0];
    expect(email).toMatchObject({
      value: 'hello@smile-dental.sa',
      params: { variant: 'disguised', email: 'hello@smile-dental.sa' },
      sourceUrl: `${dentist.origin}/contact`,
      snippet: 'Email: hello [at] smile-dental [dot] sa — call 011 234 5678',
      proofKind: 'text',
      weight: 5,
    });
    expect(Date.parse(email.fetchedAt)).toBeLessThanOrEqual(Date.parse(email.capturedAt));
    expect(found.body.breakdown.map((l: { weight: number }) => l.weight)).toEqual([15, 15, 10, 5, 5, 5, 5, 10, 10]);
    expect(found.body.breakdown[0].explanation).toMatch(/HTTPS/);
    expect(found.body.score).toBe(80);
    expect(found.body.basis).toEqual({ checkedAt: expect.any(String), website: 'read', pagesRead: 2 });
    const [siteRow] = await db.select().from(leads).where(eq(leads.id, site.id));
    expect(siteRow).toMatchObject({ score: 80, email: 'hello@smile-dental.sa', phone: '+966112345678' });

    const listing = await evidenceOf(owner, none.id);
    expect(listing.body.groups.map((g: { kind: string }) => g.kind)).toEqual(['WEBSITE_MISSING', 'LOW_RATING', 'FEW_REVIEWS']);
    expect(listing.body.score).toBe(55);

    const [editedRow] = await db.select().from(leads).where(eq(leads.id, edited.id));
    expect(editedRow.email).toBeNull();
    expect(await countUsage(db as never, owner.tenantId, 'enrichments')).toBe(3);
  });

  it('re-enrichment replaces the previous evidence instead of adding to it', async () => {
    const owner = await signUp(t);
    const lead = await addLead(owner.tenantId, { name: 'Smile Dental', website: dentist.origin });
    await enrich(owner, { leadIds: [lead.id] });
    const first = await evidenceOf(owner, lead.id);
    const rowsBefore = (await db.select({ n: count() }).from(evidence).where(eq(evidence.leadId, lead.id)))[0].n;

    await enrich(owner, { leadIds: [lead.id] });
    const rowsAgain = (await db.select({ n: count() }).from(evidence).where(eq(evidence.leadId, lead.id)))[0].n;
    expect(rowsAgain).toBe(rowsBefore);

    dentistHome = dentistHome.replace('<head></head>', '<head><title>Smile Dental</title></head>');
    try {
      await enrich(owner, { leadIds: [lead.id] });
    } finally {
      dentistHome = dentistHome.replace('<head><title>Smile Dental</title></head>', '<head></head>');
    }
    const after = await evidenceOf(owner, lead.id);
    expect(after.body.groups.map((g: { kind: string }) => g.kind)).not.toContain('MISSING_TITLE');
    expect(after.body.score).toBe(first.body.score - 10);
  });

  it('a website with a self-signed certificate shows an invalid certificate and no HTTPS, read over HTTP', async () => {
    const owner = await signUp(t);
    // As imported from a listing: no scheme, so HTTPS is tried first.
    const lead = await addLead(owner.tenantId, { name: 'Self Signed Clinic', website: `127.0.0.1:${selfSigned.port}` });
    expect(await enrich(owner, { leadIds: [lead.id] })).toMatchObject({
      status: 'SUCCEEDED',
      result: { websitesVisited: 1, unreachable: 0 },
    });
    const found = await evidenceOf(owner, lead.id);
    expect(found.body.groups.map((g: { kind: string }) => g.kind)).toEqual([
      'NO_HTTPS',
      'TLS_INVALID',
      'NO_WHATSAPP_LINK',
      'SOCIAL_PROFILE',
    ]);
    const item = (kind: string) => found.body.groups.find((g: { kind: string }) => g.kind === kind).items[0];
    expect(item('TLS_INVALID')).toMatchObject({
      value: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      params: { variant: 'self-signed' },
      sourceUrl: `${selfSigned.httpsOrigin}/`,
      snippet: 'invalid TLS certificate: it is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)',
      proofKind: 'error',
    });
    expect(item('NO_HTTPS')).toMatchObject({ sourceUrl: `${selfSigned.origin}/`, params: { variant: 'tls-fallback' } });
    expect(found.body.breakdown).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'NO_HTTPS', weight: 15 }),
        expect.objectContaining({ kind: 'TLS_INVALID', weight: 15, explanation: expect.stringMatching(/security warning/) }),
      ]),
    );
  });

  it('enriches a list and a filter', async () => {
    const owner = await signUp(t);
    const lead = await addLead(owner.tenantId, { name: 'Listed', city: 'Jeddah' });
    const list = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/lists`, { name: 'Targets' });
    expect(list.status).toBe(201);
    await owner.client.post(`/api/v1/tenants/${owner.tenantId}/lists/${list.body.id}/leads`, { leadIds: [lead.id] });
    expect(await enrich(owner, { listId: list.body.id })).toMatchObject({ status: 'SUCCEEDED', result: { total: 1 } });
    expect(await enrich(owner, { filter: { city: 'Jeddah' } })).toMatchObject({ status: 'SUCCEEDED', result: { total: 1 } });
    expect((await evidenceOf(owner, lead.id)).body.groups.map((g: { kind: string }) => g.kind)).toEqual(['WEBSITE_MISSING']);
  });
});

describe('starting an enrichment: refusals', () => {
  it('is refused with 402 before any job exists when the plan has no enrichments left', async () => {
    const owner = await signUp(t);
    const a = await addLead(owner.tenantId);
    const b = await addLead(owner.tenantId);
    const limit = (await owner.client.get(`/api/v1/tenants/${owner.tenantId}/usage`)).body.metrics.find(
      (m: { metric: string }) => m.metric === 'enrichments',
    ).limit;
    await db.insert(usageCounters).values({ tenantId: owner.tenantId, period: currentPeriod(), metric: 'enrichments', count: limit - 1 });
    const res = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/enrichments`, { leadIds: [a.id, b.id] });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'PLAN_LIMIT_EXCEEDED', metric: 'enrichments' });
    expect(await jobCount(owner.tenantId)).toBe(0);
    expect(await countUsage(db as never, owner.tenantId, 'enrichments')).toBe(limit - 1);
  });

  it('a VIEWER may read evidence but not start an enrichment (403)', async () => {
    const owner = await signUp(t);
    const viewer = await addMember(owner, 'VIEWER');
    const lead = await addLead(owner.tenantId);
    const res = await viewer.client.post(`/api/v1/tenants/${owner.tenantId}/enrichments`, { leadIds: [lead.id] });
    expect(res.status).toBe(403);
    expect(await jobCount(owner.tenantId)).toBe(0);
    expect((await viewer.client.get(`/api/v1/tenants/${owner.tenantId}/leads/${lead.id}/evidence`)).status).toBe(200);
  });

  it("another tenant's leads and lists are not found, and nothing is started", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const foreign = await addLead(a.tenantId);
    const own = await addLead(b.tenantId);
    for (const body of [{ leadIds: [foreign.id] }, { leadIds: [own.id, foreign.id] }]) {
      const res = await b.client.post(`/api/v1/tenants/${b.tenantId}/enrichments`, body);
      expect(res.status).toBe(404);
    }
    const list = await a.client.post(`/api/v1/tenants/${a.tenantId}/lists`, { name: 'Mine' });
    expect((await b.client.post(`/api/v1/tenants/${b.tenantId}/enrichments`, { listId: list.body.id })).status).toBe(404);
    expect((await evidenceOf(b, foreign.id)).status).toBe(404);
    expect(await jobCount(b.tenantId)).toBe(0);
    expect(await countUsage(db as never, b.tenantId, 'enrichments')).toBe(0);
  });

  it('asks for exactly one of leadIds, listId or filter, and at most 10,000 ids', async () => {
    const owner = await signUp(t);
    const lead = await addLead(owner.tenantId);
    for (const body of [{}, { leadIds: [lead.id], filter: {} }, { leadIds: 'all' }, { leadIds: Array(10_001).fill(lead.id) }]) {
      const res = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/enrichments`, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain('leadIds');
    }
    expect(await jobCount(owner.tenantId)).toBe(0);
  });
});

describe('scoring weights', () => {
  it('an admin overrides weights: every enriched lead is rescored, and the change is audited with before and after', async () => {
    const owner = await signUp(t);
    const admin = await addMember(owner, 'ADMIN');
    const lead = await addLead(owner.tenantId, { name: 'No Site', rating: 3.2, reviewCount: 3 });
    const untouched = await addLead(owner.tenantId, { name: 'Never enriched' });
    await enrich(owner, { leadIds: [lead.id] });
    expect((await evidenceOf(owner, lead.id)).body.score).toBe(55);

    const res = await admin.client.put(`/api/v1/tenants/${owner.tenantId}/settings/scoring`, {
      weights: { WEBSITE_MISSING: 60, FEW_REVIEWS: -5 },
    });
    expect(res.status).toBe(200);
    expect(res.body.overrides).toEqual({ WEBSITE_MISSING: 60, FEW_REVIEWS: -5 });
    expect(res.body.weights).toMatchObject({ WEBSITE_MISSING: 60, FEW_REVIEWS: -5, LOW_RATING: 10 });
    expect(res.body.defaults.WEBSITE_MISSING).toBe(35);

    const after = await evidenceOf(owner, lead.id);
    expect(after.body.score).toBe(65);
    expect(after.body.breakdown).toEqual([
      expect.objectContaining({ kind: 'WEBSITE_MISSING', weight: 60 }),
      expect.objectContaining({ kind: 'LOW_RATING', weight: 10 }),
      expect.objectContaining({ kind: 'FEW_REVIEWS', weight: -5 }),
    ]);
    expect(after.body.groups[0].items[0].weight).toBe(60);
    const [row] = await db.select({ score: leads.score }).from(leads).where(eq(leads.id, untouched.id));
    expect(row.score).toBe(0);
    const [entry] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'settings.scoring_changed')));
    expect(entry.metadata).toEqual({ before: {}, after: { WEBSITE_MISSING: 60, FEW_REVIEWS: -5 }, rescoredLeads: 1 });
    expect((await owner.client.get(`/api/v1/tenants/${owner.tenantId}/settings/scoring`)).body.overrides).toEqual({
      WEBSITE_MISSING: 60,
      FEW_REVIEWS: -5,
    });

    // Clearing the overrides brings the defaults back.
    await owner.client.put(`/api/v1/tenants/${owner.tenantId}/settings/scoring`, { weights: {} });
    expect((await evidenceOf(owner, lead.id)).body.score).toBe(55);
  });

  it('refuses weights out of range or of unknown kinds (400), and members may not change them (403)', async () => {
    const owner = await signUp(t);
    const member = await addMember(owner, 'MEMBER');
    const url = `/api/v1/tenants/${owner.tenantId}/settings/scoring`;
    const tooBig = await owner.client.put(url, { weights: { NO_HTTPS: 500 } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.fields.map((f: { field: string }) => f.field)).toContain('weights.NO_HTTPS');
    expect((await owner.client.put(url, { weights: { NOT_A_KIND: 5 } })).status).toBe(400);
    expect((await member.client.put(url, { weights: { NO_HTTPS: 1 } })).status).toBe(403);
    expect((await member.client.get(url)).body.overrides).toEqual({});
  });
});
