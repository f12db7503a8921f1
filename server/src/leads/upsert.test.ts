import { describe, expect, it } from 'vitest';
import { asc, count, eq } from 'drizzle-orm';
import { leads } from '../db/schema/index.js';
import { inTenantTransaction } from '../db/transactions.js';
import { signUp, startTestApp } from '../test/harness.js';
import { normaliseLeadFields, normaliseWebsite } from './normalise.js';
import { insertLeads } from './test-helpers.js';
import { upsertLeads, type LeadDraft } from './upsert.js';

const t = await startTestApp();
const db = t.database.db;

const upsert = (tenantId: string, drafts: LeadDraft[], onMatch: 'skip' | 'update' = 'skip') =>
  inTenantTransaction(db, tenantId, (tx) => upsertLeads(tx, tenantId, drafts, { onMatch, actorUserId: null, defaultCountry: 'SA' }));
const rowsOf = (tenantId: string) => db.select().from(leads).where(eq(leads.tenantId, tenantId)).orderBy(asc(leads.name));

describe('normalisation', () => {
  it('reads phones in the default country, websites to URL + registrable domain, shared hosts without domain', () => {
    expect(normaliseLeadFields({ phone: '050 123 4567', email: ' A@B.SA ' }, 'SA')).toEqual({ phone: '+966501234567', email: 'a@b.sa' });
    expect(normaliseLeadFields({ phone: '+20 10 1234 5678' }, 'SA')).toEqual({ phone: '+201012345678' });
    expect(normaliseLeadFields({ phone: '', website: '  ' }, 'SA')).toEqual({ phone: null, website: null, domain: null });
    expect(normaliseWebsite('Example.CO.UK/Shop/#top')).toEqual({ website: 'https://example.co.uk/Shop', domain: 'example.co.uk' });
    expect(normaliseWebsite('http://www.example.com/')).toEqual({ website: 'http://www.example.com', domain: 'example.com' });
    for (const shared of [
      'https://www.facebook.com/x',
      'instagram.com/y',
      'https://linktr.ee/z',
      'https://wa.me/966501234567',
      'x.com/a',
      'https://sites.google.com/view/a',
    ]) {
      expect(normaliseWebsite(shared).domain, shared).toBeNull();
    }
    expect(() => normaliseLeadFields({ phone: '123' }, 'SA')).toThrow(/phone/);
    expect(() => normaliseWebsite('ftp://example.com')).toThrow();
  });
});

