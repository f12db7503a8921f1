import { describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import type { Role } from '@optarget/shared';
import { auditLogs, invites, leads, memberships, tenants, usageCounters } from '../db/schema/index.js';
import { newInviteToken, INVITE_TTL_MS } from '../invites/tokens.js';
import { inTenantTransaction } from '../db/transactions.js';
import { assertWithinPlan, currentPeriod } from './limits.js';
import { signUp, startTestApp, uniqueEmail, type SignedUpUser } from '../test/harness.js';

const t = await startTestApp();
const db = t.database.db;

/** Signs up someone new and makes them a member of `owner`'s tenant with `role`. */
async function joinAs(owner: SignedUpUser, role: Role) {
  const person = await signUp(t, { name: `${role} person` });
  await db.insert(memberships).values({ tenantId: owner.tenantId, userId: person.user.id, role });
  return person;
}

/** An open invitation, inserted directly so these tests do not depend on the invites API. */
async function openInvite(tenantId: string, email = uniqueEmail('invitee')) {
  const [row] = await db
    .insert(invites)
    .values({ tenantId, email, role: 'MEMBER', tokenHash: newInviteToken().tokenHash, expiresAt: new Date(Date.now() + INVITE_TTL_MS) })
    .returning();
  return row;
}

const planCodeOf = async (tenantId: string) =>
  (await db.select({ code: tenants.planCode }).from(tenants).where(eq(tenants.id, tenantId)))[0].code;
const auditCount = async (tenantId: string, action: string) =>
  (
    await db
      .select({ n: count() })
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.action, action)))
  )[0].n;
const usageOf = (body: { metrics: { metric: string; used: number; limit: number }[] }, metric: string) =>
  body.metrics.find((m) => m.metric === metric)!;

describe('plan catalogue', () => {
  it('lists free, pro and business in order with their limits, without signing in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/plans' });
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items.map((p: { code: string }) => p.code)).toEqual(['free', 'pro', 'business']);
    expect(items[0]).toEqual({
      code: 'free',
      name: 'Free',
      priceCents: 0,
      currency: 'USD',
      limits: { seats: 3, leads: 500, searches: 20, resultsPerSearch: 100, enrichments: 200, reports: 20, whatsappMessages: 100 },
    });
    expect(items[1]).toMatchObject({ code: 'pro', priceCents: 4900, limits: { seats: 10, leads: 25000 } });
  });
});

