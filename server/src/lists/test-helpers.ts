import { and, asc, eq } from 'drizzle-orm';
import type { Role } from '@optarget/shared';
import { auditLogs, leadLists, leads, lists, memberships } from '../db/schema/index.js';
import { signUp, type SignedUpUser, type TestApp } from '../test/harness.js';

/** Leads written straight into the table: set-up only, the leads API is not under test here. */
export async function insertLeads(t: TestApp, tenantId: string, names: string[]) {
  if (names.length === 0) return [];
  const rows = await t.database.db
    .insert(leads)
    .values(names.map((name) => ({ tenantId, name })))
    .returning({ id: leads.id });
  return rows.map((r) => r.id);
}

/** A second person in the owner's tenant with the given role. */
export async function teammate(t: TestApp, owner: SignedUpUser, role: Role) {
  const person = await signUp(t, { name: `A ${role.toLowerCase()}` });
  await t.database.db.insert(memberships).values({ tenantId: owner.tenantId, userId: person.user.id, role });
  return person;
}

/** Everything about a tenant's lists a user could notice: names, descriptions and members. */
export async function listsState(t: TestApp, tenantId: string) {
  const db = t.database.db;
  const rows = await db
    .select({ id: lists.id, name: lists.name, description: lists.description })
    .from(lists)
    .where(eq(lists.tenantId, tenantId))
    .orderBy(asc(lists.id));
  const members = await db
    .select({ listId: leadLists.listId, leadId: leadLists.leadId })
    .from(leadLists)
    .where(eq(leadLists.tenantId, tenantId))
    .orderBy(asc(leadLists.listId), asc(leadLists.leadId));
  const leadRows = await db.select({ id: leads.id }).from(leads).where(eq(leads.tenantId, tenantId)).orderBy(asc(leads.id));
  return { lists: rows, members, leads: leadRows.length };
}

export async function auditEntries(t: TestApp, tenantId: string, action: string) {
  return t.database.db
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.action, action)))
    .orderBy(asc(auditLogs.createdAt));
}

export const listsUrl = (tenantId: string, rest = '') => `/api/v1/tenants/${tenantId}/lists${rest}`;
