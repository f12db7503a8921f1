import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { leads } from './schema/index.js';
import { selectAsMember, withLiteralParameters } from './transactions.js';
import { insertLeads, joinAs } from '../leads/test-helpers.js';
import { signUp, startTestApp } from '../test/harness.js';

const t = await startTestApp();
const db = t.database.db;

describe('withLiteralParameters: the parameters of a statement written into it', () => {
  it('replaces each $n by its value as a quoted literal', () => {
    expect(withLiteralParameters('select * from leads where tenant_id = $1 and score >= $2 limit $3', ['t', 60, 51])).toBe(
      "select * from leads where tenant_id = 't' and score >= '60' limit '51'",
    );
    expect(withLiteralParameters('select $1, $2, $3', [null, true, undefined])).toBe("select null, 'true', null");
  });

  it('leaves quoted text of the statement alone', () => {
    expect(withLiteralParameters(`select '$1', "col$2", 'it''s $1', '', $1`, ['x'])).toBe(`select '$1', "col$2", 'it''s $1', '', 'x'`);
  });

  it('keeps every value, however it is quoted, a value: the database reads back exactly what was given', async () => {
    const values = ["O'Brien", 'back\\slash', "\\'; drop table leads; --", 'line\nbreak', 'مطعم الرياض', '$1', '"quoted"', ''];
    for (const value of values) {
      const text = withLiteralParameters('select $1::text as v', [value]);
      const { rows } = await t.database.executeSql(text);
      expect(rows[0].v).toBe(value);
    }
  });

  it('refuses what it cannot write safely', () => {
    expect(() => withLiteralParameters('select $1', [{ a: 1 }])).toThrow(/no literal form/);
    expect(() => withLiteralParameters('select $1', [Number.NaN])).toThrow(/no literal form/);
    expect(() => withLiteralParameters('select $2', ['a'])).toThrow(/parameter \$2 of 1/);
    expect(() => withLiteralParameters('select $$text$$', [])).toThrow(/dollar-quoted/);
    expect(() => withLiteralParameters("select 'open, $1", ['a'])).toThrow(/unterminated quote/);
  });
});

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
