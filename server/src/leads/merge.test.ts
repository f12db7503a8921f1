import { describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import {
  auditLogs,
  evidence,
  jobLeads,
  jobs,
  leadDuplicates,
  leadLists,
  leadMerges,
  leadSources,
  leads,
  reports,
  whatsappConversations,
  whatsappMessages,
} from '../db/schema/index.js';
import { inTenantTransaction } from '../db/transactions.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { insertList, joinAs, leadsUrl } from './test-helpers.js';
import { upsertLeads, type LeadDraft } from './upsert.js';

const t = await startTestApp({}, { worker: false });
const db = t.database.db;
const upsert = (tenantId: string, drafts: LeadDraft[]) =>
  inTenantTransaction(db, tenantId, (tx) =>
    upsertLeads(tx, tenantId, drafts, { onMatch: 'update', actorUserId: null, defaultCountry: 'SA' }),
  );

/** Two leads of one business, each with rows in every table that names a lead, and a third lead flagged against the second. */
async function twoLeadsWithHistory(owner: SignedUpUser) {
  const tenantId = owner.tenantId;
  const [keep, merged, third] = (
    await upsert(tenantId, [
      { name: 'Smile Dental', source: 'osm', sourceId: 'node/1', lat: 24.7136, lon: 46.6753, tags: ['osm'], notes: 'Called once.' },
      {
        name: 'Smile Dental Clinic',
        source: 'google',
        sourceId: 'ChIJ-1',
        lat: 24.7137,
        lon: 46.6754,
        phone: '0112345678',
        website: 'smile.example',
        tags: ['google'],
        notes: 'Asked for a quote.',
        rating: 4.6,
        reviewCount: 80,
      },
      { name: 'Smile Dental Centre', source: 'csv', lat: 24.7138, lon: 46.6755 },
    ])
  ).map((o) => o.leadId!);
  await upsert(tenantId, [{ name: 'Smile', source: 'csv', website: 'smile.example', email: 'hi@smile.example' }]);
  const shared = await insertList(t, tenantId, 'Both');
  const onlyMerged = await insertList(t, tenantId, 'Merged only');
  await db.insert(leadLists).values([
    { tenantId, listId: shared.id, leadId: keep },
    { tenantId, listId: shared.id, leadId: merged },
    { tenantId, listId: onlyMerged.id, leadId: merged },
  ]);
  const [job] = await db.insert(jobs).values({ tenantId, type: 'PROSPECT_SEARCH' }).returning();
  await db.insert(jobLeads).values({ tenantId, jobId: job.id, leadId: merged, outcome: 'new' });
  await db.insert(evidence).values([
    { tenantId, leadId: merged, kind: 'NO_HTTPS', weight: 10 },
    { tenantId, leadId: merged, kind: 'SLOW_RESPONSE', weight: 5 },
    { tenantId, leadId: keep, kind: 'WEBSITE_MISSING', weight: 20 },
  ]);
  await db.insert(reports).values({ tenantId, leadId: merged, status: 'SUCCEEDED', fileName: 'smile.pdf' });
  await db
    .insert(whatsappMessages)
    .values({ tenantId, leadId: merged, direction: 'IN', phone: '+966112345678', type: 'text', status: 'RECEIVED' });
  await db.insert(whatsappConversations).values([
    { tenantId, leadId: merged, consent: 'OPTED_IN', consentSource: 'lead_started', unreadCount: 2 },
    { tenantId, leadId: keep, consent: 'NONE', unreadCount: 1 },
  ]);
  return { tenantId, keep, merged, third, shared, onlyMerged, job };
}

const merge = (who: SignedUpUser, tenantId: string, body: Record<string, unknown>) => who.client.post(leadsUrl(tenantId, '/merge'), body);

describe('merging leads', () => {
  it('previews field by field, then moves every row that names the merged lead to the kept one, in one audited step', async () => {
    const owner = await signUp(t);
    const s = await twoLeadsWithHistory(owner);
    const body = { keepId: s.keep, mergeIds: [s.merged], fields: { name: s.merged } };

    const preview = await owner.client.post(leadsUrl(s.tenantId, '/merge/preview'), body);
    expect(preview.status, preview.text).toBe(200);
    const field = (name: string) => preview.body.fields.find((f: { field: string }) => f.field === name);
    expect(field('name')).toEqual({ field: 'name', fromLeadId: s.merged, value: 'Smile Dental Clinic' });
    expect(field('location')).toMatchObject({ fromLeadId: s.keep, value: '24.7136, 46.6753' });
    expect(field('phone')).toEqual({ field: 'phone', fromLeadId: s.merged, value: '+966112345678' });
    expect(field('category')).toEqual({ field: 'category', fromLeadId: null, value: null });
    expect(preview.body.tags.sort()).toEqual(['google', 'osm']);
    expect(preview.body.notes).toBe('Called once.\n\nAsked for a quote.');
    expect(preview.body.moves).toEqual({ evidence: 2, lists: 1, reports: 1, messages: 1, sources: 2, jobs: 1 });
    // The preview changed nothing.
    expect((await owner.client.get(leadsUrl(s.tenantId, `/${s.merged}`))).status).toBe(200);

    const res = await merge(owner, s.tenantId, body);
    expect(res.status, res.text).toBe(200);
    expect(res.body.mergedLeadIds).toEqual([s.merged]);
    expect(res.body.lead).toMatchObject({
      id: s.keep,
      name: 'Smile Dental Clinic',
      phone: '+966112345678',
      domain: 'smile.example',
      email: 'hi@smile.example',
      rating: 4.6,
      reviewCount: 80,
      lat: 24.7136,
      notes: 'Called once.\n\nAsked for a quote.',
    });
    expect(res.body.lead.tags.sort()).toEqual(['google', 'osm']);

    // Every table that named the merged lead now names the kept one.
    expect(await db.select().from(evidence).where(eq(evidence.leadId, s.merged))).toHaveLength(0);
    expect(await db.select().from(evidence).where(eq(evidence.leadId, s.keep))).toHaveLength(3);
    expect((await db.select().from(leadLists).where(eq(leadLists.leadId, s.keep))).map((r) => r.listId).sort()).toEqual(
      [s.shared.id, s.onlyMerged.id].sort(),
    );
    expect(await db.select().from(jobLeads).where(eq(jobLeads.leadId, s.keep))).toEqual([
      expect.objectContaining({ jobId: s.job.id, outcome: 'new' }),
    ]);
    expect(await db.select().from(reports).where(eq(reports.leadId, s.keep))).toHaveLength(1);
    expect(await db.select().from(whatsappMessages).where(eq(whatsappMessages.leadId, s.keep))).toHaveLength(1);
    const conversations = await db.select().from(whatsappConversations).where(eq(whatsappConversations.tenantId, s.tenantId));
    expect(conversations).toEqual([
      expect.objectContaining({ leadId: s.keep, consent: 'OPTED_IN', consentSource: 'lead_started', unreadCount: 3 }),
    ]);
    const sources = await owner.client.get(leadsUrl(s.tenantId, `/${s.keep}/sources`));
    expect(sources.body.items.map((x: { source: string; sourceId: string | null }) => `${x.source}:${x.sourceId}`).sort()).toEqual([
      'csv:null',
      'google:ChIJ-1',
      'osm:node/1',
    ]);
    // The third lead was flagged against both: it now points at the kept lead only, once.
    expect(await db.select().from(leadDuplicates).where(eq(leadDuplicates.leadId, s.third))).toEqual([
      expect.objectContaining({ otherLeadId: s.keep }),
    ]);
    expect(
      await db
        .select()
        .from(leadDuplicates)
        .where(inArray(leadDuplicates.otherLeadId, [s.merged])),
    ).toHaveLength(0);
    expect(await db.select().from(leadMerges).where(eq(leadMerges.keptLeadId, s.keep))).toEqual([
      expect.objectContaining({ mergedLeadId: s.merged, snapshot: expect.objectContaining({ name: 'Smile Dental Clinic' }) }),
    ]);

    // The merged id answers 404 everywhere; finding its Google place again lands on the kept lead.
    expect((await owner.client.get(leadsUrl(s.tenantId, `/${s.merged}`))).status).toBe(404);
    expect((await owner.client.get(leadsUrl(s.tenantId, `/${s.merged}/sources`))).status).toBe(404);
    expect((await owner.client.patch(leadsUrl(s.tenantId, `/${s.merged}`), { city: 'Riyadh' })).status).toBe(404);
    const [again] = await upsert(s.tenantId, [{ name: 'Smile Dental Clinic', source: 'google', sourceId: 'ChIJ-1', city: 'Riyadh' }]);
    expect(again).toMatchObject({ leadId: s.keep, matchedOn: 'source' });

    // One audit entry names both leads; the kept lead's history includes the merge.
    const entries = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, s.tenantId), eq(auditLogs.action, 'lead.merged')));
    expect(entries).toEqual([
      expect.objectContaining({
        targetId: s.keep,
        metadata: expect.objectContaining({ keptLeadId: s.keep, mergedLeadIds: [s.merged], mergedNames: ['Smile Dental Clinic'] }),
      }),
    ]);
    const activity = await owner.client.get(leadsUrl(s.tenantId, `/${s.keep}/activity`));
    expect(activity.body.items.map((i: { action: string }) => i.action)).toContain('lead.merged');
    expect((await db.select().from(leads).where(eq(leads.tenantId, s.tenantId))).map((l) => l.id).sort()).toEqual([s.keep, s.third].sort());
  });

  it('keeps an opt-out from either lead', async () => {
    const owner = await signUp(t);
    const [a, b] = (
      await upsert(owner.tenantId, [
        { name: 'Opted in', source: 'csv' },
        { name: 'Opted out', source: 'csv' },
      ])
    ).map((o) => o.leadId!);
    await db.insert(whatsappConversations).values([
      { tenantId: owner.tenantId, leadId: a, consent: 'OPTED_IN', consentSource: 'member' },
      { tenantId: owner.tenantId, leadId: b, consent: 'OPTED_OUT', consentSource: 'keyword', optOutReason: 'STOP' },
    ]);
    await db.update(leads).set({ whatsappOptOut: true }).where(eq(leads.id, b));
    const res = await merge(owner, owner.tenantId, { keepId: a, mergeIds: [b] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.lead.whatsappOptOut).toBe(true);
    expect(await db.select().from(whatsappConversations).where(eq(whatsappConversations.leadId, a))).toEqual([
      expect.objectContaining({ consent: 'OPTED_OUT', optOutReason: 'STOP' }),
    ]);
  });

  it('refuses a viewer (403), another tenant’s leads (404), a lead merged with itself or named twice (400), and changes nothing', async () => {
    const owner = await signUp(t);
    const s = await twoLeadsWithHistory(owner);
    const viewer = await joinAs(t, owner, 'VIEWER');
    const stranger = await signUp(t);
    const [strangers] = (await upsert(stranger.tenantId, [{ name: 'Elsewhere', source: 'csv' }])).map((o) => o.leadId!);
    const body = { keepId: s.keep, mergeIds: [s.merged] };

    expect((await merge(viewer, s.tenantId, body)).status).toBe(403);
    expect((await viewer.client.post(leadsUrl(s.tenantId, '/merge/preview'), body)).status).toBe(403);
    expect((await merge(stranger, s.tenantId, body)).status).toBe(404);
    expect((await merge(stranger, stranger.tenantId, body)).status).toBe(404);
    expect((await merge(owner, s.tenantId, { keepId: s.keep, mergeIds: [strangers] })).status).toBe(404);
    const self = await merge(owner, s.tenantId, { keepId: s.keep, mergeIds: [s.keep] });
    expect(self.status).toBe(400);
    expect(self.body.fields).toEqual([{ field: 'mergeIds', message: 'must not include the kept lead', rule: 'mergeSelf' }]);
    const twice = await merge(owner, s.tenantId, { keepId: s.keep, mergeIds: [s.merged, s.merged] });
    expect(twice.status).toBe(400);
    expect(twice.body.fields[0].rule).toBe('mergeTwice');
    const outside = await merge(owner, s.tenantId, { keepId: s.keep, mergeIds: [s.merged], fields: { name: s.third } });
    expect(outside.status).toBe(400);
    expect(outside.body.fields).toEqual([{ field: 'fields.name', message: 'is not one of the merged leads', rule: 'mergeChoice' }]);

    expect((await owner.client.get(leadsUrl(s.tenantId, `/${s.merged}`))).status).toBe(200);
    expect(await db.select().from(evidence).where(eq(evidence.leadId, s.merged))).toHaveLength(2);
    expect(
      await db
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.tenantId, s.tenantId), eq(auditLogs.action, 'lead.merged'))),
    ).toHaveLength(0);
    expect(await db.select().from(leadSources).where(eq(leadSources.leadId, s.merged))).toHaveLength(2);
  });
});
