import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import type { JobType } from '@optarget/shared';
import { jobs, leads, lists, usageCounters } from '../db/schema/index.js';
import { farmSite, goodPage, html } from '../enrichment/test-helpers.js';
import { uploadCsv, waitForJob } from '../imports/test-helpers.js';
import { currentPeriod } from '../plans/limits.js';
import { FakeServices } from '../prospecting/fake-services.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { startJob, type JobStarter } from './start.js';

// Every way of starting each job type, fed exactly what the web app sends, and every reference a
// job's input can make, named from another tenant. The services a job reaches are local: fake
// OpenStreetMap services, and a website on 127.0.0.1 that the crawler may visit (CRAWLER_ALLOW_PRIVATE).
const fake = await FakeServices.start();
afterAll(() => fake.close());
const t = await startTestApp({ ...fake.env, CRAWLER_ALLOW_PRIVATE: 'true', CRAWLER_HOST_DELAY_MS: '10', CRAWLER_TIMEOUT_MS: '2000' });
const db = t.database.db;
const site = await farmSite({ '/': html(goodPage()) });

const api = (who: SignedUpUser, path: string) => `/api/v1/tenants/${who.tenantId}${path}`;
const jobsOf = (tenantId: string) => db.select().from(jobs).where(eq(jobs.tenantId, tenantId));
const usageOf = async (tenantId: string) =>
  (
    await db
      .select({ n: count() })
      .from(usageCounters)
      .where(and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.period, currentPeriod())))
  )[0].n;

async function started(who: SignedUpUser, path: string, body: unknown) {
  const res = await who.client.post(api(who, path), body);
  expect(res.status, `${path} ${res.text}`).toBe(202);
  return res.body as { id: string; type: JobType; input: Record<string, unknown> };
}

async function succeeded(who: SignedUpUser, jobId: string) {
  const job = await waitForJob(who.client, who.tenantId, jobId);
  expect(job.status, JSON.stringify(job)).toBe('SUCCEEDED');
  return job as { result: Record<string, unknown>; input: Record<string, unknown> };
}

async function addLeads(tenantId: string, n: number, seed: Partial<typeof leads.$inferInsert> = {}) {
  const rows = Array.from({ length: n }, (_, i) => ({ tenantId, name: `Lead ${i}`, ...seed }));
  return db.insert(leads).values(rows).returning({ id: leads.id });
}