describe('upsertLeads', () => {
  it('creates new leads and dedupes inside the batch by source id, phone and domain', async () => {
    const owner = await signUp(t);
    const outcomes = await upsert(owner.tenantId, [
      { name: 'Alpha', source: 'google', sourceId: 'place-1', phone: '0501111111' },
      { name: 'Alpha again', source: 'google', sourceId: 'place-1' },
      { name: 'Alpha by phone', source: 'csv', phone: '+966 50 111 1111' },
      { name: 'Beta', source: 'csv', website: 'beta.com' },
      { name: 'Beta www', source: 'csv', website: 'http://www.beta.com/about' },
      { name: 'Gamma fb', source: 'csv', website: 'facebook.com/gamma' },
      { name: 'Delta fb', source: 'csv', website: 'facebook.com/delta' },
      { name: '', source: 'csv' },
      { name: 'Bad phone', source: 'csv', phone: 'n/a' },
    ]);
    expect(outcomes.map((o) => [o.outcome, o.matchedOn])).toEqual([
      ['created', undefined],
      ['skipped', 'source'],
      ['skipped', 'phone'],
      ['created', undefined],
      ['skipped', 'domain'],
      ['created', undefined],
      ['created', undefined],
      ['invalid', undefined],
      ['created', undefined],
    ]);
    expect(outcomes[1].leadId).toBe(outcomes[0].leadId);
    expect(outcomes[7].error).toMatch(/^name/);
    // A phone that cannot be read keeps the lead, with the text kept for a person to fix.
    expect(outcomes[8].flags).toEqual(['phone']);
    const rows = await rowsOf(owner.tenantId);
    expect(rows.map((r) => r.name)).toEqual(['Alpha', 'Bad phone', 'Beta', 'Delta fb', 'Gamma fb']);
    expect(rows.find((r) => r.name === 'Bad phone')).toMatchObject({ phone: null, phoneRaw: 'n/a' });
  });

  it('matches existing leads strongest key first, and "skip" leaves them untouched', async () => {
    const owner = await signUp(t);
    const [byPhone, bySource] = await insertLeads(t, owner.tenantId, [
      { name: 'Has phone', phone: '+966502222222' },
      { name: 'Has source', source: 'osm', sourceId: 'node/1' },
    ]);
    const outcomes = await upsert(owner.tenantId, [
      { name: 'x', source: 'osm', sourceId: 'node/1', phone: '0502222222' },
      { name: 'y', source: 'csv', phone: '0502222222', city: 'Riyadh' },
      { name: 'z', source: 'google', sourceId: 'node/1' },
    ]);
    expect(outcomes.map((o) => [o.outcome, o.matchedOn, o.leadId])).toEqual([
      ['skipped', 'source', bySource.id],
      ['skipped', 'phone', byPhone.id],
      ['created', undefined, outcomes[2].leadId],
    ]);
    const rows = await rowsOf(owner.tenantId);
    expect(rows.find((r) => r.id === byPhone.id)!.city).toBeNull();
    expect(rows).toHaveLength(3);
  });

  it('"update" fills only empty fields and never fields a person edited', async () => {
    const owner = await signUp(t);
    const [lead] = await insertLeads(t, owner.tenantId, [
      { name: 'Clinic', phone: '+966503333333', city: 'Riyadh', category: null, email: null, notes: null, editedFields: ['notes'] },
    ]);
    const outcomes = await upsert(
      owner.tenantId,
      [
        {
          name: 'Clinic (import)',
          source: 'csv',
          phone: '0503333333',
          city: 'Jeddah',
          category: 'Dentist',
          email: 'Hi@Clinic.com',
          website: 'clinic.com',
          notes: 'from import',
          tags: ['imported'],
          rating: 4.5,
        },
      ],
      'update',
    );
    expect(outcomes).toEqual([{ index: 0, outcome: 'updated', leadId: lead.id, matchedOn: 'phone' }]);
    const [row] = await rowsOf(owner.tenantId);
    expect(row).toMatchObject({
      name: 'Clinic',
      city: 'Riyadh',
      category: 'Dentist',
      email: 'hi@clinic.com',
      website: 'https://clinic.com',
      domain: 'clinic.com',
      notes: null,
      tags: ['imported'],
      rating: 4.5,
    });
    const again = await upsert(owner.tenantId, [{ name: 'Clinic', source: 'csv', website: 'www.clinic.com', city: 'Dammam' }], 'update');
    expect(again[0]).toMatchObject({ outcome: 'skipped', matchedOn: 'domain', leadId: lead.id });
  });

  it('writes a batch of 1,000 with a handful of statements, and a second run finds every row', async () => {
    const owner = await signUp(t);
    const drafts: LeadDraft[] = Array.from({ length: 1000 }, (_, i) => ({
      name: `Shop ${i}`,
      source: 'csv',
      phone: `+9665${String(10000000 + i)}`,
      website: `shop${i}.com`,
    }));
    const started = Date.now();
    const first = await upsert(owner.tenantId, drafts);
    expect(first.filter((o) => o.outcome === 'created')).toHaveLength(1000);
    const second = await upsert(owner.tenantId, drafts, 'update');
    expect(second.every((o) => o.outcome === 'skipped' && o.matchedOn === 'phone')).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await db.select({ n: count() }).from(leads).where(eq(leads.tenantId, owner.tenantId)))[0].n).toBe(1000);
  });
});
