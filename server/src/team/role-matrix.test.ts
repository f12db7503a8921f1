import { startTestApp } from '../test/harness.js';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Role } from '@optarget/shared';
import { tenants } from '../db/schema/index.js';
import { uniqueEmail } from '../test/harness.js';
import { addPerson, invitesOf, roleOf, signUpPerson } from './test-users.js';

const t = await startTestApp();

/** A Pro organization with its owner, the person acting with `role`, a MEMBER to act on and an open invite. */
async function teamActedOnBy(role: Role) {
  const owner = await signUpPerson(t, { name: 'Olivia Owner' });
  const tenantId = owner.tenantId;
  await t.database.db.update(tenants).set({ planCode: 'pro' }).where(eq(tenants.id, tenantId));
  const actor = role === 'OWNER' ? owner : await addPerson(t, tenantId, role);
  const target = await addPerson(t, tenantId, 'MEMBER', 'Tara Target');
  const invite = await owner.client.post(`/api/v1/tenants/${tenantId}/invites`, { email: uniqueEmail(), role: 'VIEWER' });
  return { tenantId, actor, target, inviteId: invite.body.id as string, url: `/api/v1/tenants/${tenantId}` };
}

type Setup = Awaited<ReturnType<typeof teamActedOnBy>>;
type Case = {
  action: string;
  allowed: Role[];
  ok: number;
  run: (s: Setup) => Promise<{ status: number }>;
  /** Whether the action's effect is in the database (absent for reads). */
  changed?: (s: Setup) => Promise<boolean>;
};

// Who may do what, straight from docs/architecture.md ("Roles"): managing the team is for owners and admins, transferring ownership for owners.
const matrix: Case[] = [
  {
    action: 'list members',
    allowed: ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'],
    ok: 200,
    run: (s) => s.actor.client.get(`${s.url}/members`),
  },
  {
    action: 'change a role',
    allowed: ['OWNER', 'ADMIN'],
    ok: 200,
    run: (s) => s.actor.client.patch(`${s.url}/members/${s.target.user.id}`, { role: 'VIEWER' }),
    changed: async (s) => (await roleOf(t, s.tenantId, s.target.user.id)) === 'VIEWER',
  },
  {
    action: 'remove a member',
    allowed: ['OWNER', 'ADMIN'],
    ok: 204,
    run: (s) => s.actor.client.delete(`${s.url}/members/${s.target.user.id}`),
    changed: async (s) => (await roleOf(t, s.tenantId, s.target.user.id)) === null,
  },
  {
    action: 'invite',
    allowed: ['OWNER', 'ADMIN'],
    ok: 201,
    run: (s) => s.actor.client.post(`${s.url}/invites`, { email: uniqueEmail(), role: 'VIEWER' }),
    changed: async (s) => (await invitesOf(t, s.tenantId)).length === 2,
  },
  {
    action: 'revoke an invite',
    allowed: ['OWNER', 'ADMIN'],
    ok: 204,
    run: (s) => s.actor.client.delete(`${s.url}/invites/${s.inviteId}`),
    changed: async (s) => (await invitesOf(t, s.tenantId))[0].revokedAt !== null,
  },
  {
    action: 'transfer ownership',
    allowed: ['OWNER'],
    ok: 204,
    run: (s) => s.actor.client.post(`${s.url}/transfer-ownership`, { userId: s.target.user.id }),
    changed: async (s) => (await roleOf(t, s.tenantId, s.target.user.id)) === 'OWNER',
  },
];

describe.each(matrix)('$action', ({ allowed, ok, run, changed }) => {
  it.each(['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'] as const)('as %s', async (role) => {
    const setup = await teamActedOnBy(role);
    const res = await run(setup);
    const isAllowed = allowed.includes(role);
    expect(res.status).toBe(isAllowed ? ok : 403);
    if (changed) expect(await changed(setup)).toBe(isAllowed);
  });
});
