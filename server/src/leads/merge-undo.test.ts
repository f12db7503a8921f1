import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
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
  whatsappCampaignRecipients,
  whatsappCampaigns,
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

/** Two leads of one business with rows in the tables that name a lead, and a third lead flagged against both. */
async function twoLeads(owner: SignedUpUser) {
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
        tags: ['google'],
        notes: 'Asked for a quote.',
      },
      { name: 'Smile Dental Centre', source: 'csv', lat: 24.7138, lon: 46.6755 },
    ])
  ).map((o) => o.leadId!);
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

const merge = async (who: SignedUpUser, tenantId: string, keepId: string, mergeIds: string[], fields = {}) => {
  const res = await who.client.post(leadsUrl(tenantId, '/merge'), { keepId, mergeIds, fields });
  expect(res.status, res.text).toBe(200);
  return res.body as { mergeId: string; undoUntil: string };
};
const undo = (who: SignedUpUser, tenantId: string, keepId: string, mergeId: string) =>
  who.client.post(leadsUrl(tenantId, `/${keepId}/merges/${mergeId}/undo`), {});
const count = async (table: typeof evidence | typeof reports | typeof whatsappMessages, leadId: string) =>
  (await db.select().from(table).where(eq(table.leadId, leadId))).length;
const listsOf = async (leadId: string) =>
  (await db.select().from(leadLists).where(eq(leadLists.leadId, leadId))).map((r) => r.listId).sort();

