import type { Role } from '@optarget/shared';
import { leads, lists, memberships } from '../db/schema/index.js';
import { signUp, type SignedUpUser, type TestApp } from '../test/harness.js';

export const leadsUrl = (tenantId: string, rest = '', query: Record<string, string | number | boolean> = {}) => {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return `/api/v1/tenants/${tenantId}/leads${rest}${qs ? `?${qs}` : ''}`;
};

/** Leads written straight into the table, for filters, sorting and limits that need controlled data. */
export async function insertLeads(t: TestApp, tenantId: string, rows: Partial<typeof leads.$inferInsert>[]) {
  return t.database.db
    .insert(leads)
    .values(rows.map((r, i) => ({ name: `Lead ${i}`, ...r, tenantId })))
    .returning();
}

export async function insertList(t: TestApp, tenantId: string, name = `List ${Math.random().toString(36).slice(2, 8)}`) {
  const [list] = await t.database.db.insert(lists).values({ tenantId, name }).returning();
  return list;
}

export async function joinAs(t: TestApp, owner: SignedUpUser, role: Role, name = `${role} person`) {
  const person = await signUp(t, { name });
  await t.database.db.insert(memberships).values({ tenantId: owner.tenantId, userId: person.user.id, role });
  return person;
}
