import { describe, expect, it } from 'vitest';
import { and, asc, eq, like } from 'drizzle-orm';
import { auditLogs, leadLists, leads } from '../db/schema/index.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { insertLeads, insertList, joinAs, leadsUrl } from './test-helpers.js';
import { parseCsv } from '../test/harness.js';

const t = await startTestApp();
const db = t.database.db;

const bulk = (who: SignedUpUser, body: unknown, tenantId = who.tenantId) => who.client.post(leadsUrl(tenantId, '/bulk'), body);
const rowsOf = (tenantId: string) => db.select().from(leads).where(eq(leads.tenantId, tenantId)).orderBy(asc(leads.name));
const bulkAudits = (tenantId: string) =>
  db
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), like(auditLogs.action, 'lead.bulk_%')))
    .orderBy(asc(auditLogs.createdAt));

async function tenantWithLeads() {
  const owner = await signUp(t, { name: 'Bulk Owner' });
  const rows = await insertLeads(t, owner.tenantId, [
    { name: 'A Dental', city: 'Riyadh', status: 'NEW', tags: ['old'] },
    { name: 'B Dental', city: 'Riyadh', status: 'NEW' },
    { name: 'C Bakery', city: 'Jeddah', status: 'CONTACTED' },
  ]);
  return { owner, rows };
}