describe('undoing a merge', () => {
  it('brings the merged lead back with its own rows and the kept lead’s earlier values, keeping what came after the merge', async () => {
    const owner = await signUp(t);
    const s = await twoLeads(owner);
    const merged = await merge(owner, s.tenantId, s.keep, [s.merged], { name: s.merged });
    expect(new Date(merged.undoUntil).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);

    // The merged id leads to the kept lead.
    const gone = await owner.client.get(leadsUrl(s.tenantId, `/${s.merged}`));
    expect(gone.status).toBe(404);
    expect(gone.body.mergedInto).toBe(s.keep);

    // After the merge: a person edits the notes, adds evidence and a list, and a new message arrives.
    expect((await owner.client.patch(leadsUrl(s.tenantId, `/${s.keep}`), { notes: 'Edited after the merge.' })).status).toBe(200);
    await db.insert(evidence).values({ tenantId: s.tenantId, leadId: s.keep, kind: 'SLOW_RESPONSE', weight: 5 });
    const later = await insertList(t, s.tenantId, 'Later');
    await db.insert(leadLists).values({ tenantId: s.tenantId, listId: later.id, leadId: s.keep });

    const merges = await owner.client.get(leadsUrl(s.tenantId, `/${s.keep}/merges`));
    expect(merges.body.items).toEqual([
      expect.objectContaining({
        mergeId: merged.mergeId,
        mergedLeads: [{ id: s.merged, name: 'Smile Dental Clinic' }],
        undoable: true,
        undoUntil: merged.undoUntil,
      }),
    ]);

    const res = await undo(owner, s.tenantId, s.keep, merged.mergeId);
    expect(res.status, res.text).toBe(200);
    expect(res.body.restoredLeadIds).toEqual([s.merged]);
    // The kept lead's own name and phone-less record come back; the notes edited since stay; tags go back.
    expect(res.body.lead).toMatchObject({ id: s.keep, name: 'Smile Dental', phone: null, notes: 'Edited after the merge.', tags: ['osm'] });
    const back = await owner.client.get(leadsUrl(s.tenantId, `/${s.merged}`));
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ name: 'Smile Dental Clinic', phone: '+966112345678', notes: 'Asked for a quote.', tags: ['google'] });

    expect(await count(evidence, s.merged)).toBe(1);
    expect(await count(evidence, s.keep)).toBe(2);
    expect(await count(reports, s.merged)).toBe(1);
    expect(await count(whatsappMessages, s.merged)).toBe(1);
    expect(await listsOf(s.merged)).toEqual([s.shared.id, s.onlyMerged.id].sort());
    expect(await listsOf(s.keep)).toEqual([s.shared.id, later.id].sort());
    expect(await db.select().from(jobLeads).where(eq(jobLeads.jobId, s.job.id))).toEqual([
      expect.objectContaining({ leadId: s.merged, outcome: 'new' }),
    ]);
    const conversations = await db.select().from(whatsappConversations).where(eq(whatsappConversations.tenantId, s.tenantId));
    expect(conversations.map((c) => [c.leadId, c.consent, c.unreadCount]).sort()).toEqual(
      [
        [s.keep, 'NONE', 1],
        [s.merged, 'OPTED_IN', 2],
      ].sort(),
    );
    const sources = await db.select().from(leadSources).where(eq(leadSources.leadId, s.merged));
    expect(sources.map((x) => `${x.source}:${x.sourceId}`)).toEqual(['google:ChIJ-1']);
    expect((await db.select().from(leadSources).where(eq(leadSources.leadId, s.keep))).map((x) => x.source)).toEqual(['osm']);
    const marksOfThird = await db.select().from(leadDuplicates).where(eq(leadDuplicates.leadId, s.third));
    expect(marksOfThird.map((m) => m.otherLeadId).sort()).toEqual([s.keep, s.merged].sort());

    // Audited in the same step; the merge is marked undone and leaves the kept lead's history.
    const [entry] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, s.tenantId), eq(auditLogs.action, 'lead.merge_undone')));
    expect(entry).toMatchObject({
      targetId: s.keep,
      metadata: expect.objectContaining({ mergeId: merged.mergeId, restoredLeadIds: [s.merged], restoredNames: ['Smile Dental Clinic'] }),
    });
    expect((await owner.client.get(leadsUrl(s.tenantId, `/${s.keep}/merges`))).body.items).toEqual([]);

    // Once undone, again is a clear 409 that changes nothing; the two can be merged again.
    const twice = await undo(owner, s.tenantId, s.keep, merged.mergeId);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('MERGE_ALREADY_UNDONE');
    const again = await merge(owner, s.tenantId, s.keep, [s.merged]);
    expect((await undo(owner, s.tenantId, s.keep, again.mergeId)).status).toBe(200);
  });

  it('refuses after the window (410), a viewer (403), another tenant or another lead’s merge (404), and changes nothing', async () => {
    const owner = await signUp(t);
    const s = await twoLeads(owner);
    const { mergeId } = await merge(owner, s.tenantId, s.keep, [s.merged]);
    const viewer = await joinAs(t, owner, 'VIEWER');
    const stranger = await signUp(t);

    expect((await undo(viewer, s.tenantId, s.keep, mergeId)).status).toBe(403);
    expect((await undo(stranger, s.tenantId, s.keep, mergeId)).status).toBe(404);
    expect((await undo(stranger, stranger.tenantId, s.keep, mergeId)).status).toBe(404);
    expect((await stranger.client.get(leadsUrl(stranger.tenantId, `/${s.merged}`))).body.mergedInto).toBeUndefined();
    expect((await undo(owner, s.tenantId, s.third, mergeId)).status).toBe(404);
    expect((await viewer.client.get(leadsUrl(s.tenantId, `/${s.keep}/merges`))).status).toBe(200);

    await db
      .update(leadMerges)
      .set({ mergedAt: sql`now() - interval '31 days'` })
      .where(eq(leadMerges.mergeId, mergeId));
    const late = await undo(owner, s.tenantId, s.keep, mergeId);
    expect(late.status).toBe(410);
    expect(late.body).toMatchObject({ code: 'MERGE_UNDO_EXPIRED', days: 30 });
    expect((await owner.client.get(leadsUrl(s.tenantId, `/${s.keep}/merges`))).body.items).toEqual([
      expect.objectContaining({ mergeId, undoable: false }),
    ]);
    expect((await owner.client.get(leadsUrl(s.tenantId, `/${s.merged}`))).status).toBe(404);
    expect(await count(evidence, s.keep)).toBe(2);
    expect(
      await db
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.tenantId, s.tenantId), eq(auditLogs.action, 'lead.merge_undone'))),
    ).toHaveLength(0);
  });

  it('follows a chain of merges, and is blocked while the kept lead is merged away or its source is taken', async () => {
    const owner = await signUp(t);
    const tenantId = owner.tenantId;
    const [a, b, c] = (
      await upsert(tenantId, [
        { name: 'Alpha', source: 'osm', sourceId: 'node/a' },
        { name: 'Beta', source: 'osm', sourceId: 'node/b' },
        { name: 'Gamma', source: 'osm', sourceId: 'node/c' },
      ])
    ).map((o) => o.leadId!);
    const first = await merge(owner, tenantId, b, [a]);
    const second = await merge(owner, tenantId, c, [b]);
    // Both old ids lead to the last kept lead.
    expect((await owner.client.get(leadsUrl(tenantId, `/${a}`))).body.mergedInto).toBe(c);
    expect((await owner.client.get(leadsUrl(tenantId, `/${b}`))).body.mergedInto).toBe(c);

    const blocked = await undo(owner, tenantId, c, first.mergeId);
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({ code: 'MERGE_UNDO_BLOCKED', reason: 'keptMerged' });
    expect((await undo(owner, tenantId, c, second.mergeId)).status).toBe(200);
    expect((await owner.client.get(leadsUrl(tenantId, `/${a}`))).body.mergedInto).toBe(b);
    expect((await undo(owner, tenantId, b, first.mergeId)).status).toBe(200);
    expect((await owner.client.get(leadsUrl(tenantId, `/${a}`))).body).toMatchObject({ id: a, name: 'Alpha' });

    // A lead that took the merged lead's source since blocks the undo, which then changes nothing.
    const third = await merge(owner, tenantId, b, [a]);
    await db.insert(leads).values({ tenantId, name: 'Alpha again', source: 'osm', sourceId: 'node/a' });
    const clash = await undo(owner, tenantId, b, third.mergeId);
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: 'MERGE_UNDO_BLOCKED', reason: 'sameSource' });
    expect((await owner.client.get(leadsUrl(tenantId, `/${a}`))).body.mergedInto).toBe(b);
  });
});

