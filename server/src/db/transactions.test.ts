import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { leads } from './schema/index.js';
import { selectAsMember } from './transactions.js';
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
