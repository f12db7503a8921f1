import { and, asc, count, eq } from 'drizzle-orm';
import type { Role } from '@optarget/shared';
import { auditLogs, devOutbox, invites, memberships } from '../db/schema/index.js';
import { Client, completeSignUp, PASSWORD, uniqueEmail, type SignedUpUser, type TestApp } from '../test/harness.js';

/** Test helpers for team and invite tests. */

export async function signUpPerson(
  t: TestApp,
  opts: { name?: string; email?: string; inviteToken?: string } = {},
): Promise<SignedUpUser & { memberships: { tenantId: string; role: Role; name: string }[] }> {
  const client = new Client(t.app);
  const email = opts.email ?? uniqueEmail();
  const body = {
    name: opts.name ?? 'Test User',
    email,
    password: PASSWORD,
    ...(opts.inviteToken ? { inviteToken: opts.inviteToken } : {}),
  };
  const res = await client.post('/api/auth/sign-up/email', body);
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  await completeSignUp(t, client, email);
  const me = await client.get('/api/v1/me');
  return { client, user: me.body.user, tenantId: me.body.memberships[0]?.tenantId, email, memberships: me.body.memberships };
}

/** A new person who also belongs to `tenantId` with `role` (written directly: this is set-up, not the flow under test). */
export async function addPerson(t: TestApp, tenantId: string, role: Role, name = `${role} person`) {
  const person = await signUpPerson(t, { name });
  await t.database.db.insert(memberships).values({ tenantId, userId: person.user.id, role });
  return person;
}

export async function roleOf(t: TestApp, tenantId: string, userId: string): Promise<Role | null> {
  const [row] = await t.database.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}

export async function membersOf(t: TestApp, tenantId: string) {
  return t.database.db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(memberships.createdAt));
}

export async function invitesOf(t: TestApp, tenantId: string) {
  return t.database.db.select().from(invites).where(eq(invites.tenantId, tenantId)).orderBy(asc(invites.createdAt));
}

export async function auditOf(t: TestApp, tenantId: string, action: string) {
  return t.database.db
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.action, action)))
    .orderBy(asc(auditLogs.createdAt));
}

export async function emailsTo(t: TestApp, to: string) {
  const [row] = await t.database.db.select({ n: count() }).from(devOutbox).where(eq(devOutbox.to, to.toLowerCase()));
  return row.n;
}

/** The token in the invitation link of the newest email to `to`. */
export function tokenFromLink(link: string | null): string {
  const token = link ? new URL(link).searchParams.get('token') : null;
  if (!token) throw new Error(`no invitation token in ${link}`);
  return token;
}