describe("a tenant's plan and usage", () => {
  it('a new tenant is on Free, visible to every member including viewers', async () => {
    const owner = await signUp(t);
    const viewer = await joinAs(owner, 'VIEWER');
    for (const who of [owner, viewer]) {
      const res = await who.client.get(`/api/v1/tenants/${owner.tenantId}/plan`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ code: 'free', name: 'Free', limits: { seats: 3 } });
    }
  });

  it('reports every metric for the current UTC month, with seats counting members and open invites', async () => {
    const owner = await signUp(t);
    const usage = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/usage`);
    expect(usage.status).toBe(200);
    expect(usage.body.period).toBe(new Date().toISOString().slice(0, 7));
    expect(usage.body.plan.code).toBe('free');
    expect(usage.body.metrics).toEqual([
      { metric: 'seats', used: 1, limit: 3, monthly: false },
      { metric: 'leads', used: 0, limit: 500, monthly: false },
      { metric: 'searches', used: 0, limit: 20, monthly: true },
      { metric: 'enrichments', used: 0, limit: 200, monthly: true },
      { metric: 'reports', used: 0, limit: 20, monthly: true },
      { metric: 'whatsappMessages', used: 0, limit: 100, monthly: true },
    ]);

    await joinAs(owner, 'MEMBER');
    await openInvite(owner.tenantId);
    await db.insert(leads).values({ tenantId: owner.tenantId, name: 'Clinic Al Noor' });
    await db.insert(usageCounters).values({ tenantId: owner.tenantId, period: currentPeriod(), metric: 'searches', count: 4 });
    // Last month's counter does not count against this month.
    await db.insert(usageCounters).values({ tenantId: owner.tenantId, period: '2000-01', metric: 'reports', count: 9 });

    const after = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/usage`);
    expect(usageOf(after.body, 'seats').used).toBe(3);
    expect(usageOf(after.body, 'leads').used).toBe(1);
    expect(usageOf(after.body, 'searches').used).toBe(4);
    expect(usageOf(after.body, 'reports').used).toBe(0);
  });

  it('a revoked or expired invite frees its seat', async () => {
    const owner = await signUp(t);
    const revoked = await openInvite(owner.tenantId);
    await db.update(invites).set({ revokedAt: new Date() }).where(eq(invites.id, revoked.id));
    const expired = await openInvite(owner.tenantId);
    await db
      .update(invites)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invites.id, expired.id));
    const usage = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/usage`);
    expect(usageOf(usage.body, 'seats').used).toBe(1);
  });
});

describe('changing the plan', () => {
  it('the owner upgrades; the change is audited with before/after and shows in usage', async () => {
    const owner = await signUp(t);
    const res = await owner.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'pro' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 'pro', limits: { seats: 10 } });
    expect(await planCodeOf(owner.tenantId)).toBe('pro');

    const usage = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/usage`);
    expect(usage.body.plan.code).toBe('pro');
    expect(usageOf(usage.body, 'seats').limit).toBe(10);

    const [entry] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'plan.changed')));
    expect(entry).toMatchObject({
      actorUserId: owner.user.id,
      actorEmail: owner.email,
      targetType: 'tenant',
      targetId: owner.tenantId,
      metadata: { before: { planCode: 'free' }, after: { planCode: 'pro' } },
    });
  });

  it('choosing the current plan changes nothing and writes no audit entry', async () => {
    const owner = await signUp(t);
    const res = await owner.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'free' });
    expect(res.status).toBe(200);
    expect(res.body.code).toBe('free');
    expect(await auditCount(owner.tenantId, 'plan.changed')).toBe(0);
  });

  it.each(['ADMIN', 'MEMBER', 'VIEWER'] as const)('%s cannot change the plan (403) and nothing changes', async (role) => {
    const owner = await signUp(t);
    const other = await joinAs(owner, role);
    const res = await other.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'business' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(await planCodeOf(owner.tenantId)).toBe('free');
    expect(await auditCount(owner.tenantId, 'plan.changed')).toBe(0);
  });

  it('refuses a downgrade the seats do not fit in with 402 naming seats, and nothing changes', async () => {
    const owner = await signUp(t);
    await owner.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'pro' });
    await joinAs(owner, 'MEMBER');
    await joinAs(owner, 'VIEWER');
    await openInvite(owner.tenantId); // 4 seats in use; Free has 3

    const res = await owner.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'free' });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'PLAN_LIMIT_EXCEEDED', metric: 'seats', limit: 3, used: 4, planCode: 'free' });
    expect(res.body.detail).toMatch(/Free plan includes 3 seats.*has 4/);
    expect(await planCodeOf(owner.tenantId)).toBe('pro');
    expect(await auditCount(owner.tenantId, 'plan.changed')).toBe(1);
  });

  it('refuses a downgrade the stored leads do not fit in, naming stored leads', async () => {
    const owner = await signUp(t);
    await owner.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'pro' });
    await db.insert(leads).values(Array.from({ length: 501 }, (_, i) => ({ tenantId: owner.tenantId, name: `Lead ${i}` })));

    const res = await owner.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'free' });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'PLAN_LIMIT_EXCEEDED', metric: 'leads', limit: 500, used: 501 });
    expect(res.body.detail).toMatch(/500 stored leads/);
    expect(await planCodeOf(owner.tenantId)).toBe('pro');
  });

  it('allows a downgrade that fits', async () => {
    const owner = await signUp(t);
    await owner.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'business' });
    const res = await owner.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'free' });
    expect(res.status).toBe(200);
    expect(await planCodeOf(owner.tenantId)).toBe('free');
    expect(await auditCount(owner.tenantId, 'plan.changed')).toBe(2);
  });

  it.each([
    ['an unknown plan', { planCode: 'platinum' }],
    ['a number', { planCode: 7 }],
    ['no plan', {}],
  ])('refuses %s with 400 naming planCode, and nothing changes', async (_label, body) => {
    const owner = await signUp(t);
    const res = await owner.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['planCode']);
    expect(await planCodeOf(owner.tenantId)).toBe('free');
  });

  it('signed-out callers get 401', async () => {
    const owner = await signUp(t);
    for (const [method, url] of [
      ['GET', `/api/v1/tenants/${owner.tenantId}/plan`],
      ['PUT', `/api/v1/tenants/${owner.tenantId}/plan`],
      ['GET', `/api/v1/tenants/${owner.tenantId}/usage`],
    ] as const) {
      const res = await t.app.inject({ method, url, payload: method === 'PUT' ? { planCode: 'pro' } : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
    expect(await planCodeOf(owner.tenantId)).toBe('free');
  });
});

describe('enforcing a limit under concurrency', () => {
  it('two requests racing for the last seat: one gets it, the other is refused with 402', async () => {
    const owner = await signUp(t);
    await joinAs(owner, 'MEMBER'); // 2 of Free's 3 seats in use
    const takeSeat = () =>
      inTenantTransaction(db, owner.tenantId, async (tx) => {
        await assertWithinPlan(tx, owner.tenantId, 'seats');
        // Widen the window between check and write, where an unserialised check would let both through.
        await tx.execute(sql`select pg_sleep(0.2)`);
        await tx.insert(invites).values({
          tenantId: owner.tenantId,
          email: uniqueEmail('race'),
          role: 'MEMBER',
          tokenHash: newInviteToken().tokenHash,
          expiresAt: new Date(Date.now() + INVITE_TTL_MS),
        });
      });
    const outcomes = await Promise.allSettled([takeSeat(), takeSeat()]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'PLAN_LIMIT_EXCEEDED' });
    const usage = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/usage`);
    expect(usageOf(usage.body, 'seats').used).toBe(3);
  });
});
