import { startTestApp } from '../test/harness.js';
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { invites, tenants } from '../db/schema/index.js';
import { lastEmailTo, linkIn, uniqueEmail } from '../test/harness.js';
import { addPerson, auditOf, emailsTo, invitesOf, roleOf, signUpPerson, tokenFromLink } from '../team/test-users.js';
import { hashInviteToken } from './tokens.js';

const t = await startTestApp();
const DAY = 24 * 60 * 60 * 1000;

async function newTeam(opts: { plan?: 'free' | 'pro'; ownerName?: string } = {}) {
  const owner = await signUpPerson(t, { name: opts.ownerName ?? 'Olivia Owner' });
  if (opts.plan === 'pro') await t.database.db.update(tenants).set({ planCode: 'pro' }).where(eq(tenants.id, owner.tenantId));
  return { owner, tenantId: owner.tenantId, url: `/api/v1/tenants/${owner.tenantId}` };
}

/** The invitation link's token from the newest email to `email`. */
async function inviteTokenSentTo(email: string) {
  const message = await lastEmailTo(t, email);
  return tokenFromLink(linkIn(message?.text ?? ''));
}

async function expire(inviteId: string) {
  await t.database.db
    .update(invites)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(invites.id, inviteId));
}

describe('inviting someone by email', () => {
  it('stores the invite, emails a link with the token and audits it without the token', async () => {
    const { owner, tenantId, url } = await newTeam({ ownerName: 'Olivia Owner' });
    const email = uniqueEmail('newcomer');

    const res = await owner.client.post(`${url}/invites`, { email: email.toUpperCase(), role: 'MEMBER' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, role: 'MEMBER', status: 'PENDING', invitedBy: { id: owner.user.id, name: 'Olivia Owner' } });
    const expiresIn = Date.parse(res.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(7 * DAY - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(7 * DAY);

    const message = await lastEmailTo(t, email);
    expect(message?.subject).toBe("Olivia Owner invited you to Olivia Owner's Organization on OpTarget");
    expect(message?.text).toContain('as a member');
    const link = linkIn(message.text)!;
    expect(link.startsWith('http://localhost:3000/invite?token=')).toBe(true);
    const token = tokenFromLink(link);

    const [row] = await invitesOf(t, tenantId);
    expect(row.tokenHash).toBe(hashInviteToken(token));
    expect(JSON.stringify(row)).not.toContain(token);

    const [entry] = await auditOf(t, tenantId, 'invite.sent');
    expect(entry).toMatchObject({
      actorUserId: owner.user.id,
      targetType: 'invite',
      targetId: res.body.id,
      metadata: { email, role: 'MEMBER' },
    });
    expect(JSON.stringify(entry)).not.toContain(token);
  });

  it('lets a newcomer preview the link, sign up with it and join with the invited role, without an organization of their own', async () => {
    const { owner, tenantId, url } = await newTeam({ ownerName: 'Olivia Owner' });
    const email = uniqueEmail('newcomer');
    await owner.client.post(`${url}/invites`, { email, role: 'ADMIN' });
    const token = await inviteTokenSentTo(email);

    const preview = await t.app.inject({ method: 'GET', url: `/api/v1/invites/preview?token=${token}` });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      tenantName: "Olivia Owner's Organization",
      email,
      role: 'ADMIN',
      invitedByName: 'Olivia Owner',
      accountExists: false,
    });

    const newcomer = await signUpPerson(t, { name: 'Nia New', email, inviteToken: token });
    expect(newcomer.memberships).toEqual([expect.objectContaining({ tenantId, role: 'ADMIN' })]);

    const accepted = await owner.client.get(`${url}/invites?status=ACCEPTED`);
    expect(accepted.body.items.map((i: { email: string }) => i.email)).toEqual([email]);
    expect((await owner.client.get(`${url}/invites`)).body.items).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/invites/preview?token=${token}` })).statusCode).toBe(404);
    const [entry] = await auditOf(t, tenantId, 'invite.accepted');
    expect(entry).toMatchObject({ actorUserId: newcomer.user.id, metadata: { email, role: 'ADMIN' } });
  });

  it('lets an existing user with the invited email accept while signed in', async () => {
    const { owner, tenantId, url } = await newTeam();
    const existing = await signUpPerson(t, { name: 'Eve Existing' });
    await owner.client.post(`${url}/invites`, { email: existing.email, role: 'VIEWER' });
    const token = await inviteTokenSentTo(existing.email);

    expect((await existing.client.get(`/api/v1/invites/preview?token=${token}`)).body.accountExists).toBe(true);
    const res = await existing.client.post('/api/v1/invites/accept', { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tenantId, role: 'VIEWER' });
    expect(await roleOf(t, tenantId, existing.user.id)).toBe('VIEWER');
    expect(await roleOf(t, existing.tenantId, existing.user.id)).toBe('OWNER');

    const again = await existing.client.post('/api/v1/invites/accept', { token });
    expect(again.status).toBe(404);
  });

  it('refuses a signed-in user whose email is not the invited one (403) and changes nothing', async () => {
    const { owner, tenantId, url } = await newTeam();
    const invited = uniqueEmail('invited');
    await owner.client.post(`${url}/invites`, { email: invited, role: 'MEMBER' });
    const token = await inviteTokenSentTo(invited);
    const someoneElse = await signUpPerson(t);

    const res = await someoneElse.client.post('/api/v1/invites/accept', { token });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('INVITE_EMAIL_MISMATCH');
    expect(await roleOf(t, tenantId, someoneElse.user.id)).toBeNull();
    expect((await invitesOf(t, tenantId))[0].acceptedAt).toBeNull();
    expect(await auditOf(t, tenantId, 'invite.accepted')).toHaveLength(0);
  });

  it('gives someone who signs up with a token for another email their own organization instead', async () => {
    const { owner, tenantId, url } = await newTeam();
    const invited = uniqueEmail('invited');
    await owner.client.post(`${url}/invites`, { email: invited, role: 'MEMBER' });
    const token = await inviteTokenSentTo(invited);

    const other = await signUpPerson(t, { name: 'Oscar Other', inviteToken: token });
    expect(other.memberships).toEqual([expect.objectContaining({ name: "Oscar Other's Organization", role: 'OWNER' })]);
    expect(await roleOf(t, tenantId, other.user.id)).toBeNull();
  });

  it('asks to sign in before accepting and validates the token field', async () => {
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/invites/accept', payload: { token: 'x'.repeat(43) } });
    expect(anonymous.statusCode).toBe(401);
    const person = await signUpPerson(t);
    const short = await person.client.post('/api/v1/invites/accept', { token: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.fields[0].field).toBe('token');
    expect((await person.client.post('/api/v1/invites/accept', { token: 'x'.repeat(43) })).status).toBe(404);
  });

  it('refuses a role above the inviter’s own (403), an existing member (409 ALREADY_MEMBER) and a second open invite (409)', async () => {
    const { owner, tenantId, url } = await newTeam({ plan: 'pro' });
    const admin = await addPerson(t, tenantId, 'ADMIN');

    const tooHigh = await admin.client.post(`${url}/invites`, { email: uniqueEmail(), role: 'OWNER' });
    expect(tooHigh.status).toBe(403);

    const member = await owner.client.post(`${url}/invites`, { email: admin.email.toUpperCase(), role: 'MEMBER' });
    expect(member.status).toBe(409);
    expect(member.body.code).toBe('ALREADY_MEMBER');
    expect(member.body.email.toLowerCase()).toBe(admin.email.toLowerCase());

    const email = uniqueEmail();
    expect((await admin.client.post(`${url}/invites`, { email, role: 'MEMBER' })).status).toBe(201);
    const twice = await owner.client.post(`${url}/invites`, { email, role: 'ADMIN' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('CONFLICT');
    expect(twice.body.detail).toMatch(/resend it instead/);
    // The case and the address, for the web to word in the user's language.
    expect(twice.body).toMatchObject({ reason: 'inviteOpen', email, inviteId: expect.any(String) });

    expect(await invitesOf(t, tenantId)).toHaveLength(1);
    expect(await emailsTo(t, email)).toBe(1);
  });

  it('rejects a bad email or an unknown role with 400 naming the field, writing and sending nothing', async () => {
    const { owner, tenantId, url } = await newTeam();
    const badEmail = await owner.client.post(`${url}/invites`, { email: 'not-an-email', role: 'MEMBER' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.fields.map((f: { field: string }) => f.field)).toEqual(['email']);

    const email = uniqueEmail();
    const badRole = await owner.client.post(`${url}/invites`, { email, role: 'KING' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.fields.map((f: { field: string }) => f.field)).toEqual(['role']);

    expect(await invitesOf(t, tenantId)).toEqual([]);
    expect(await emailsTo(t, email)).toBe(0);
    expect(await auditOf(t, tenantId, 'invite.sent')).toEqual([]);
  });
});

describe('seats', () => {
  it('counts open invites as seats: on the free plan (3 seats) the third invite answers 402 and writes and sends nothing', async () => {
    const { owner, tenantId, url } = await newTeam();
    const first = await owner.client.post(`${url}/invites`, { email: uniqueEmail(), role: 'MEMBER' });
    expect((await owner.client.post(`${url}/invites`, { email: uniqueEmail(), role: 'MEMBER' })).status).toBe(201);

    const email = uniqueEmail('over');
    const res = await owner.client.post(`${url}/invites`, { email, role: 'MEMBER' });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'PLAN_LIMIT_EXCEEDED', metric: 'seats', limit: 3, used: 3 });
    expect(await invitesOf(t, tenantId)).toHaveLength(2);
    expect(await emailsTo(t, email)).toBe(0);
    expect(await auditOf(t, tenantId, 'invite.sent')).toHaveLength(2);

    // Revoking an invite gives its seat back.
    expect((await owner.client.delete(`${url}/invites/${first.body.id}`)).status).toBe(204);
    expect((await owner.client.post(`${url}/invites`, { email, role: 'MEMBER' })).status).toBe(201);
  });
});

describe('seats under concurrent invites', () => {
  it('gives the last seat to exactly one of two invitations sent at the same moment', async () => {
    const { owner, tenantId, url } = await newTeam();
    await owner.client.post(`${url}/invites`, { email: uniqueEmail(), role: 'MEMBER' });
    const racing = await Promise.all([
      owner.client.post(`${url}/invites`, { email: uniqueEmail('race'), role: 'MEMBER' }),
      owner.client.post(`${url}/invites/bulk`, { emails: uniqueEmail('race'), role: 'MEMBER' }),
    ]);
    const invited = Number(racing[0].status === 201) + Number(racing[1].body.results?.[0].outcome === 'INVITED');
    expect(invited).toBe(1);
    expect(await invitesOf(t, tenantId)).toHaveLength(2);
  });
});

describe('resending', () => {
  it('issues a new link (the old one stops working), a new 7-day expiry and a new email', async () => {
    const { owner, tenantId, url } = await newTeam();
    const email = uniqueEmail();
    const created = await owner.client.post(`${url}/invites`, { email, role: 'MEMBER' });
    const oldToken = await inviteTokenSentTo(email);
    await t.database.db
      .update(invites)
      .set({ expiresAt: new Date(Date.now() + DAY) })
      .where(eq(invites.id, created.body.id));

    const res = await owner.client.post(`${url}/invites/${created.body.id}/resend`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, status: 'PENDING' });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 7 * DAY - 60_000);
    expect(Date.parse(res.body.lastSentAt)).toBeGreaterThanOrEqual(Date.parse(created.body.lastSentAt));

    const newToken = await inviteTokenSentTo(email);
    expect(newToken).not.toBe(oldToken);
    expect(await emailsTo(t, email)).toBe(2);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/invites/preview?token=${oldToken}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/invites/preview?token=${newToken}` })).statusCode).toBe(200);

    const [entry] = await auditOf(t, tenantId, 'invite.resent');
    expect(entry.metadata).toMatchObject({
      email,
      role: 'MEMBER',
      before: { status: 'PENDING' },
      after: { status: 'PENDING', expiresAt: res.body.expiresAt },
    });
    expect(JSON.stringify(entry)).not.toContain(newToken);
  });

  it('reopens an expired invite (410 on its link before), checking seats again', async () => {
    const { owner, tenantId, url } = await newTeam();
    const email = uniqueEmail();
    const created = await owner.client.post(`${url}/invites`, { email, role: 'MEMBER' });
    const token = await inviteTokenSentTo(email);
    await expire(created.body.id);

    const preview = await t.app.inject({ method: 'GET', url: `/api/v1/invites/preview?token=${token}` });
    expect(preview.statusCode).toBe(410);
    expect(preview.json().code).toBe('INVITE_EXPIRED');
    const invitee = await signUpPerson(t, { email });
    expect((await invitee.client.post('/api/v1/invites/accept', { token })).status).toBe(410);
    expect(await roleOf(t, tenantId, invitee.user.id)).toBeNull();
    expect((await owner.client.get(`${url}/invites`)).body.items).toEqual([]);
    expect((await owner.client.get(`${url}/invites?status=EXPIRED`)).body.items).toEqual([
      expect.objectContaining({ id: created.body.id, status: 'EXPIRED' }),
    ]);

    // The expired invite freed its seat, and two new invites took the free plan's last seats.
    await owner.client.post(`${url}/invites`, { email: uniqueEmail(), role: 'MEMBER' });
    await owner.client.post(`${url}/invites`, { email: uniqueEmail(), role: 'MEMBER' });
    const sentBefore = await emailsTo(t, email);
    const full = await owner.client.post(`${url}/invites/${created.body.id}/resend`);
    expect(full.status).toBe(402);
    expect((await invitesOf(t, tenantId)).find((i) => i.id === created.body.id)?.expiresAt.getTime()).toBeLessThan(Date.now());
    expect(await emailsTo(t, email)).toBe(sentBefore);

    const someone = (await invitesOf(t, tenantId)).find((i) => i.id !== created.body.id)!;
    await owner.client.delete(`${url}/invites/${someone.id}`);
    const reopened = await owner.client.post(`${url}/invites/${created.body.id}/resend`);
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe('PENDING');
    expect((await auditOf(t, tenantId, 'invite.resent'))[0].metadata).toMatchObject({
      before: { status: 'EXPIRED' },
      after: { status: 'PENDING' },
    });
  });

  it('refuses accepted or revoked invites (409) and unknown ones (404)', async () => {
    const { owner, url } = await newTeam();
    const existing = await signUpPerson(t);
    const accepted = await owner.client.post(`${url}/invites`, { email: existing.email, role: 'MEMBER' });
    await existing.client.post('/api/v1/invites/accept', { token: await inviteTokenSentTo(existing.email) });
    const revoked = await owner.client.post(`${url}/invites`, { email: uniqueEmail(), role: 'MEMBER' });
    await owner.client.delete(`${url}/invites/${revoked.body.id}`);

    const resentAccepted = await owner.client.post(`${url}/invites/${accepted.body.id}/resend`);
    expect(resentAccepted.status).toBe(409);
    expect(resentAccepted.body).toMatchObject({ code: 'CONFLICT', reason: 'inviteAccepted', email: existing.email });
    const resentRevoked = await owner.client.post(`${url}/invites/${revoked.body.id}/resend`);
    expect(resentRevoked.status).toBe(409);
    expect(resentRevoked.body).toMatchObject({ code: 'CONFLICT', reason: 'inviteRevoked', email: revoked.body.email });
    const revokedAccepted = await owner.client.delete(`${url}/invites/${accepted.body.id}`);
    expect(revokedAccepted.status).toBe(409);
    expect(revokedAccepted.body).toMatchObject({ code: 'CONFLICT', reason: 'inviteAcceptedRemoveMember', email: existing.email });
    expect((await owner.client.post(`${url}/invites/${randomUUID()}/resend`)).status).toBe(404);
    const malformed = await owner.client.post(`${url}/invites/abc/resend`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields[0].field).toBe('params.inviteId');
  });

  it('does not let an admin resend an invitation that grants OWNER', async () => {
    const { owner, tenantId, url } = await newTeam({ plan: 'pro' });
    const admin = await addPerson(t, tenantId, 'ADMIN');
    const email = uniqueEmail();
    const created = await owner.client.post(`${url}/invites`, { email, role: 'OWNER' });
    expect((await admin.client.post(`${url}/invites/${created.body.id}/resend`)).status).toBe(403);
    expect(await emailsTo(t, email)).toBe(1);
  });
});