describe('every way of starting a job accepts exactly what the web app sends', () => {
  it('PROSPECT_SEARCH: the search form, and the same input through POST …/jobs', async () => {
    const owner = await signUp(t);
    const [list] = await db.insert(lists).values({ tenantId: owner.tenantId, name: 'Dentists' }).returning();
    // ProspectingPage's body: numbers from the form, the chosen sources, the optional list.
    const form = { query: 'dentists', limit: 100, sources: ['osm'], location: `Riyadh ${randomUUID().slice(0, 8)}`, listId: list.id };
    const fromForm = await started(owner, '/searches', form);
    expect((await succeeded(owner, fromForm.id)).result).toMatchObject({ found: expect.any(Number) });
    const generic = await started(owner, '/jobs', { type: 'PROSPECT_SEARCH', input: form });
    expect(generic.input).toEqual(fromForm.input);
    await succeeded(owner, generic.id);
  });

  it('ENRICH_LEADS: "select all matching → Enrich" sends the table filter as query-string text, on both endpoints', async () => {
    const owner = await signUp(t);
    const withSite = await addLeads(owner.tenantId, 2, { website: site.origin });
    await addLeads(owner.tenantId, 1);
    // BulkBar sends the Leads table's filter params, all strings: { filter: toFilterParams(search) }.
    const filter = { hasWebsite: 'true', status: 'NEW', scoreMin: '0' };
    const job = await started(owner, '/enrichments', { filter });
    // Stored as the handler receives it: the text turned into a boolean, a list of statuses and a number.
    expect(job.input).toEqual({ filter: { hasWebsite: true, status: ['NEW'], scoreMin: 0 } });
    expect((await succeeded(owner, job.id)).result).toMatchObject({ total: withSite.length, enriched: withSite.length });
    const generic = await started(owner, '/jobs', { type: 'ENRICH_LEADS', input: { filter } });
    expect((await succeeded(owner, generic.id)).result).toMatchObject({ total: withSite.length });
  });

  it('ENRICH_LEADS: a list page enriches its list, a lead page its lead', async () => {
    const owner = await signUp(t);
    const [lead] = await addLeads(owner.tenantId, 1);
    const [list] = await db.insert(lists).values({ tenantId: owner.tenantId, name: 'Targets' }).returning();
    await owner.client.post(api(owner, `/lists/${list.id}/leads`), { leadIds: [lead.id] });
    for (const body of [{ listId: list.id }, { leadIds: [lead.id] }]) {
      expect((await succeeded(owner, (await started(owner, '/enrichments', body)).id)).result).toMatchObject({ total: 1 });
    }
  });

  it('IMPORT_LEADS: the import wizard, and the same input with the upload id through POST …/jobs', async () => {
    const owner = await signUp(t);
    const upload = await uploadCsv(t, owner.client, owner.tenantId, 'Name,City\nSmile Dental,Riyadh\n');
    expect(upload.status).toBe(201);
    // ImportPage's body: column number → field, what to do on a match.
    const wizard = { mapping: { '0': 'name', '1': 'city' }, onMatch: 'skip' };
    const job = await started(owner, `/imports/${upload.body.id}/start`, wizard);
    expect((await succeeded(owner, job.id)).result).toMatchObject({ rows: 1, created: 1 });
    const generic = await started(owner, '/jobs', { type: 'IMPORT_LEADS', input: { ...wizard, uploadId: upload.body.id } });
    // A name alone is never merged on: the same row is a second lead.
    expect((await succeeded(owner, generic.id)).result).toMatchObject({ rows: 1, created: 1 });
  });

  it('BULK_LEAD_ACTION: a bulk action over more than 10,000 matching leads, and the same body through POST …/jobs', async () => {
    const owner = await signUp(t);
    await addLeads(owner.tenantId, 10_001);
    // BulkBar's selection of everything matching the table's filter, as text.
    const body = { selection: { filter: { hasWebsite: 'false', status: 'NEW' } }, action: { type: 'addTag', tag: 'spring' } };
    const res = await owner.client.post(api(owner, '/leads/bulk'), body);
    expect(res.status, res.text).toBe(200);
    expect((await succeeded(owner, res.body.jobId)).result).toEqual({ affected: 10_001 });
    const generic = await started(owner, '/jobs', { type: 'BULK_LEAD_ACTION', input: body });
    expect((await succeeded(owner, generic.id)).result).toEqual({ affected: 10_001 });
    const [{ n }] = await db.select({ n: count() }).from(leads).where(eq(leads.tenantId, owner.tenantId));
    expect(n).toBe(10_001);
  }, 120_000);

  it('a rerun starts the ended job again with its stored input, checks included', async () => {
    const owner = await signUp(t);
    await addLeads(owner.tenantId, 1, { website: site.origin });
    const first = await started(owner, '/enrichments', { filter: { hasWebsite: 'true' } });
    await succeeded(owner, first.id);
    const rerun = await owner.client.post(api(owner, `/jobs/${first.id}/rerun`));
    expect(rerun.status, rerun.text).toBe(202);
    expect(rerun.body).toMatchObject({ type: 'ENRICH_LEADS', input: first.input, status: 'PENDING' });
    expect((await succeeded(owner, rerun.body.id)).result).toMatchObject({ total: 1 });
    // Its prepare step runs again: with the lead gone there is nothing to enrich.
    await db.delete(leads).where(eq(leads.tenantId, owner.tenantId));
    const emptyRerun = await owner.client.post(api(owner, `/jobs/${first.id}/rerun`));
    expect(emptyRerun.status).toBe(409);
    expect(emptyRerun.body.reason).toBe('nothingToEnrich');
  });
});