describe('campaign recipients of merged leads', () => {
  it('follow the kept lead unless it is a recipient of that campaign too, and go back on undo', async () => {
    const owner = await signUp(t);
    const s = await twoLeads(owner);
    const campaign = (name: string) => ({
      tenantId: s.tenantId,
      name,
      templateName: 'offer',
      templateLanguage: 'en',
      templateCategory: 'MARKETING',
      parameters: [],
      status: 'COMPLETED',
    });
    const [both, onlyMerged] = await db
      .insert(whatsappCampaigns)
      .values([campaign('Both'), campaign('Merged only')])
      .returning();
    const recipient = (campaignId: string, leadId: string, position: number, phone: string) => ({
      tenantId: s.tenantId,
      campaignId,
      leadId,
      position,
      phone,
      status: 'SENT',
    });
    const [, mergedInBoth, mergedAlone] = await db
      .insert(whatsappCampaignRecipients)
      .values([
        recipient(both.id, s.keep, 1, '+966110000001'),
        recipient(both.id, s.merged, 2, '+966112345678'),
        recipient(onlyMerged.id, s.merged, 1, '+966112345678'),
      ])
      .returning();
    const leadOf = async (id: string) =>
      (await db.select().from(whatsappCampaignRecipients).where(eq(whatsappCampaignRecipients.id, id)))[0].leadId;

    const merged = await merge(owner, s.tenantId, s.keep, [s.merged]);
    expect(await leadOf(mergedAlone.id)).toBe(s.keep);
    // The kept lead already stands in the first campaign: the merged lead's row stays, without a lead.
    expect(await leadOf(mergedInBoth.id)).toBeNull();

    expect((await undo(owner, s.tenantId, s.keep, merged.mergeId)).status).toBe(200);
    expect(await leadOf(mergedAlone.id)).toBe(s.merged);
    expect(await leadOf(mergedInBoth.id)).toBe(s.merged);
  });
});

