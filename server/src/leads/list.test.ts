import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { leadLists } from '../db/schema/index.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { insertLeads, insertList, joinAs, leadsUrl } from './test-helpers.js';

const t = await startTestApp();
const db = t.database.db;

type Query = Record<string, string | number | boolean>;
const namesFor = async (who: SignedUpUser, query: Query = {}) => {
  const res = await who.client.get(leadsUrl(who.tenantId, '', { limit: 200, ...query }));
  expect(res.status, JSON.stringify(query)).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return res.body.items.map((l: { name: string }) => l.name).sort();
};

/** Reads every page of a query and returns the ids in order. */
async function allPages(who: SignedUpUser, query: Query, between?: () => Promise<void>) {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await who.client.get(
      leadsUrl(who.tenantId, '', { ...query, ...(cursor ? { cursor } : {}) }),
    );
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((l: { id: string }) => l.id));
    cursor = res.body.nextCursor;
    if (between) await between();
  } while (cursor);
  return ids;
}

describe('filtering the lead table', () => {
  it('each filter narrows the table to the matching leads', async () => {
    const owner = await signUp(t);
    const colleague = await joinAs(t, owner, 'MEMBER', 'Colleague');
    const [a, b] = await insertLeads(t, owner.tenantId, [
      {
        name: 'عيادة الأسنان الحديثة',
        category: 'طبيب أسنان',
        city: 'الرياض',
        status: 'NEW',
        score: 80,
        phone: '+966501234567',
        website: 'https://clinic.sa',
        domain: 'clinic.sa',
        tags: ['vip'],
        source: 'google',
        country: 'Saudi Arabia',
        ownerUserId: colleague.user.id,
      },
      {
        name: 'Riyadh Dental Care',
        category: 'Dentist',
        city: 'Riyadh',
        status: 'CONTACTED',
        score: 55,
        email: 'hello@rdc.sa',
        tags: ['vip', 'cold'],
        source: 'csv',
      },
      { name: 'Jeddah Bakery', category: 'Bakery', city: 'Jeddah', status: 'WON', score: 10, source: 'osm', country: 'saudi arabia' },
      {
        name: 'Cairo Coffee',
        category: 'Cafe',
        city: 'Cairo',
        status: 'LOST',
        score: 30,
        country: 'Egypt',
        createdAt: new Date('2024-01-15T00:00:00Z'),
      },
    ]);
    const list = await insertList(t, owner.tenantId);
    await db.insert(leadLists).values([
      { tenantId: owner.tenantId, listId: list.id, leadId: a.id },
      { tenantId: owner.tenantId, listId: list.id, leadId: b.id },
    ]);

    expect(await namesFor(owner, { q: 'الأسنان' })).toEqual(['عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { q: 'dental' })).toEqual(['Riyadh Dental Care']);
    expect(await namesFor(owner, { q: 'clinic.sa' })).toEqual(['عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { q: '501234' })).toEqual(['عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { q: 'HELLO@RDC' })).toEqual(['Riyadh Dental Care']);
    expect(await namesFor(owner, { q: 'jeddah' })).toEqual(['Jeddah Bakery']);
    expect(await namesFor(owner, { q: '100%_' })).toEqual([]);
    expect(await namesFor(owner, { status: 'NEW,CONTACTED' })).toEqual(['Riyadh Dental Care', 'عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { scoreMin: 30, scoreMax: 60 })).toEqual(['Cairo Coffee', 'Riyadh Dental Care']);
    expect(await namesFor(owner, { status: 'NEW,CONTACTED,WON', scoreMin: 50 })).toEqual(['Riyadh Dental Care', 'عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { category: 'dentist' })).toEqual(['Riyadh Dental Care']);
    expect(await namesFor(owner, { city: 'RIYADH' })).toEqual(['Riyadh Dental Care']);
    expect(await namesFor(owner, { city: 'الرياض' })).toEqual(['عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { country: 'SAUDI ARABIA' })).toEqual(['Jeddah Bakery', 'عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { source: 'osm,csv' })).toEqual(['Jeddah Bakery', 'Riyadh Dental Care']);
    expect(await namesFor(owner, { hasWebsite: true })).toEqual(['عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { hasPhone: false })).toHaveLength(3);
    expect(await namesFor(owner, { hasEmail: true })).toEqual(['Riyadh Dental Care']);
    expect(await namesFor(owner, { tag: 'vip' })).toEqual(['Riyadh Dental Care', 'عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { tag: 'cold' })).toEqual(['Riyadh Dental Care']);
    expect(await namesFor(owner, { listId: list.id })).toEqual(['Riyadh Dental Care', 'عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { ownerUserId: colleague.user.id })).toEqual(['عيادة الأسنان الحديثة']);
    expect(await namesFor(owner, { ownerUserId: 'none' })).toHaveLength(3);
    expect(await namesFor(owner, { createdTo: '2024-02-01T00:00:00Z' })).toEqual(['Cairo Coffee']);
    expect(await namesFor(owner, { createdFrom: '2024-02-01T00:00:00Z' })).toHaveLength(3);
  });

  it('search finds what people type: Arabic letter variants, either digit form, a phone in any form, a pasted address', async () => {
    const owner = await signUp(t);
    await insertLeads(t, owner.tenantId, [
      { name: 'مركز الأسنان المتقدّم', city: 'مكة', category: 'عيادة أسنان', phone: '+966501234567', source: 'manual' },
      {
        name: 'Pearl Dental',
        website: 'https://www.pearl-dental.com',
        domain: 'pearl-dental.com',
        phone: '+97143210000',
        source: 'manual',
      },
      { name: 'مقهى ١٢٣', phoneRaw: 'call us', source: 'csv' },
    ]);
    const arabic = ['مركز الأسنان المتقدّم'];
    for (const typed of ['الاسنان', 'الإسنان', 'الأسنـــان', 'المتقدم', 'مكه', 'عياده اسنان'])
      expect(await namesFor(owner, { q: typed }), typed).toEqual(arabic);
    expect(await namesFor(owner, { q: 'مقهى 123' })).toEqual(['مقهى ١٢٣']);
    expect(await namesFor(owner, { q: 'مقهي ١٢٣' })).toEqual(['مقهى ١٢٣']);
    for (const typed of ['0501234567', '+966 50 123 4567', '(050) 123-4567', '٠٥٠١٢٣٤٥٦٧'])
      expect(await namesFor(owner, { q: typed }), typed).toEqual(arabic);
    expect(await namesFor(owner, { q: '04 321 0000' })).toEqual(['Pearl Dental']);
    for (const typed of ['https://pearl-dental.com/contact?x=1', 'www.pearl-dental.com', 'pearl-dental.com/about'])
      expect(await namesFor(owner, { q: typed }), typed).toEqual(['Pearl Dental']);
    // Text kept because it could not be read is searchable too.
    expect(await namesFor(owner, { q: 'call us' })).toEqual(['مقهى ١٢٣']);
    expect(await namesFor(owner, { q: '0509999999' })).toEqual([]);
  });

  it('bad filter values answer 400 naming the parameter', async () => {
    const owner = await signUp(t);
    for (const [query, field] of [
      [{ status: 'HOT' }, 'status'],
      [{ scoreMin: 101 }, 'scoreMin'],
      [{ hasWebsite: 'yes' }, 'hasWebsite'],
      [{ listId: 'abc' }, 'listId'],
      [{ sort: 'city' }, 'sort'],
      [{ limit: 500 }, 'limit'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
    ] as const) {
      const res = await owner.client.get(leadsUrl(owner.tenantId, '', query));
      expect(res.status, field).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field).join(' '), field).toContain(field);
    }
  });

  it("never shows another tenant's leads, even with its list id", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const [lead] = await insertLeads(t, a.tenantId, [{ name: 'Only in A' }]);
    const list = await insertList(t, a.tenantId);
    await db.insert(leadLists).values({ tenantId: a.tenantId, listId: list.id, leadId: lead.id });
    expect(await namesFor(b)).toEqual([]);
    expect(await namesFor(b, { listId: list.id })).toEqual([]);
    expect((await b.client.get(leadsUrl(a.tenantId))).status).toBe(404);
  });
});

describe('the total for a filter', () => {
  const countOf = async (who: SignedUpUser, query: Query = {}, tenantId = who.tenantId) => {
    const res = await who.client.get(leadsUrl(tenantId, '/count', query));
    expect(res.status, JSON.stringify(query)).toBe(200);
    return res.body;
  };

  it('counts exactly what the table would list, for viewers too, and never another tenant’s leads', async () => {
    const owner = await signUp(t);
    const viewer = await joinAs(t, owner, 'VIEWER', 'Viewer');
    const [a] = await insertLeads(t, owner.tenantId, [
      { name: 'Alpha Dental', city: 'Riyadh', status: 'NEW', source: 'manual' },
      { name: 'Beta Dental', city: 'Riyadh', status: 'WON', source: 'manual' },
      { name: 'Gamma Bakery', city: 'Jeddah', status: 'NEW', source: 'manual' },
    ]);
    const list = await insertList(t, owner.tenantId);
    await db.insert(leadLists).values({ tenantId: owner.tenantId, listId: list.id, leadId: a.id });
    expect(await countOf(owner)).toEqual({ count: 3, exact: true });
    expect(await countOf(viewer, { q: 'dental' }, owner.tenantId)).toEqual({ count: 2, exact: true });
    expect(await countOf(owner, { city: 'riyadh', status: 'NEW' })).toEqual({ count: 1, exact: true });
    expect(await countOf(owner, { listId: list.id })).toEqual({ count: 1, exact: true });
    expect(await countOf(owner, { q: 'nothing like this' })).toEqual({ count: 0, exact: true });

    const stranger = await signUp(t);
    expect(await countOf(stranger)).toEqual({ count: 0, exact: true });
    expect(await countOf(stranger, { listId: list.id })).toEqual({ count: 0, exact: true });
    expect((await stranger.client.get(leadsUrl(owner.tenantId, '/count'))).status).toBe(404);
    const bad = await owner.client.get(leadsUrl(owner.tenantId, '/count', { scoreMin: 'high' }));
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['querystring.scoreMin']);
  });

  it('above 10,000 matching leads answers at once with an estimate marked as one', async () => {
    const owner = await signUp(t);
    await db.execute(
      sql`insert into leads (tenant_id, name, source) select ${owner.tenantId}, 'Bulk ' || n, 'manual' from generate_series(1, 10050) as n`,
    );
    await db.execute(sql`analyze leads`);
    const total = await countOf(owner);
    expect(total.exact).toBe(false);
    expect(total.count).toBeGreaterThan(10_000);
    expect(await countOf(owner, { q: 'Bulk 1005' })).toEqual({ count: 2, exact: true });
  });
});

describe('sorting and paging', () => {
  it('every sort orders the rows, ties broken by id, and paging visits each row exactly once', async () => {
    const owner = await signUp(t);
    const rows = await insertLeads(
      t,
      owner.tenantId,
      Array.from({ length: 23 }, (_, i) => ({
        name: `Lead ${String.fromCharCode(65 + (i % 5))}`,
        score: (i * 7) % 4,
        rating: i % 3 === 0 ? null : (i % 4) + 0.5,
        createdAt: new Date(Date.UTC(2024, 0, 1 + (i % 6))),
      })),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const sorts = ['-score', 'score', 'name', '-name', '-createdAt', 'createdAt', '-updatedAt', 'updatedAt', '-rating', 'rating'];
    for (const sort of sorts) {
      const ids = await allPages(owner, { sort, limit: 4 });
      expect(new Set(ids).size, sort).toBe(23);
      expect(ids.length, sort).toBe(23);
      const key = sort.replace('-', '') as 'score' | 'name' | 'createdAt' | 'updatedAt' | 'rating';
      const values = ids.map((id) => byId.get(id)![key]);
      const present = values.filter((v) => v !== null);
      const sorted = [...present].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      expect(present, sort).toEqual(sort.startsWith('-') ? sorted.reverse() : sorted);
      if (key === 'rating')
        expect(
          values.slice(present.length).every((v) => v === null),
          'unrated last',
        ).toBe(true);
    }
    const first = await owner.client.get(leadsUrl(owner.tenantId, '', { sort: 'name', limit: 4 }));
    const wrongSort = await owner.client.get(leadsUrl(owner.tenantId, '', { sort: '-score', cursor: first.body.nextCursor }));
    expect(wrongSort.status).toBe(400);
  });

  it('paging neither skips nor repeats rows while new leads are being added', async () => {
    const owner = await signUp(t);
    const original = await insertLeads(
      t,
      owner.tenantId,
      Array.from({ length: 30 }, (_, i) => ({ name: `Orig ${i}`, score: i % 10 })),
    );
    let added = 0;
    const seen = await allPages(owner, { sort: '-score', limit: 7 }, async () => {
      // New leads with scores all over the range land before and after the current page.
      await insertLeads(t, owner.tenantId, [
        { name: `New ${added++}`, score: 9 },
        { name: `New ${added++}`, score: 0 },
        { name: `New ${added++}`, score: 5 },
      ]);
    });
    expect(new Set(seen).size).toBe(seen.length);
    for (const lead of original) expect(seen).toContain(lead.id);

    const byCreated = await allPages(owner, { sort: '-createdAt', limit: 9 }, async () => {
      await insertLeads(t, owner.tenantId, [{ name: `Later ${added++}` }]);
    });
    expect(new Set(byCreated).size).toBe(byCreated.length);
    for (const lead of original) expect(byCreated).toContain(lead.id);
  });
});
