import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { leads } from '../db/schema/index.js';
import { inTenantTransaction } from '../db/transactions.js';
import { signUp, startTestApp } from '../test/harness.js';
import { leadsUrl } from './test-helpers.js';
import { upsertLeads, type LeadDraft } from './upsert.js';

const t = await startTestApp({}, { worker: false });
const db = t.database.db;
const upsert = (tenantId: string, drafts: LeadDraft[], onMatch: 'skip' | 'update' = 'update') =>
  inTenantTransaction(db, tenantId, (tx) => upsertLeads(tx, tenantId, drafts, { onMatch, actorUserId: null, defaultCountry: 'SA' }));

const osm: LeadDraft = { name: 'Smile Dental', source: 'osm', sourceId: 'node/101', lat: 24.7136, lon: 46.6753, phone: '0112345678' };

describe('a lead found by several sources', () => {
  it('keeps each source with its id, when and what it filled, across OpenStreetMap, Google, an import and a person', async () => {
    const owner = await signUp(t);
    const [found] = await upsert(owner.tenantId, [osm]);
    expect(found.outcome).toBe('created');
    // Google knows the same place (same phone) and adds the website; the CSV adds an email.
    const [google] = await upsert(owner.tenantId, [
      { name: 'Smile Dental Clinic', source: 'google', sourceId: 'ChIJ-smile', phone: '+966 11 234 5678', website: 'smile.example' },
    ]);
    expect(google).toMatchObject({ outcome: 'updated', leadId: found.leadId, matchedOn: 'phone' });
    const [csv] = await upsert(owner.tenantId, [
      { name: 'Smile', source: 'csv', website: 'https://smile.example/', email: 'hi@smile.example' },
    ]);
    expect(csv).toMatchObject({ outcome: 'updated', leadId: found.leadId, matchedOn: 'domain' });

    const url = leadsUrl(owner.tenantId, `/${found.leadId}/sources`);
    const sources = await owner.client.get(url);
    expect(sources.status, sources.text).toBe(200);
    expect(sources.body.items).toEqual([
      expect.objectContaining({ source: 'osm', sourceId: 'node/101', fields: expect.arrayContaining(['name', 'location', 'phone']) }),
      expect.objectContaining({ source: 'google', sourceId: 'ChIJ-smile', fields: ['website'] }),
      expect.objectContaining({ source: 'csv', sourceId: null, fields: ['email'] }),
    ]);
    // Nothing was overwritten: the first name stays, and only one lead exists.
    const lead = await owner.client.get(leadsUrl(owner.tenantId, `/${found.leadId}`));
    expect(lead.body).toMatchObject({ name: 'Smile Dental', source: 'osm', domain: 'smile.example', email: 'hi@smile.example' });
    expect(await db.select().from(leads).where(eq(leads.tenantId, owner.tenantId))).toHaveLength(1);

    // A person's form is a source too.
    const typed = await owner.client.post(leadsUrl(owner.tenantId), { name: 'Typed Lead', city: 'Riyadh' });
    const typedSources = await owner.client.get(leadsUrl(owner.tenantId, `/${typed.body.id}/sources`));
    expect(typedSources.body.items).toEqual([expect.objectContaining({ source: 'manual', sourceId: null, fields: ['name', 'city'] })]);
  });

  it('re-finding a place by its second source attaches to the lead, even when nothing else matches', async () => {
    const owner = await signUp(t);
    const [found] = await upsert(owner.tenantId, [osm]);
    await upsert(owner.tenantId, [{ name: 'Smile', source: 'google', sourceId: 'ChIJ-smile', phone: '0112345678' }]);
    // Google's answer again, now without the phone that matched the first time: its place id is enough.
    const [again] = await upsert(owner.tenantId, [
      { name: 'Smile Dental (Olaya)', source: 'google', sourceId: 'ChIJ-smile', city: 'Riyadh' },
    ]);
    expect(again).toMatchObject({ outcome: 'updated', leadId: found.leadId, matchedOn: 'source' });
    const sources = await owner.client.get(leadsUrl(owner.tenantId, `/${found.leadId}/sources`));
    expect(sources.body.items.map((s: { source: string }) => s.source)).toEqual(['osm', 'google']);
    expect(sources.body.items[1].fields.sort()).toEqual(['city']);
    expect(await db.select().from(leads).where(eq(leads.tenantId, owner.tenantId))).toHaveLength(1);
  });

  it('another tenant’s lead has no sources to show: 404', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const [found] = await upsert(owner.tenantId, [osm]);
    expect((await stranger.client.get(leadsUrl(owner.tenantId, `/${found.leadId}/sources`))).status).toBe(404);
    expect((await stranger.client.get(leadsUrl(stranger.tenantId, `/${found.leadId}/sources`))).status).toBe(404);
  });
});

