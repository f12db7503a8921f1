import { startTestApp } from '../test/harness.js';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { tenants } from '../db/schema/index.js';
import { uniqueEmail } from '../test/harness.js';
import { addPerson, auditOf, emailsTo, invitesOf, membersOf, signUpPerson } from './test-users.js';

const t = await startTestApp();

/**
 * Tenant A with a member and an open invite, and the owner of tenant B, who knows A's ids.
 * Every team and invite endpoint must treat A as if it did not exist for B's owner.
 */
async function twoTenants() {
  const ownerA = await signUpPerson(t, { name: 'Alice A' });
  await t.database.db.update(tenants).set({ planCode: 'pro' }).where(eq(tenants.id, ownerA.tenantId));
  const memberA = await addPerson(t, ownerA.tenantId, 'MEMBER');
  const invitedA = uniqueEmail('invited-a');
  const inviteA = await ownerA.client.post(`/api/v1/tenants/${ownerA.tenantId}/invites`, { email: invitedA, role: 'MEMBER' });
  const ownerB = await signUpPerson(t, { name: 'Bob B' });
  return { ownerA, memberA, inviteId: inviteA.body.id as string, invitedA, ownerB, a: ownerA.tenantId, b: ownerB.tenantId };
}

async function snapshot(tenantId: string) {
  return { members: await membersOf(t, tenantId), invites: await invitesOf(t, tenantId) };
}

describe("another tenant's ids", () => {
  it('answer 404 on every team and invite endpoint under that tenant, and change nothing', async () => {
    const s = await twoTenants();
    const before = await snapshot(s.a);
    const A = `/api/v1/tenants/${s.a}`;
    const calls = [
      s.ownerB.client.get(`${A}/members`),
      s.ownerB.client.patch(`${A}/members/${s.memberA.user.id}`, { role: 'ADMIN' }),
      s.ownerB.client.delete(`${A}/members/${s.memberA.user.id}`),
      s.ownerB.client.post(`${A}/leave`),
      s.ownerB.client.post(`${A}/transfer-ownership`, { userId: s.memberA.user.id }),
      s.ownerB.client.get(`${A}/invites`),
      s.ownerB.client.post(`${A}/invites`, { email: uniqueEmail(), role: 'MEMBER' }),
      s.ownerB.client.post(`${A}/invites/bulk`, { emails: uniqueEmail(), role: 'MEMBER' }),
      s.ownerB.client.post(`${A}/invites/${s.inviteId}/resend`),
      s.ownerB.client.delete(`${A}/invites/${s.inviteId}`),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect(await snapshot(s.a)).toEqual(before);
    expect(await emailsTo(t, s.invitedA)).toBe(1);
    expect(await auditOf(t, s.a, 'invite.resent')).toEqual([]);
  });

  it("answer 404 when used under the caller's own tenant, and change nothing", async () => {
    const s = await twoTenants();
    const before = { a: await snapshot(s.a), b: await snapshot(s.b) };
    const B = `/api/v1/tenants/${s.b}`;
    const calls = [
      s.ownerB.client.patch(`${B}/members/${s.memberA.user.id}`, { role: 'ADMIN' }),
      s.ownerB.client.delete(`${B}/members/${s.memberA.user.id}`),
      s.ownerB.client.post(`${B}/transfer-ownership`, { userId: s.memberA.user.id }),
      s.ownerB.client.post(`${B}/invites/${s.inviteId}/resend`),
      s.ownerB.client.delete(`${B}/invites/${s.inviteId}`),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBe(404);
    expect({ a: await snapshot(s.a), b: await snapshot(s.b) }).toEqual(before);
    expect(await emailsTo(t, s.invitedA)).toBe(1);
  });

  it('never show up in the lists of the caller’s own tenant', async () => {
    const s = await twoTenants();
    const members = await s.ownerB.client.get(`/api/v1/tenants/${s.b}/members`);
    expect(members.body.items.map((m: { userId: string }) => m.userId)).toEqual([s.ownerB.user.id]);
    expect((await s.ownerB.client.get(`/api/v1/tenants/${s.b}/invites`)).body.items).toEqual([]);
  });
});
