import { startTestApp } from '../test/harness.js';
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { tenants } from '../db/schema/index.js';
import type { Reply } from '../test/harness.js';
import { addPerson, auditOf, membersOf, roleOf, signUpPerson } from './test-users.js';

const t = await startTestApp();

/** An organization on the Pro plan (room for a team) with its owner. */
async function newTeam(ownerName = 'Olivia Owner') {
  const owner = await signUpPerson(t, { name: ownerName });
  await t.database.db.update(tenants).set({ planCode: 'pro' }).where(eq(tenants.id, owner.tenantId));
  return { owner, tenantId: owner.tenantId, url: `/api/v1/tenants/${owner.tenantId}` };
}

describe('listing members', () => {
  it('shows every member with name, email, role and join date, oldest first, to any role', async () => {
    const { owner, tenantId, url } = await newTeam();
    const admin = await addPerson(t, tenantId, 'ADMIN', 'Ada Admin');
    const viewer = await addPerson(t, tenantId, 'VIEWER', 'Vic Viewer');

    const res = await viewer.client.get(`${url}/members`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((m: { userId: string }) => m.userId)).toEqual([owner.user.id, admin.user.id, viewer.user.id]);
    expect(res.body.items[1]).toEqual({
      userId: admin.user.id,
      name: 'Ada Admin',
      email: admin.email,
      role: 'ADMIN',
      joinedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it("pages with an opaque cursor, without gaps or repeats, the first page counting the team and no one else's", async () => {
    const { owner, tenantId, url } = await newTeam();
    const elsewhere = await newTeam();
    await addPerson(t, elsewhere.tenantId, 'MEMBER');
    const others = [];
    for (const role of ['MEMBER', 'MEMBER', 'VIEWER', 'ADMIN'] as const) others.push(await addPerson(t, tenantId, role));
    const expected = [owner.user.id, ...others.map((o) => o.user.id)];

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Reply = await owner.client.get(`${url}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((m: { userId: string }) => m.userId));
      // Only the first page counts; the rows later pages add were counted with it.
      expect(res.body.total).toEqual(pages === 0 ? { count: 5, exact: true } : null);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
    expect((await elsewhere.owner.client.get(`${elsewhere.url}/members`)).body.total).toEqual({ count: 2, exact: true });
  });

  it('rejects a cursor it did not make and a limit out of range, naming the parameter', async () => {
    const { owner, url } = await newTeam();
    const badCursor = await owner.client.get(`${url}/members?cursor=not-a-cursor`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.fields).toEqual([{ field: 'querystring.cursor', message: expect.any(String), rule: 'cursor' }]);

    const badLimit = await owner.client.get(`${url}/members?limit=0`);
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.fields[0].field).toBe('querystring.limit');
  });

  it('asks to sign in first', async () => {
    const { tenantId } = await newTeam();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tenants/${tenantId}/members` });
    expect(res.statusCode).toBe(401);
  });
});

describe('changing a role', () => {
  it('lets the owner promote a member, answers the updated member and audits before and after', async () => {
    const { owner, tenantId, url } = await newTeam();
    const member = await addPerson(t, tenantId, 'MEMBER', 'Mo Member');

    const res = await owner.client.patch(`${url}/members/${member.user.id}`, { role: 'ADMIN' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: member.user.id, name: 'Mo Member', email: member.email, role: 'ADMIN' });
    expect(await roleOf(t, tenantId, member.user.id)).toBe('ADMIN');

    const [entry] = await auditOf(t, tenantId, 'member.role_changed');
    expect(entry).toMatchObject({
      actorUserId: owner.user.id,
      targetType: 'user',
      targetId: member.user.id,
      metadata: { email: member.email, before: { role: 'MEMBER' }, after: { role: 'ADMIN' } },
    });
  });

  it('lets an admin change members and viewers, but never give OWNER nor touch an owner', async () => {
    const { tenantId, url } = await newTeam();
    const admin = await addPerson(t, tenantId, 'ADMIN');
    const member = await addPerson(t, tenantId, 'MEMBER');
    const coOwner = await addPerson(t, tenantId, 'OWNER');

    expect((await admin.client.patch(`${url}/members/${member.user.id}`, { role: 'VIEWER' })).status).toBe(200);
    expect(await roleOf(t, tenantId, member.user.id)).toBe('VIEWER');

    const promote = await admin.client.patch(`${url}/members/${member.user.id}`, { role: 'OWNER' });
    expect(promote.status).toBe(403);
    expect(promote.body.code).toBe('FORBIDDEN');
    expect(await roleOf(t, tenantId, member.user.id)).toBe('VIEWER');

    const demoteOwner = await admin.client.patch(`${url}/members/${coOwner.user.id}`, { role: 'MEMBER' });
    expect(demoteOwner.status).toBe(403);
    expect(await roleOf(t, tenantId, coOwner.user.id)).toBe('OWNER');
    expect(await auditOf(t, tenantId, 'member.role_changed')).toHaveLength(1);
  });

  it('keeps the last owner: demoting them answers 409 LAST_OWNER; with a second owner it works', async () => {
    const { owner, tenantId, url } = await newTeam();
    const alone = await owner.client.patch(`${url}/members/${owner.user.id}`, { role: 'ADMIN' });
    expect(alone.status).toBe(409);
    expect(alone.body.code).toBe('LAST_OWNER');
    expect(await roleOf(t, tenantId, owner.user.id)).toBe('OWNER');

    const second = await addPerson(t, tenantId, 'OWNER');
    expect((await owner.client.patch(`${url}/members/${owner.user.id}`, { role: 'ADMIN' })).status).toBe(200);
    const last = await second.client.patch(`${url}/members/${second.user.id}`, { role: 'MEMBER' });
    expect(last.status).toBe(409);
    expect(await membersOf(t, tenantId)).toEqual([
      { userId: owner.user.id, role: 'ADMIN' },
      { userId: second.user.id, role: 'OWNER' },
    ]);
  });

  it('keeps one owner when two owners demote each other at the same moment', async () => {
    const { owner, tenantId, url } = await newTeam();
    const second = await addPerson(t, tenantId, 'OWNER');
    const statuses = await Promise.all([
      owner.client.patch(`${url}/members/${second.user.id}`, { role: 'ADMIN' }),
      second.client.patch(`${url}/members/${owner.user.id}`, { role: 'ADMIN' }),
    ]);
    // The loser either waited for the winner (now an admin, so 403) or lost the last-owner check (409).
    const [won, lost] = statuses.map((r) => r.status).sort();
    expect(won).toBe(200);
    expect([403, 409]).toContain(lost);
    expect((await membersOf(t, tenantId)).filter((m) => m.role === 'OWNER')).toHaveLength(1);
  });

  it('answers 404 for someone who is not a member here', async () => {
    const { owner, url } = await newTeam();
    const outsider = await signUpPerson(t);
    for (const userId of [randomUUID(), outsider.user.id]) {
      const res = await owner.client.patch(`${url}/members/${userId}`, { role: 'ADMIN' });
      expect(res.status).toBe(404);
    }
    expect(await roleOf(t, outsider.tenantId, outsider.user.id)).toBe('OWNER');
  });

  it('rejects an unknown role, a missing role and a malformed user id, naming the field', async () => {
    const { owner, tenantId, url } = await newTeam();
    const member = await addPerson(t, tenantId, 'MEMBER');

    const unknownRole = await owner.client.patch(`${url}/members/${member.user.id}`, { role: 'SUPERUSER' });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.fields.map((f: { field: string }) => f.field)).toEqual(['role']);

    const missingRole = await owner.client.patch(`${url}/members/${member.user.id}`, {});
    expect(missingRole.status).toBe(400);
    expect(missingRole.body.fields[0].field).toBe('role');

    const badId = await owner.client.patch(`${url}/members/not-a-uuid`, { role: 'ADMIN' });
    expect(badId.status).toBe(400);
    expect(badId.body.fields[0].field).toBe('params.userId');

    expect(await roleOf(t, tenantId, member.user.id)).toBe('MEMBER');
    expect(await auditOf(t, tenantId, 'member.role_changed')).toHaveLength(0);
  });
});

describe('removing a member', () => {
  it('removes them (they lose access at once) and audits who was removed with their role', async () => {
    const { owner, tenantId, url } = await newTeam();
    const member = await addPerson(t, tenantId, 'MEMBER');

    const res = await owner.client.delete(`${url}/members/${member.user.id}`);
    expect(res.status).toBe(204);
    expect(await roleOf(t, tenantId, member.user.id)).toBeNull();
    expect((await member.client.get(`${url}/members`)).status).toBe(404);

    const [entry] = await auditOf(t, tenantId, 'member.removed');
    expect(entry).toMatchObject({
      actorUserId: owner.user.id,
      targetId: member.user.id,
      metadata: { email: member.email, before: { role: 'MEMBER' } },
    });
  });

  it('does not let an admin remove an owner', async () => {
    const { owner, tenantId, url } = await newTeam();
    const admin = await addPerson(t, tenantId, 'ADMIN');
    const res = await admin.client.delete(`${url}/members/${owner.user.id}`);
    expect(res.status).toBe(403);
    expect(await roleOf(t, tenantId, owner.user.id)).toBe('OWNER');
  });

  it('does not remove the last owner', async () => {
    const { owner, tenantId, url } = await newTeam();
    const res = await owner.client.delete(`${url}/members/${owner.user.id}`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('LAST_OWNER');
    expect(await roleOf(t, tenantId, owner.user.id)).toBe('OWNER');
  });

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    const { owner, tenantId, url } = await newTeam();
    expect((await owner.client.delete(`${url}/members/${randomUUID()}`)).status).toBe(404);
    const bad = await owner.client.delete(`${url}/members/123`);
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toBe('params.userId');
    expect(await membersOf(t, tenantId)).toHaveLength(1);
  });
});

describe('leaving', () => {
  it('lets any member leave, audited as member.left', async () => {
    const { tenantId, url } = await newTeam();
    const viewer = await addPerson(t, tenantId, 'VIEWER');
    const res = await viewer.client.post(`${url}/leave`);
    expect(res.status).toBe(204);
    expect(await roleOf(t, tenantId, viewer.user.id)).toBeNull();
    const [entry] = await auditOf(t, tenantId, 'member.left');
    expect(entry).toMatchObject({ actorUserId: viewer.user.id, targetId: viewer.user.id, metadata: { before: { role: 'VIEWER' } } });
    // Their own organization is untouched.
    expect(await roleOf(t, viewer.tenantId, viewer.user.id)).toBe('OWNER');
  });

  it('keeps the last owner until there is another one', async () => {
    const { owner, tenantId, url } = await newTeam();
    const refused = await owner.client.post(`${url}/leave`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('LAST_OWNER');
    expect(await roleOf(t, tenantId, owner.user.id)).toBe('OWNER');

    await addPerson(t, tenantId, 'OWNER');
    expect((await owner.client.post(`${url}/leave`)).status).toBe(204);
    expect(await roleOf(t, tenantId, owner.user.id)).toBeNull();
  });
});

describe('transferring ownership', () => {
  it('makes the member the owner and the caller an admin, audited with before and after', async () => {
    const { owner, tenantId, url } = await newTeam();
    const member = await addPerson(t, tenantId, 'MEMBER');

    const res = await owner.client.post(`${url}/transfer-ownership`, { userId: member.user.id });
    expect(res.status).toBe(204);
    expect(await membersOf(t, tenantId)).toEqual([
      { userId: owner.user.id, role: 'ADMIN' },
      { userId: member.user.id, role: 'OWNER' },
    ]);
    const [entry] = await auditOf(t, tenantId, 'ownership.transferred');
    expect(entry).toMatchObject({
      actorUserId: owner.user.id,
      targetId: member.user.id,
      metadata: {
        email: member.email,
        before: { newOwnerRole: 'MEMBER', previousOwnerRole: 'OWNER' },
        after: { newOwnerRole: 'OWNER', previousOwnerRole: 'ADMIN' },
      },
    });
    // The former owner, now an admin, cannot transfer again.
    expect((await owner.client.post(`${url}/transfer-ownership`, { userId: owner.user.id })).status).toBe(403);
  });

  it('answers 404 for someone outside the organization and 400 for yourself or a malformed id', async () => {
    const { owner, tenantId, url } = await newTeam();
    const outsider = await signUpPerson(t);
    expect((await owner.client.post(`${url}/transfer-ownership`, { userId: outsider.user.id })).status).toBe(404);

    const self = await owner.client.post(`${url}/transfer-ownership`, { userId: owner.user.id });
    expect(self.status).toBe(400);
    expect(self.body.fields[0]).toMatchObject({ field: 'userId', rule: 'otherMember' });

    const malformed = await owner.client.post(`${url}/transfer-ownership`, { userId: 'nope' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields[0].field).toBe('userId');

    expect(await membersOf(t, tenantId)).toEqual([{ userId: owner.user.id, role: 'OWNER' }]);
    expect(await auditOf(t, tenantId, 'ownership.transferred')).toHaveLength(0);
  });
});