describe('undoing a merge of several leads', () => {
  it('brings every merged lead back at once, and their history leaves the kept lead’s timeline', async () => {
    const owner = await signUp(t);
    const tenantId = owner.tenantId;
    const [keep, one, two] = (
      await upsert(tenantId, [
        { name: 'Keeper', source: 'csv', city: 'Riyadh' },
        { name: 'First copy', source: 'osm', sourceId: 'node/1', email: 'one@example.com' },
        { name: 'Second copy', source: 'osm', sourceId: 'node/2', phone: '0112345678' },
      ])
    ).map((o) => o.leadId!);
    expect((await owner.client.patch(leadsUrl(tenantId, `/${one}`), { category: 'Dentist' })).status).toBe(200);
    const { mergeId } = await merge(owner, tenantId, keep, [one, two]);
    const merged = await owner.client.get(leadsUrl(tenantId, `/${keep}`));
    expect(merged.body).toMatchObject({ email: 'one@example.com', phone: '+966112345678', category: 'Dentist' });
    const activityOf = async (id: string) =>
      (await owner.client.get(leadsUrl(tenantId, `/${id}/activity`))).body.items.map((i: { action: string }) => i.action) as string[];
    expect(await activityOf(keep)).toContain('lead.updated');

    const res = await undo(owner, tenantId, keep, mergeId);
    expect(res.status, res.text).toBe(200);
    expect(res.body.restoredLeadIds.sort()).toEqual([one, two].sort());
    expect(res.body.lead).toMatchObject({ name: 'Keeper', email: null, phone: null, category: null, city: 'Riyadh' });
    expect((await owner.client.get(leadsUrl(tenantId, `/${one}`))).body).toMatchObject({ category: 'Dentist', email: 'one@example.com' });
    expect((await owner.client.get(leadsUrl(tenantId, `/${two}`))).body).toMatchObject({ phone: '+966112345678' });
    // The copy's edit is its own history again; the kept lead shows the merge and its undoing.
    const kept = await activityOf(keep);
    expect(kept).not.toContain('lead.updated');
    expect(kept).toEqual(expect.arrayContaining(['lead.merged', 'lead.merge_undone']));
    expect(await activityOf(one)).toContain('lead.updated');
  });
});

