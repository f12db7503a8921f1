import { describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { auditLogs, leads, plans, tenants } from '../db/schema/index.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { insertLeads, joinAs, leadsUrl } from './test-helpers.js';

const t = await startTestApp();
const db = t.database.db;

const leadCount = async (tenantId: string) => (await db.select({ n: count() }).from(leads).where(eq(leads.tenantId, tenantId)))[0].n;
const auditOf = (tenantId: string, action: string) =>
  db
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.action, action)));

async function saudiTenant() {
  const owner = await signUp(t, { name: 'Nora Owner' });
  const res = await owner.client.patch(`/api/v1/tenants/${owner.tenantId}/settings/general`, { defaultCountry: 'sa' });
  expect(res.status).toBe(200);
  return owner;
}
const create = (who: SignedUpUser, body: Record<string, unknown>, tenantId = who.tenantId) => who.client.post(leadsUrl(tenantId), body);

describe('creating a lead', () => {
  it('stores the phone in E.164 using the default country, the website as URL + domain, the email in lower case', async () => {
    const owner = await saudiTenant();
    const res = await create(owner, {
      name: 'عيادة الأسنان الحديثة',
      category: 'Dentist',
      city: 'Riyadh',
      phone: '050 123 4567',
      email: 'Info@Clinic.SA',
      website: 'WWW.Clinic.com.sa/home/#team',
      tags: ['vip', 'vip', 'dental'],
      ownerUserId: owner.user.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'عيادة الأسنان الحديثة',
      phone: '+966501234567',
      email: 'info@clinic.sa',
      website: 'https://www.clinic.com.sa/home',
      domain: 'clinic.com.sa',
      source: 'manual',
      status: 'NEW',
      score: 0,
      tags: ['vip', 'dental'],
      owner: { id: owner.user.id, name: 'Nora Owner' },
    });
    expect((await owner.client.get(leadsUrl(owner.tenantId, `/${res.body.id}`))).body).toEqual(res.body);
    const [entry] = await auditOf(owner.tenantId, 'lead.created');
    expect(entry).toMatchObject({ targetType: 'lead', targetId: res.body.id, metadata: { name: 'عيادة الأسنان الحديثة' } });
  });

  it('answers 409 with the existing lead when the same phone is typed in another format', async () => {
    const owner = await saudiTenant();
    const first = await create(owner, { name: 'Smile Clinic', phone: '+966501234567' });
    for (const phone of ['050 123 4567', '0501234567', '+966 50 123 4567', '00966501234567']) {
      const dup = await create(owner, { name: 'Smile Clinic again', phone });
      expect(dup.status, phone).toBe(409);
      expect(dup.body).toMatchObject({ code: 'CONFLICT', reason: 'leadExists', existingLeadId: first.body.id, matchedOn: 'phone' });
    }
    expect(await leadCount(owner.tenantId)).toBe(1);
  });

  it('answers 409 for the same domain written with www, http or a path, but not for a shared host like facebook.com', async () => {
    const owner = await saudiTenant();
    const first = await create(owner, { name: 'Bright Dental', website: 'https://brightdental.com' });
    for (const website of ['www.brightdental.com', 'http://BrightDental.com/', 'https://shop.brightdental.com/contact?x=1']) {
      const dup = await create(owner, { name: 'Bright', website });
      expect(dup.status, website).toBe(409);
      expect(dup.body).toMatchObject({ existingLeadId: first.body.id, matchedOn: 'domain' });
    }
    const a = await create(owner, { name: 'Cafe One', website: 'https://facebook.com/cafeone' });
    const b = await create(owner, { name: 'Cafe Two', website: 'https://www.facebook.com/cafetwo' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toMatchObject({ website: 'https://facebook.com/cafeone', domain: null });
    const insta = await create(owner, { name: 'Cafe Three', website: 'instagram.com/cafe3' });
    expect(insta.body.domain).toBeNull();
    expect(await leadCount(owner.tenantId)).toBe(4);
  });

  it('does not dedupe across tenants', async () => {
    const a = await saudiTenant();
    const b = await saudiTenant();
    expect((await create(a, { name: 'Same', phone: '0501234567' })).status).toBe(201);
    expect((await create(b, { name: 'Same', phone: '0501234567' })).status).toBe(201);
  });

  it('rejects bad input with 400 naming the field and stores nothing', async () => {
    const owner = await signUp(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'No country code', phone: '050 123 4567' }, 'phone'],
      [{ name: 'Garbage phone', phone: 'call me' }, 'phone'],
      [{ name: 'Bad site', website: 'not a website' }, 'website'],
      [{ name: '' }, 'name'],
      [{ name: 'Bad email', email: 'nope' }, 'email'],
      [{ name: 'Bad status', status: 'HOT' }, 'status'],
      [{ name: 'Stranger owner', ownerUserId: '00000000-0000-4000-8000-000000000000' }, 'ownerUserId'],
    ];
    for (const [body, field] of cases) {
      const res = await create(owner, body);
      expect(res.status, field).toBe(400);
      expect(
        res.body.fields.map((f: { field: string }) => f.field),
        field,
      ).toContain(field);
    }
    const noCountry = await create(owner, { name: 'x', phone: '050 123 4567' });
    expect(noCountry.body.detail).toMatch(/default country/);
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it('answers 402 once the plan is full (free plan: 500 leads) and stores nothing', async () => {
    const owner = await signUp(t);
    const [free] = await db.select().from(plans).where(eq(plans.code, 'free'));
    const [tenant] = await db.select().from(tenants).where(eq(tenants.id, owner.tenantId));
    expect(tenant.planCode).toBe('free');
    await insertLeads(
      t,
      owner.tenantId,
      Array.from({ length: free.leadsStored }, (_, i) => ({ name: `Seeded ${i}` })),
    );
    const res = await create(owner, { name: 'One too many' });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'PLAN_LIMIT_EXCEEDED', metric: 'leads', limit: 500, used: 500 });
    expect(await leadCount(owner.tenantId)).toBe(500);
  });

  it('is refused to a viewer (403), allowed to a member', async () => {
    const owner = await signUp(t);
    const viewer = await joinAs(t, owner, 'VIEWER');
    const member = await joinAs(t, owner, 'MEMBER');
    expect((await create(viewer, { name: 'By viewer' }, owner.tenantId)).status).toBe(403);
    expect((await create(member, { name: 'By member' }, owner.tenantId)).status).toBe(201);
    expect(await leadCount(owner.tenantId)).toBe(1);
  });
});

