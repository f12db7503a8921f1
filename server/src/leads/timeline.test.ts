import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { leads, reports, whatsappMessages } from '../db/schema/index.js';
import { enrich, farmSite, goodPage, html } from '../enrichment/test-helpers.js';
import { uploadCsv, waitForJob } from '../imports/test-helpers.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { leadsUrl } from './test-helpers.js';

// The farm listens on 127.0.0.1 only; this app's crawler may go there because of CRAWLER_ALLOW_PRIVATE.
const t = await startTestApp({ CRAWLER_ALLOW_PRIVATE: 'true', CRAWLER_HOST_DELAY_MS: '10', CRAWLER_TIMEOUT_MS: '2000' });
const db = t.database.db;
const site = await farmSite({ '/': html(goodPage()) });
const broken = await farmSite({ '/': (_req, res) => void res.writeHead(500, { 'content-type': 'text/html' }).end('down') });

type Item = { id: string; action: string; actorName: string | null; metadata: Record<string, unknown>; createdAt: string };

/** Imports one row (a business with a phone and a website) and returns its lead, with the import's job id. */
async function importLead(owner: SignedUpUser, name: string, website = `${site.origin}/`) {
  const csv = `name,phone,website\n${name},+966500000009,${website}\n`;
  const up = await uploadCsv(t, owner.client, owner.tenantId, csv, 'clinics.csv');
  expect(up.status).toBe(201);
  const started = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/imports/${(up.body as { id: string }).id}/start`, {
    mapping: { '0': 'name', '1': 'phone', '2': 'website' },
  });
  expect(started.status, started.text).toBe(202);
  const job = await waitForJob(owner.client, owner.tenantId, started.body.id);
  expect(job.status).toBe('SUCCEEDED');
  const [lead] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.tenantId, owner.tenantId), eq(leads.name, name)));
  return { lead, importJobId: started.body.id as string };
}

/** Every page of the timeline, `limit` at a time. */
async function readAll(owner: SignedUpUser, leadId: string, limit: number) {
  const items: Item[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: { status: number; text: string; body: { items: Item[]; nextCursor: string | null } } = await owner.client.get(
      leadsUrl(owner.tenantId, `/${leadId}/activity`, { limit, ...(cursor ? { cursor } : {}) }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 20);
  return { items, pages };
}

describe('the lead timeline', () => {
  it('tells the import, the enrichment run, the edits, the messages and the reports in time order, page by page', async () => {
    const owner = await signUp(t, { name: 'Nora Owner' });
    const { lead, importJobId } = await importLead(owner, 'Good Dental');
    const run = await enrich(owner, { leadIds: [lead.id] });
    expect(run.status).toBe('SUCCEEDED');
    const edit = await owner.client.patch(leadsUrl(owner.tenantId, `/${lead.id}`), { status: 'CONTACTED' });
    expect(edit.status).toBe(200);
    // A message sent by a campaign, refused by WhatsApp, then the business's reply, then a report.
    await db.insert(whatsappMessages).values({
      tenantId: owner.tenantId,
      leadId: lead.id,
      direction: 'OUT',
      phone: '+966500000001',
      type: 'template',
      templateName: 'spring_offer',
      status: 'FAILED',
      errorCode: 131026,
      errorTitle: 'Message undeliverable',
      sentByUserId: owner.user.id,
    });
    await db.insert(whatsappMessages).values({
      tenantId: owner.tenantId,
      leadId: lead.id,
      direction: 'IN',
      phone: '+966500000001',
      type: 'text',
      text: 'مرحبا، نعم',
      status: 'RECEIVED',
    });
    await db.insert(reports).values({
      tenantId: owner.tenantId,
      leadId: lead.id,
      status: 'SUCCEEDED',
      language: 'ar',
      pageCount: 3,
      createdByUserId: owner.user.id,
      generatedAt: new Date(),
    });

    const { items, pages } = await readAll(owner, lead.id, 2);
    expect(pages).toBeGreaterThan(2);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(items.map((i) => i.action)).toEqual([
      'report.made',
      'whatsapp.message_received',
      'whatsapp.message',
      'lead.updated',
      'enrichment.visited',
      'import.created_lead',
    ]);
    const sorted = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    expect(items.map((i) => i.createdAt)).toEqual(sorted.map((i) => i.createdAt));

    const byAction = Object.fromEntries(items.map((i) => [i.action, i]));
    expect(byAction['import.created_lead']).toMatchObject({
      actorName: 'Nora Owner',
      metadata: { jobId: importJobId, fileName: 'clinics.csv' },
    });
    expect(byAction['enrichment.visited']).toMatchObject({
      actorName: 'Nora Owner',
      metadata: { jobId: run.id, outcome: 'read', pagesRead: 1, website: site.origin },
    });
    expect(byAction['enrichment.visited'].metadata.findings).toBeGreaterThanOrEqual(0);
    expect(byAction['whatsapp.message']).toMatchObject({
      actorName: 'Nora Owner',
      metadata: { status: 'FAILED', template: 'spring_offer', error: 'Message undeliverable' },
    });
    expect(byAction['whatsapp.message_received']).toMatchObject({ actorName: null, metadata: { status: 'RECEIVED', text: 'مرحبا، نعم' } });
    expect(byAction['report.made']).toMatchObject({ metadata: { language: 'ar', pages: 3 } });
    expect(byAction['lead.updated']).toMatchObject({ metadata: { after: { status: 'CONTACTED' } } });

    // One page of all of it reads the same entries.
    const whole = await owner.client.get(leadsUrl(owner.tenantId, `/${lead.id}/activity`, { limit: 50 }));
    expect(whole.body).toMatchObject({ nextCursor: null });
    expect(whole.body.items.map((i: Item) => i.id)).toEqual(items.map((i) => i.id));
  });

  it('says when a run could not reach the site, and a second import finds the lead again', async () => {
    const owner = await signUp(t);
    const { lead } = await importLead(owner, 'Gone Dental', broken.origin);
    await enrich(owner, { leadIds: [lead.id] });
    const again = await importLead(owner, 'Gone Dental', broken.origin);
    expect(again.lead.id).toBe(lead.id);
    const { items } = await readAll(owner, lead.id, 50);
    const visit = items.find((i) => i.action === 'enrichment.visited');
    expect(visit?.metadata).toMatchObject({ outcome: 'unreachable', pagesRead: 0, website: broken.origin });
    // The lead's csv source now points at the second import: the timeline says it was found again.
    expect(items.find((i) => i.action === 'import.found_lead')?.metadata).toMatchObject({
      jobId: again.importJobId,
      fileName: 'clinics.csv',
    });
  });

  it("refuses a damaged cursor and another organization's lead", async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const { lead } = await importLead(owner, 'Private Dental');
    const bad = await owner.client.get(leadsUrl(owner.tenantId, `/${lead.id}/activity`, { cursor: 'not-a-cursor' }));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect((await other.client.get(leadsUrl(other.tenantId, `/${lead.id}/activity`))).status).toBe(404);
  });
});