describe("every job type refuses another tenant's rows before the job exists, whichever way it is started", () => {
  it('answers 404, creates no job and counts no usage', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const [ownLead] = await addLeads(owner.tenantId, 1);
    const [theirLead] = await addLeads(stranger.tenantId, 1);
    const [theirList] = await db.insert(lists).values({ tenantId: stranger.tenantId, name: 'Theirs' }).returning();
    const theirUpload = await uploadCsv(t, stranger.client, stranger.tenantId, 'Name\nTheirs\n');
    const ownUpload = await uploadCsv(t, owner.client, owner.tenantId, 'Name\nMine\n');
    const search = { query: 'dentists', location: 'Riyadh', listId: theirList.id };
    const mapping = { '0': 'name' };
    const bulkToTheirList = { selection: { ids: [ownLead.id] }, action: { type: 'addToList', listId: theirList.id } };
    const bulkOverTheirList = { selection: { filter: { listId: theirList.id } }, action: { type: 'setStatus', status: 'LOST' } };
    const starts: { type: JobType; path: string; body: unknown; input: unknown }[] = [
      { type: 'PROSPECT_SEARCH', path: '/searches', body: search, input: search },
      { type: 'ENRICH_LEADS', path: '/enrichments', body: { listId: theirList.id }, input: { listId: theirList.id } },
      { type: 'ENRICH_LEADS', path: '/enrichments', body: { leadIds: [ownLead.id, theirLead.id] }, input: { leadIds: [theirLead.id] } },
      {
        type: 'ENRICH_LEADS',
        path: '/enrichments',
        body: { filter: { listId: theirList.id } },
        input: { filter: { listId: theirList.id } },
      },
      {
        type: 'IMPORT_LEADS',
        path: `/imports/${theirUpload.body.id}/start`,
        body: { mapping },
        input: { mapping, uploadId: theirUpload.body.id },
      },
      {
        type: 'IMPORT_LEADS',
        path: `/imports/${ownUpload.body.id}/start`,
        body: { mapping, listId: theirList.id },
        input: { mapping, uploadId: ownUpload.body.id, listId: theirList.id },
      },
      { type: 'BULK_LEAD_ACTION', path: '/leads/bulk', body: bulkToTheirList, input: bulkToTheirList },
      { type: 'BULK_LEAD_ACTION', path: '/leads/bulk', body: bulkOverTheirList, input: bulkOverTheirList },
    ];
    for (const start of starts) {
      for (const [path, body] of [
        [start.path, start.body],
        ['/jobs', { type: start.type, input: start.input }],
      ] as const) {
        const res = await owner.client.post(api(owner, path), body);
        expect(res.status, `${start.type} via ${path}: ${res.text}`).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
    }
    expect(await jobsOf(owner.tenantId)).toEqual([]);
    expect(await usageOf(owner.tenantId)).toBe(0);
    const [unchanged] = await db.select({ status: leads.status }).from(leads).where(eq(leads.id, ownLead.id));
    expect(unchanged.status).toBe('NEW');
  });

  it("a rerun of another tenant's job is not found either", async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const [lead] = await addLeads(stranger.tenantId, 1);
    const theirs = await started(stranger, '/enrichments', { leadIds: [lead.id] });
    await succeeded(stranger, theirs.id);
    expect((await owner.client.post(api(owner, `/jobs/${theirs.id}/rerun`))).status).toBe(404);
    expect(await jobsOf(owner.tenantId)).toEqual([]);
  });
});

// Checked by the type check (`npm test` runs it before the tests): the type names its input.
export function _startsAreTypeChecked(by: JobStarter) {
  // @ts-expect-error an enrichment takes leadIds, listId or filter, not a search's query
  void startJob(by, 'ENRICH_LEADS', { query: 'dentists' });
  // @ts-expect-error a bulk action's selection, validated: the filter's flags are booleans, not text
  void startJob(by, 'BULK_LEAD_ACTION', { selection: { filter: { hasWebsite: 'true' } }, action: { type: 'delete' } });
  // @ts-expect-error there is no such job type
  void startJob(by, 'MINE_BITCOIN', {});
  void startJob(by, 'ENRICH_LEADS', { leadIds: [randomUUID()] });
}