describe('near-duplicates by name and distance', () => {
  it('flags similar Latin and Arabic names within 250 m, in both directions, and not farther away', async () => {
    const owner = await signUp(t);
    const base = { source: 'csv' as const, lat: 24.7136, lon: 46.6753 };
    const outcomes = await upsert(owner.tenantId, [
      { ...base, name: 'Smile Dental Clinic' },
      // About 100 m north.
      { ...base, name: 'Smile Dental', lat: 24.7145 },
      // Same name about 2 km away: another branch.
      { ...base, name: 'Smile Dental', lat: 24.7316 },
      { ...base, name: 'عيادة الأسنان الحديثة', lon: 46.676 },
      { ...base, name: 'عياده الاسنان الحديثه', lon: 46.6765 },
      { ...base, name: 'Pizza Palace', lon: 46.6754 },
    ]);
    const [clinic, near, far, arabic, arabicFolded, pizza] = outcomes.map((o) => o.leadId!);
    expect(outcomes.map((o) => o.flags ?? [])).toEqual([['duplicate'], ['duplicate'], [], ['duplicate'], ['duplicate'], []]);
    const candidates = async (id: string) =>
      (await owner.client.get(leadsUrl(owner.tenantId, `/${id}/duplicates`))).body.items.map((c: { lead: { id: string } }) => c.lead.id);
    expect(await candidates(clinic)).toEqual([near]);
    expect(await candidates(near)).toEqual([clinic]);
    expect(await candidates(far)).toEqual([]);
    expect(await candidates(arabic)).toEqual([arabicFolded]);
    expect(await candidates(pizza)).toEqual([]);
    const flagged = await owner.client.get(leadsUrl(owner.tenantId, '', { attention: 'duplicate', sort: 'name' }));
    expect(flagged.body.items.map((l: { id: string }) => l.id).sort()).toEqual([clinic, near, arabic, arabicFolded].sort());
    expect(flagged.body.items.every((l: { possibleDuplicates: number }) => l.possibleDuplicates === 1)).toBe(true);
  });

  it('without coordinates, only the same folded name in the same city is flagged; a rename re-checks', async () => {
    const owner = await signUp(t);
    const [a, b, c] = (
      await upsert(owner.tenantId, [
        { name: 'مطعم البيك', source: 'csv', city: 'Riyadh' },
        { name: 'مطعم  البيك', source: 'csv', city: 'riyadh' },
        { name: 'مطعم البيك', source: 'csv', city: 'Jeddah' },
      ])
    ).map((o) => o.leadId!);
    const count = async (id: string) => (await owner.client.get(leadsUrl(owner.tenantId, `/${id}`))).body.possibleDuplicates;
    expect([await count(a), await count(b), await count(c)]).toEqual([1, 1, 0]);
    const renamed = await owner.client.patch(leadsUrl(owner.tenantId, `/${b}`), { name: 'Another Place' });
    expect(renamed.body.possibleDuplicates).toBe(0);
    expect(await count(a)).toBe(0);
  });
});