describe('reading, changing and deleting a lead', () => {
  it('a change is stored, marks the fields as edited, and is audited with before/after of the changed fields only', async () => {
    const owner = await saudiTenant();
    const { body: lead } = await create(owner, { name: 'Old Name', city: 'Jeddah', phone: '0501234567' });
    const res = await owner.client.patch(leadsUrl(owner.tenantId, `/${lead.id}`), {
      name: 'New Name',
      city: 'Jeddah',
      phone: '0559876543',
      status: 'CONTACTED',
      notes: 'Called on Sunday',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'New Name',
      city: 'Jeddah',
      phone: '+966559876543',
      status: 'CONTACTED',
      notes: 'Called on Sunday',
    });
    const [row] = await db.select().from(leads).where(eq(leads.id, lead.id));
    expect(row.editedFields.sort()).toEqual(['name', 'notes', 'phone', 'status']);
    const [entry] = await auditOf(owner.tenantId, 'lead.updated');
    expect(entry.metadata).toEqual({
      before: { name: 'Old Name', phone: '+966501234567', status: 'NEW', notes: null },
      after: { name: 'New Name', phone: '+966559876543', status: 'CONTACTED', notes: 'Called on Sunday' },
    });
    const again = await owner.client.patch(leadsUrl(owner.tenantId, `/${lead.id}`), { name: 'New Name' });
    expect(again.status).toBe(200);
    expect(await auditOf(owner.tenantId, 'lead.updated')).toHaveLength(1);
  });

  it("changing the phone to another lead's answers 409 and leaves the lead as it was", async () => {
    const owner = await saudiTenant();
    const { body: a } = await create(owner, { name: 'A', phone: '0501111111' });
    const { body: b } = await create(owner, { name: 'B', phone: '0502222222' });
    const res = await owner.client.patch(leadsUrl(owner.tenantId, `/${b.id}`), { phone: '+966 50 111 1111' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ existingLeadId: a.id, matchedOn: 'phone' });
    expect((await owner.client.get(leadsUrl(owner.tenantId, `/${b.id}`))).body.phone).toBe('+966502222222');
    const bad = await owner.client.patch(leadsUrl(owner.tenantId, `/${b.id}`), { phone: '12' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toBe('phone');
  });

  it('a delete removes the lead and is audited with its name; the activity shows the lead history newest first', async () => {
    const owner = await saudiTenant();
    const { body: lead } = await create(owner, { name: 'Short-lived' });
    await owner.client.patch(leadsUrl(owner.tenantId, `/${lead.id}`), { status: 'QUALIFIED' });
    const activity = await owner.client.get(leadsUrl(owner.tenantId, `/${lead.id}/activity`));
    expect(activity.status).toBe(200);
    expect(activity.body.items.map((e: { action: string }) => e.action)).toEqual(['lead.updated', 'lead.created']);
    expect(activity.body.items[0]).toMatchObject({ actorName: 'Nora Owner', metadata: { after: { status: 'QUALIFIED' } } });

    expect((await owner.client.delete(leadsUrl(owner.tenantId, `/${lead.id}`))).status).toBe(204);
    expect((await owner.client.get(leadsUrl(owner.tenantId, `/${lead.id}`))).status).toBe(404);
    expect((await owner.client.delete(leadsUrl(owner.tenantId, `/${lead.id}`))).status).toBe(404);
    const [entry] = await auditOf(owner.tenantId, 'lead.deleted');
    expect(entry).toMatchObject({ targetId: lead.id, metadata: { name: 'Short-lived' } });
  });

  it("another tenant's lead id is 404 on every lead endpoint, and the lead is unchanged", async () => {
    const a = await saudiTenant();
    const b = await saudiTenant();
    const { body: lead } = await create(a, { name: 'Private' });
    const [before] = await db.select().from(leads).where(eq(leads.id, lead.id));
    const inB = (rest: string) => leadsUrl(b.tenantId, rest);
    for (const res of [
      await b.client.get(inB(`/${lead.id}`)),
      await b.client.patch(inB(`/${lead.id}`), { name: 'Hijacked' }),
      await b.client.delete(inB(`/${lead.id}`)),
      await b.client.get(inB(`/${lead.id}/activity`)),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    const [after] = await db.select().from(leads).where(eq(leads.id, lead.id));
    expect(after).toEqual(before);
  });

  it('a viewer reads but cannot change or delete', async () => {
    const owner = await saudiTenant();
    const viewer = await joinAs(t, owner, 'VIEWER');
    const { body: lead } = await create(owner, { name: 'Read only' });
    expect((await viewer.client.get(leadsUrl(owner.tenantId, `/${lead.id}`))).status).toBe(200);
    expect((await viewer.client.get(leadsUrl(owner.tenantId, `/${lead.id}/activity`))).status).toBe(200);
    expect((await viewer.client.patch(leadsUrl(owner.tenantId, `/${lead.id}`), { name: 'x' })).status).toBe(403);
    expect((await viewer.client.delete(leadsUrl(owner.tenantId, `/${lead.id}`))).status).toBe(403);
    expect((await owner.client.get(leadsUrl(owner.tenantId, `/${lead.id}`))).body.name).toBe('Read only');
  });
});
