import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { leads } from './schema/index.js';
import { asUrgent, inBackground, inTenantTransaction, selectAsMember, urgentWorkInProgress } from './transactions.js';
import { insertLeads, joinAs } from '../leads/test-helpers.js';
import { signUp, startTestApp } from '../test/harness.js';

const t = await startTestApp();
const db = t.database.db;

describe('selectAsMember: one SELECT in the tenant, with the caller’s role read alongside', () => {
  const everyone = ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'] as const;
  // No tenant filter on purpose: only row-level security decides what this statement sees.
  const allLeadNames = sql`select ${leads.name} as "name" from ${leads} order by ${leads.name}`;

  it('answers a member the rows of their tenant and nothing of another', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    await insertLeads(t, owner.tenantId, [{ name: 'Alpha Dental' }, { name: 'Beta Dental' }]);
    await insertLeads(t, other.tenantId, [{ name: 'Foreign Clinic' }]);

    const result = await selectAsMember<{ name: string }>(
      db,
      { tenantId: owner.tenantId, userId: owner.user.id, roles: everyone },
      allLeadNames,
    );
    expect(result.role).toBe('OWNER');
    expect(result.rows.map((r) => r.name)).toEqual(['Alpha Dental', 'Beta Dental']);
  });

  it('shows a stranger no rows of the tenant they name, and no role', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    await insertLeads(t, owner.tenantId, [{ name: 'Private Lead' }]);

    const result = await selectAsMember(db, { tenantId: owner.tenantId, userId: stranger.user.id, roles: everyone }, allLeadNames);
    expect(result).toEqual({ role: null, rows: [] });
  });

  it('shows a member whose role the policy refuses no rows, but tells their role', async () => {
    const owner = await signUp(t);
    const viewer = await joinAs(t, owner, 'VIEWER');
    await insertLeads(t, owner.tenantId, [{ name: 'Kept From Viewers' }]);

    const result = await selectAsMember(db, { tenantId: owner.tenantId, userId: viewer.user.id, roles: ['OWNER', 'ADMIN'] }, allLeadNames);
    expect(result).toEqual({ role: 'VIEWER', rows: [] });
  });

  it('passes the SELECT’s parameters as values, and leaves the connection usable after a failing statement', async () => {
    const owner = await signUp(t);
    await insertLeads(t, owner.tenantId, [{ name: "O'Brien Dental" }, { name: 'Other' }]);
    const access = { tenantId: owner.tenantId, userId: owner.user.id, roles: everyone };

    const named = await selectAsMember<{ name: string }>(
      db,
      access,
      sql`select ${leads.name} as "name" from ${leads} where ${leads.name} = ${"O'Brien Dental"}`,
    );
    expect(named.rows).toEqual([{ name: "O'Brien Dental" }]);

    const failure: Error & { cause?: Error } = await selectAsMember(db, access, sql`select ${'not a number'}::int`).catch((e) => e);
    expect(failure.cause?.message ?? failure.message).toMatch(/invalid input syntax/);
    // Every connection of the pool still works, outside any transaction.
    for (let i = 0; i < 6; i++) {
      const again = await selectAsMember<{ name: string }>(db, access, allLeadNames);
      expect(again.rows).toHaveLength(2);
    }
    // …and with neither the tenant nor the app role left behind on it.
    const { rows } = await t.database.executeSql('select current_setting($1, true) as tenant, current_user as role', ['app.tenant_id']);
    expect(rows[0].tenant ?? '').toBe('');
    expect(rows[0].role).not.toBe('optarget_app');
  });
});

describe('the embedded database keeps requests ahead of background work', () => {
  it('lets timers and I/O in between the statements of a long transaction', async () => {
    const owner = await signUp(t);
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 1);
    const ticksDuring = await inBackground(db, () =>
      inTenantTransaction(db, owner.tenantId, async (tx) => {
        const before = ticks;
        for (let i = 0; i < 200; i++) await tx.execute(sql`select ${i}::int`);
        return ticks - before;
      }),
    ).finally(() => clearInterval(ticking));
    expect(ticksDuring).toBeGreaterThan(0);
  });

  it.runIf(t.database.driver === 'pglite')('runs a member’s request before a job’s next transaction', async () => {
    const owner = await signUp(t);
    const order: string[] = [];
    const firstBatch = inBackground(db, () =>
      inTenantTransaction(db, owner.tenantId, async (tx) => {
        for (let i = 0; i < 20; i++) await tx.execute(sql`select ${i}::int`);
        order.push('job, first transaction');
      }),
    );
    // The request comes in while the job's transaction runs, and needs two turns on the connection.
    await new Promise((resolve) => setImmediate(resolve));
    const request = selectAsMember(db, { tenantId: owner.tenantId, userId: owner.user.id, roles: ['OWNER'] }, sql`select 1 as one`).then(
      (result) => order.push(`request (${result.rows.length} row)`),
    );
    const nextBatch = firstBatch.then(() =>
      inBackground(db, () => inTenantTransaction(db, owner.tenantId, async () => void order.push('job, next transaction'))),
    );
    await Promise.all([firstBatch, request, nextBatch]);
    expect(order).toEqual(['job, first transaction', 'request (1 row)', 'job, next transaction']);
  });
});

describe('urgent work goes before background work, on either database', () => {
  it('holds a job’s next transaction while urgent work (a webhook delivery being stored) is in progress', async () => {
    const owner = await signUp(t);
    const order: string[] = [];
    let finishUrgent!: () => void;
    const urgent = asUrgent(db, () => new Promise<void>((resolve) => (finishUrgent = resolve))).then(() => order.push('urgent work'));
    const job = inBackground(db, () => inTenantTransaction(db, owner.tenantId, async () => void order.push('job transaction')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual([]);
    finishUrgent();
    await Promise.all([urgent, job]);
    expect(order).toEqual(['urgent work', 'job transaction']);
  });

  it('holds it also through the pause that urgent work arriving in bursts asks for, and says so to the job', async () => {
    const owner = await signUp(t);
    await asUrgent(db, async () => expect(urgentWorkInProgress(db)).toBe(true), { pauseAfterMs: 150 });
    const ended = performance.now();
    expect(urgentWorkInProgress(db), 'within the pause').toBe(true);
    let startedAfter = 0;
    await inBackground(db, () =>
      inTenantTransaction(db, owner.tenantId, async () => {
        startedAfter = performance.now() - ended;
      }),
    );
    expect(startedAfter).toBeGreaterThanOrEqual(145);
    expect(urgentWorkInProgress(db), 'after the pause').toBe(false);
  });
});