describe('dismissing a near-duplicate', () => {
  it('unflags both leads for good, is audited, and can be reverted', async () => {
    const owner = await signUp(t);
    const tenantId = owner.tenantId;
    const [a, b] = (
      await upsert(tenantId, [
        { name: 'Noor Bakery', source: 'csv', lat: 24.7136, lon: 46.6753 },
        { name: 'Noor Bakery 2', source: 'csv', lat: 24.7137, lon: 46.6754 },
      ])
    ).map((o) => o.leadId!);
    const flags = async (id: string) => (await owner.client.get(leadsUrl(tenantId, `/${id}`))).body.possibleDuplicates as number;
    expect([await flags(a), await flags(b)]).toEqual([1, 1]);
    const url = leadsUrl(tenantId, `/${a}/duplicates/${b}/dismiss`);

    const viewer = await joinAs(t, owner, 'VIEWER');
    const stranger = await signUp(t);
    expect((await viewer.client.post(url, {})).status).toBe(403);
    expect((await stranger.client.post(url, {})).status).toBe(404);
    expect((await stranger.client.post(leadsUrl(stranger.tenantId, `/${a}/duplicates/${b}/dismiss`), {})).status).toBe(404);
    const self = await owner.client.post(leadsUrl(tenantId, `/${a}/duplicates/${a}/dismiss`), {});
    expect(self.status).toBe(400);
    expect(self.body.fields).toEqual([{ field: 'otherLeadId', message: 'must be another lead', rule: 'otherLead' }]);
    expect([await flags(a), await flags(b)]).toEqual([1, 1]);

    expect((await owner.client.post(url, {})).status).toBe(204);
    expect([await flags(a), await flags(b)]).toEqual([0, 0]);
    const filtered = await owner.client.get(leadsUrl(tenantId, '', { attention: 'duplicate' }));
    expect(filtered.body.items).toEqual([]);
    // Not offered again: not by a change of place, nor by the same pair found again.
    expect((await owner.client.patch(leadsUrl(tenantId, `/${b}`), { name: 'Noor Bakery' })).status).toBe(200);
    await upsert(tenantId, [{ name: 'Noor Bakery', source: 'csv', lat: 24.7137, lon: 46.6754, phone: '0112345678' }]);
    expect(await flags(a)).toBe(1);
    const candidates = await owner.client.get(leadsUrl(tenantId, `/${a}/duplicates`));
    expect(candidates.body.items.map((c: { lead: { id: string } }) => c.lead.id)).not.toContain(b);
    expect(candidates.body.dismissed).toEqual([expect.objectContaining({ lead: expect.objectContaining({ id: b }) })]);
    const ofB = await owner.client.get(leadsUrl(tenantId, `/${b}/duplicates`));
    expect(ofB.body.dismissed.map((d: { lead: { id: string } }) => d.lead.id)).toEqual([a]);

    const entries = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.action, 'lead.duplicate_dismissed')));
    expect(entries).toEqual([
      expect.objectContaining({ targetId: a, metadata: expect.objectContaining({ otherLeadId: b, removedFlags: 2 }) }),
    ]);

    expect((await viewer.client.delete(url)).status).toBe(403);
    expect((await owner.client.delete(url)).status).toBe(204);
    const marks = await db.select().from(leadDuplicates).where(eq(leadDuplicates.leadId, b));
    expect(marks.map((m) => m.otherLeadId)).toContain(a);
    expect((await owner.client.get(leadsUrl(tenantId, `/${b}/duplicates`))).body.dismissed).toEqual([]);
    expect((await owner.client.delete(url)).status).toBe(404);
    expect(
      await db
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.action, 'lead.duplicate_restored'))),
    ).toHaveLength(1);
  });
});

describe('near-duplicate flags per lead', () => {
  it('stop at 20, the most similar first, however many like-named leads stand together', async () => {
    const owner = await signUp(t);
    const tenantId = owner.tenantId;
    // One at a time, then a batch: 30 "Coffee House N" on one corner, each similar to all the others.
    for (let i = 0; i < 10; i++) await upsert(tenantId, [{ name: `Coffee House ${i}`, source: 'csv', lat: 24.7, lon: 46.7 }]);
    await upsert(
      tenantId,
      Array.from({ length: 20 }, (_, i) => ({ name: `Coffee House ${i + 10}`, source: 'csv' as const, lat: 24.7, lon: 46.7 })),
    );
    const counts = await db
      .select({ leadId: leadDuplicates.leadId, n: sql<number>`count(*)::int` })
      .from(leadDuplicates)
      .where(eq(leadDuplicates.tenantId, tenantId))
      .groupBy(leadDuplicates.leadId);
    expect(counts).toHaveLength(30);
    expect(Math.max(...counts.map((c) => c.n))).toBe(20);

    // A new lead whose name matches one exactly is flagged against that one, the most similar.
    const [twin] = await db
      .select()
      .from(leads)
      .where(and(eq(leads.tenantId, tenantId), eq(leads.name, 'Coffee House 7')));
    const [copy] = (await upsert(tenantId, [{ name: 'Coffee House 7', source: 'manual', lat: 24.7, lon: 46.7 }])).map((o) => o.leadId!);
    const mine = await db.select().from(leadDuplicates).where(eq(leadDuplicates.leadId, copy));
    expect(mine.length).toBeLessThanOrEqual(20);
    expect(mine.map((m) => m.otherLeadId)).toContain(twin.id);
  });
});