describe('bulk actions', () => {
  it('on selected ids: add to list, set status, add and remove a tag, assign an owner; one audit entry each', async () => {
    const { owner, rows } = await tenantWithLeads();
    const list = await insertList(t, owner.tenantId);
    const ids = [rows[0].id, rows[1].id];
    const member = await joinAs(t, owner, 'MEMBER', 'Sara Member');

    expect((await bulk(owner, { selection: { ids }, action: { type: 'addToList', listId: list.id } })).body).toEqual({ affected: 2 });
    // Adding again is harmless.
    expect((await bulk(owner, { selection: { ids }, action: { type: 'addToList', listId: list.id } })).body).toEqual({ affected: 2 });
    expect((await db.select().from(leadLists).where(eq(leadLists.listId, list.id))).map((r) => r.leadId).sort()).toEqual([...ids].sort());
    await bulk(owner, { selection: { ids }, action: { type: 'setStatus', status: 'QUALIFIED' } });
    await bulk(owner, { selection: { ids }, action: { type: 'addTag', tag: 'vip' } });
    await bulk(owner, { selection: { ids }, action: { type: 'addTag', tag: 'vip' } });
    await bulk(owner, { selection: { ids }, action: { type: 'removeTag', tag: 'old' } });
    await bulk(member, { selection: { ids }, action: { type: 'assignOwner', ownerUserId: member.user.id } }, owner.tenantId);

    const [a, b, c] = await rowsOf(owner.tenantId);
    expect([a.status, b.status, c.status]).toEqual(['QUALIFIED', 'QUALIFIED', 'CONTACTED']);
    expect([a.tags, b.tags, c.tags]).toEqual([['vip'], ['vip'], []]);
    expect([a.ownerUserId, b.ownerUserId, c.ownerUserId]).toEqual([member.user.id, member.user.id, null]);

    await bulk(owner, { selection: { ids: [rows[0].id] }, action: { type: 'removeFromList', listId: list.id } });
    expect((await db.select().from(leadLists).where(eq(leadLists.listId, list.id))).map((r) => r.leadId)).toEqual([rows[1].id]);

    const audits = await bulkAudits(owner.tenantId);
    expect(audits.map((e) => e.action)).toEqual([
      'lead.bulk_addToList',
      'lead.bulk_addToList',
      'lead.bulk_setStatus',
      'lead.bulk_addTag',
      'lead.bulk_addTag',
      'lead.bulk_removeTag',
      'lead.bulk_assignOwner',
      'lead.bulk_removeFromList',
    ]);
    expect(audits[2].metadata).toEqual({ count: 2, selection: { ids: 2 }, status: 'QUALIFIED' });
  });

  it('on a filter: applies to every matching lead, and the audit entry carries the filter', async () => {
    const { owner } = await tenantWithLeads();
    const res = await bulk(owner, {
      selection: { filter: { city: 'riyadh', q: 'dental' } },
      action: { type: 'setStatus', status: 'LOST' },
    });
    expect(res.body).toEqual({ affected: 2 });
    expect((await rowsOf(owner.tenantId)).map((r) => r.status)).toEqual(['LOST', 'LOST', 'CONTACTED']);
    const [entry] = await bulkAudits(owner.tenantId);
    expect(entry.metadata).toEqual({ count: 2, selection: { filter: { city: 'riyadh', q: 'dental' } }, status: 'LOST' });

    expect((await bulk(owner, { selection: { filter: { status: ['LOST'] } }, action: { type: 'delete' } })).body).toEqual({ affected: 2 });
    expect((await rowsOf(owner.tenantId)).map((r) => r.name)).toEqual(['C Bakery']);
  });

  it("ignores another tenant's lead ids, and a foreign list or owner is refused with nothing changed", async () => {
    const a = await tenantWithLeads();
    const b = await tenantWithLeads();
    const foreignIds = a.rows.map((r) => r.id);
    const res = await bulk(b.owner, { selection: { ids: [...foreignIds, b.rows[0].id] }, action: { type: 'delete' } });
    expect(res.body).toEqual({ affected: 1 });
    expect(await rowsOf(a.owner.tenantId)).toHaveLength(3);

    const foreignList = await insertList(t, a.owner.tenantId);
    const ownIds = [b.rows[1].id];
    const listRes = await bulk(b.owner, { selection: { ids: ownIds }, action: { type: 'addToList', listId: foreignList.id } });
    expect(listRes.status).toBe(404);
    expect((await bulk(b.owner, { selection: { ids: ownIds }, action: { type: 'removeFromList', listId: foreignList.id } })).status).toBe(
      404,
    );
    const ownerRes = await bulk(b.owner, { selection: { ids: ownIds }, action: { type: 'assignOwner', ownerUserId: a.owner.user.id } });
    expect(ownerRes.status).toBe(400);
    expect(ownerRes.body.fields[0]).toMatchObject({ field: 'action.ownerUserId', rule: 'member' });
    expect(await db.select().from(leadLists).where(eq(leadLists.listId, foreignList.id))).toEqual([]);
    expect((await rowsOf(b.owner.tenantId)).every((r) => r.ownerUserId === null)).toBe(true);
  });

  it('refuses bad bodies (400 naming the field), viewers (403) and other tenants (404)', async () => {
    const { owner, rows } = await tenantWithLeads();
    const viewer = await joinAs(t, owner, 'VIEWER');
    const stranger = await signUp(t);
    const good = { selection: { ids: [rows[0].id] }, action: { type: 'delete' } };
    const bad = await bulk(owner, { selection: { ids: [] }, action: { type: 'delete' } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).join(' ')).toContain('selection');
    expect((await bulk(owner, { selection: { ids: [rows[0].id] }, action: { type: 'explode' } })).status).toBe(400);
    expect((await bulk(viewer, good, owner.tenantId)).status).toBe(403);
    expect((await bulk(stranger, good, owner.tenantId)).status).toBe(404);
    expect(await rowsOf(owner.tenantId)).toHaveLength(3);
    expect(await bulkAudits(owner.tenantId)).toEqual([]);
  });
});