describe('revoking', () => {
  it('closes the invite: its link answers 404, it is listed as REVOKED, and it is audited', async () => {
    const { owner, tenantId, url } = await newTeam();
    const email = uniqueEmail();
    const created = await owner.client.post(`${url}/invites`, { email, role: 'MEMBER' });
    const token = await inviteTokenSentTo(email);

    expect((await owner.client.delete(`${url}/invites/${created.body.id}`)).status).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/invites/preview?token=${token}` })).statusCode).toBe(404);
    const newcomer = await signUpPerson(t, { email, inviteToken: token });
    expect(await roleOf(t, tenantId, newcomer.user.id)).toBeNull();

    expect((await owner.client.get(`${url}/invites?status=REVOKED`)).body.items).toEqual([
      expect.objectContaining({ id: created.body.id, status: 'REVOKED' }),
    ]);
    const [entry] = await auditOf(t, tenantId, 'invite.revoked');
    expect(entry).toMatchObject({
      targetId: created.body.id,
      metadata: { email, role: 'MEMBER', before: { status: 'PENDING' }, after: { status: 'REVOKED' } },
    });

    // Revoking again changes nothing.
    expect((await owner.client.delete(`${url}/invites/${created.body.id}`)).status).toBe(204);
    expect(await auditOf(t, tenantId, 'invite.revoked')).toHaveLength(1);
  });

  it('answers 404 for an unknown invite and 400 for a malformed id', async () => {
    const { owner, url } = await newTeam();
    expect((await owner.client.delete(`${url}/invites/${randomUUID()}`)).status).toBe(404);
    const malformed = await owner.client.delete(`${url}/invites/42`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields[0].field).toBe('params.inviteId');
  });
});

describe('listing invites', () => {
  it('shows pending invites newest first by default, pages with a cursor, filters by status and counts them', async () => {
    const { owner, url } = await newTeam({ plan: 'pro' });
    const elsewhere = await newTeam({ plan: 'pro' });
    await elsewhere.owner.client.post(`${elsewhere.url}/invites`, { email: uniqueEmail('other'), role: 'VIEWER' });
    const emails = [uniqueEmail('a'), uniqueEmail('b'), uniqueEmail('c'), uniqueEmail('d')];
    const ids: string[] = [];
    for (const email of emails) ids.push((await owner.client.post(`${url}/invites`, { email, role: 'VIEWER' })).body.id);
    await owner.client.delete(`${url}/invites/${ids.pop()}`);

    const first = await owner.client.get(`${url}/invites?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.total).toEqual({ count: 3, exact: true });
    const second = await owner.client.get(`${url}/invites?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(second.body).toMatchObject({ nextCursor: null, total: null });

    expect((await owner.client.get(`${url}/invites?status=ACCEPTED`)).body).toMatchObject({ items: [], total: { count: 0, exact: true } });
    expect((await owner.client.get(`${url}/invites?status=REVOKED`)).body.total).toEqual({ count: 1, exact: true });
    expect((await elsewhere.owner.client.get(`${elsewhere.url}/invites`)).body.total).toEqual({ count: 1, exact: true });
    const badStatus = await owner.client.get(`${url}/invites?status=OPEN`);
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.fields[0].field).toBe('querystring.status');
  });

  it('is visible to viewers but they cannot invite, resend or revoke', async () => {
    const { owner, tenantId, url } = await newTeam({ plan: 'pro' });
    const viewer = await addPerson(t, tenantId, 'VIEWER');
    const created = await owner.client.post(`${url}/invites`, { email: uniqueEmail(), role: 'VIEWER' });

    expect((await viewer.client.get(`${url}/invites`)).body.items).toHaveLength(1);
    expect((await viewer.client.post(`${url}/invites`, { email: uniqueEmail(), role: 'VIEWER' })).status).toBe(403);
    expect((await viewer.client.post(`${url}/invites/bulk`, { emails: uniqueEmail(), role: 'VIEWER' })).status).toBe(403);
    expect((await viewer.client.post(`${url}/invites/${created.body.id}/resend`)).status).toBe(403);
    expect((await viewer.client.delete(`${url}/invites/${created.body.id}`)).status).toBe(403);
    expect(await invitesOf(t, tenantId)).toEqual([expect.objectContaining({ id: created.body.id, revokedAt: null })]);
  });
});

describe('previewing a link', () => {
  it('answers 400 without a token and 404 for a token that matches nothing', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/invites/preview' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/invites/preview?token=${'a'.repeat(43)}` })).statusCode).toBe(404);
  });
});