describe('CSV export', () => {
  it('is UTF-8 with BOM, CRLF, Arabic intact, formulas neutralised, filtered and sorted like the table, and audited', async () => {
    const owner = await signUp(t);
    await insertLeads(t, owner.tenantId, [
      { name: 'عيادة الأسنان', city: 'الرياض', score: 90, tags: ['vip', 'dental'] },
      { name: '=HYPERLINK("http://evil.test","click")', city: 'Riyadh', score: 50, notes: '+1 call, then "email"' },
      { name: '@SUM(A1)', city: 'Riyadh', score: 40, phone: '+966501234567', notes: "x;=cmd|' /C calc'!A0;y" },
      { name: '\t=1+1', city: 'Riyadh', score: 30, notes: '-2+3' },
      { name: 'Filtered out', city: 'Jeddah', score: 99 },
    ]);
    const res = await owner.client.get(leadsUrl(owner.tenantId, '/export.csv', { q: 'ا', city: 'الرياض' }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    expect(res.text).toContain('\r\n');
    const [header, ...data] = parseCsv(res.text.slice(1));
    expect(header.slice(0, 4)).toEqual(['name', 'category', 'address', 'city']);
    expect(data.map((r) => r[0])).toEqual(['عيادة الأسنان']);
    expect(data[0][header.indexOf('tags')]).toBe('vip; dental');

    const all = await owner.client.get(leadsUrl(owner.tenantId, '/export.csv', { city: 'riyadh', sort: '-score' }));
    const [h, ...rows] = parseCsv(all.text.slice(1));
    expect(rows.map((r) => r[0])).toEqual(['\'=HYPERLINK("http://evil.test","click")', "'@SUM(A1)", "'\t=1+1"]);
    expect(rows[0][h.indexOf('notes')]).toBe('\'+1 call, then "email"');
    // A phone number has nothing a spreadsheet would run: it is exported as it is; a sum is not.
    expect(rows[1][h.indexOf('phone')]).toBe('+966501234567');
    expect(rows[2][h.indexOf('notes')]).toBe("'-2+3");
    // Quoted, so a spreadsheet splitting on semicolons keeps it one cell that starts with x.
    expect(rows[1][h.indexOf('notes')]).toBe("x;=cmd|' /C calc'!A0;y");
    expect(all.text).toContain(`,"x;=cmd|' /C calc'!A0;y",`);

    const audits = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'lead.exported')))
      .orderBy(asc(auditLogs.createdAt));
    expect(audits.map((e) => e.metadata)).toEqual([
      { filter: { q: 'ا', city: 'الرياض' }, rowCount: 1 },
      { filter: { city: 'riyadh' }, rowCount: 3 },
    ]);
  });

  it('pages through more than one batch without losing rows; a viewer may not export, nor a stranger', async () => {
    const owner = await signUp(t);
    await insertLeads(
      t,
      owner.tenantId,
      Array.from({ length: 2150 }, (_, i) => ({ name: `Lead ${i}`, score: i % 100 })),
    );
    const viewer = await joinAs(t, owner, 'VIEWER');
    const refused = await viewer.client.get(leadsUrl(owner.tenantId, '/export.csv'));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const res = await owner.client.get(leadsUrl(owner.tenantId, '/export.csv'));
    expect(res.status).toBe(200);
    const rows = parseCsv(res.text.slice(1)).slice(1);
    expect(rows).toHaveLength(2150);
    expect(new Set(rows.map((r) => r[r.length - 1])).size).toBe(2150);
    const stranger = await signUp(t);
    expect((await stranger.client.get(leadsUrl(owner.tenantId, '/export.csv'))).status).toBe(404);
  });
});

describe('dashboard', () => {
  it('counts leads by status and score band, new this week, and lists', async () => {
    const owner = await signUp(t);
    const old = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    await insertLeads(t, owner.tenantId, [
      { status: 'NEW', score: 10 },
      { status: 'NEW', score: 24 },
      { status: 'WON', score: 25, createdAt: old },
      { status: 'LOST', score: 74, createdAt: old },
      { status: 'QUALIFIED', score: 75 },
      { status: 'QUALIFIED', score: 100 },
    ]);
    await insertList(t, owner.tenantId);
    const other = await signUp(t);
    await insertLeads(t, other.tenantId, [{ status: 'NEW' }]);
    const viewer = await joinAs(t, owner, 'VIEWER');
    const res = await viewer.client.get(`/api/v1/tenants/${owner.tenantId}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      totalLeads: 6,
      newThisWeek: 4,
      byStatus: [
        { status: 'NEW', count: 2 },
        { status: 'CONTACTED', count: 0 },
        { status: 'QUALIFIED', count: 2 },
        { status: 'WON', count: 1 },
        { status: 'LOST', count: 1 },
      ],
      byScoreBand: [
        { band: '0-24', count: 2 },
        { band: '25-49', count: 1 },
        { band: '50-74', count: 1 },
        { band: '75-100', count: 2 },
      ],
      lists: 1,
    });
    expect((await other.client.get(`/api/v1/tenants/${owner.tenantId}/dashboard`)).status).toBe(404);
  });
});
