import { describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { auditLogs, devOutbox, users } from '../db/schema/index.js';
import { Client, lastEmailTo, linkIn, PASSWORD, signUp, startTestApp, uniqueEmail } from '../test/harness.js';
import { auditActionsFor, auditEntriesFor, followEmailLink, secretsIn, signIn, userRow } from './test-helpers.js';

const t = await startTestApp();

const usersWithEmail = async (email: string) =>
  (
    await t.database.db
      .select({ n: count() })
      .from(users)
      .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
  )[0].n;

/** Sign-up as the form sends it, before the confirmation link is opened. */
async function signUpUnconfirmed(name = 'Test User') {
  const client = new Client(t.app);
  const email = uniqueEmail();
  const res = await client.post('/api/auth/sign-up/email', { name, email, password: PASSWORD });
  expect(res.status).toBe(200);
  const [user] = await t.database.db.select().from(users).where(eq(users.email, email));
  return { client, email, user, res };
}

describe('sign-up', () => {
  it('creates the user, an organization named after them with the user as OWNER', async () => {
    const { client } = await signUp(t, { name: 'Layla Haddad' });
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user.name).toBe('Layla Haddad');
    expect(me.body.user.emailVerified).toBe(true);
    expect(me.body.memberships).toHaveLength(1);
    expect(me.body.memberships[0]).toMatchObject({ name: "Layla Haddad's Organization", role: 'OWNER', planCode: 'free' });
  });

  it('audits tenant.created and user.signed_up in the new tenant', async () => {
    const { user, tenantId } = await signUp(t, { name: 'Audit Person' });
    const entries = await t.database.db.select().from(auditLogs).where(eq(auditLogs.tenantId, tenantId));
    expect(entries.map((e) => e.action).sort()).toEqual(['auth.email_verified', 'tenant.created', 'user.signed_up']);
    expect(entries.every((e) => e.actorUserId === user.id && e.userAgent === 'optarget-tests')).toBe(true);
    expect(secretsIn(entries, [PASSWORD]).leakedValues).toEqual([]);
  });

  it('opens no session until the emailed link is opened; the link sets an httpOnly, SameSite=Lax session cookie', async () => {
    const { client, email, res } = await signUpUnconfirmed('Cookie');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(client.hasSession).toBe(false);
    expect((await client.get('/api/v1/me')).status).toBe(401);
    const { res: opened } = await followEmailLink(t, email, client);
    const cookie = String(opened.headers['set-cookie']);
    expect(cookie).toMatch(/session_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it.each([
    ['shorter than 8 characters', 'short12', 'PASSWORD_TOO_SHORT', { rule: 'tooShort', params: { min: 8 } }],
    ['longer than 128 characters', 'x'.repeat(129), 'PASSWORD_TOO_LONG', { rule: 'tooLong', params: { max: 128 } }],
  ])('refuses a password %s, naming the rule the form words, and creates no user', async (_, password, code, rule) => {
    const email = uniqueEmail('weak');
    const res = await new Client(t.app).post('/api/auth/sign-up/email', { name: 'Weak', email, password });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(res.body.fields).toEqual([{ field: 'password', message: expect.stringMatching(/Password too/), ...rule }]);
    expect(await usersWithEmail(email)).toBe(0);
  });

  it('refuses a malformed email under the email field with the email rule, and creates no user', async () => {
    const res = await new Client(t.app).post('/api/auth/sign-up/email', { name: 'Bad', email: 'not-an-email', password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'email', message: 'Invalid email address', rule: 'email' }]);
    expect(await usersWithEmail('not-an-email')).toBe(0);
  });

  it('names a text PostgreSQL cannot store by its rule', async () => {
    const email = uniqueEmail('nul');
    const res = await new Client(t.app).post('/api/auth/sign-up/email', { name: 'Nu\u0000l', email, password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'name', message: expect.stringMatching(/NUL/), rule: 'noNul' }]);
    expect(await usersWithEmail(email)).toBe(0);
  });

  it('answers an address that is already registered like a new one, in any letter case, and creates no second user', async () => {
    const { email } = await signUp(t);
    const again = new Client(t.app);
    const res = await again.post('/api/auth/sign-up/email', { name: 'Twin', email: email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    expect(again.hasSession).toBe(false);
    expect(await usersWithEmail(email)).toBe(1);
  });
});

describe('email verification', () => {
  it('sends a verification email on sign-up whose link marks the email verified', async () => {
    const { client, email, user } = await signUpUnconfirmed();
    const message = await lastEmailTo(t, email);
    expect(message?.subject).toBe('Confirm your email address for OpTarget');
    expect(linkIn(message.text)).toMatch(/^http:\/\/localhost:3000\/api\/auth\/verify-email\?token=/);

    const { res, location } = await followEmailLink(t, email, client);
    expect(res.status).toBe(302);
    expect(location.searchParams.get('error')).toBeNull();
    expect((await client.get('/api/v1/me')).body.user.emailVerified).toBe(true);
    expect(await auditActionsFor(t, user.id)).toContain('auth.email_verified');
  });

  it('signs in the person who opens the link in a fresh browser', async () => {
    const { email } = await signUpUnconfirmed();
    const browser = new Client(t.app);
    await followEmailLink(t, email, browser);
    const me = await browser.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email, emailVerified: true });
  });

  it('redirects with an error and verifies nothing when the token is forged', async () => {
    const { client, user } = await signUpUnconfirmed();
    const res = await client.get('/api/auth/verify-email?token=not-a-real-token&callbackURL=%2F');
    expect(res.status).toBe(302);
    expect(String(res.headers.location)).toMatch(/error=INVALID_TOKEN/);
    expect(client.hasSession).toBe(false);
    expect((await userRow(t, user.id)).emailVerified).toBe(false);
  });

  it('resends the verification email on request', async () => {
    const { client, email } = await signUpUnconfirmed();
    const sent = async () => (await t.database.db.select({ n: count() }).from(devOutbox).where(eq(devOutbox.to, email)))[0].n;
    expect(await sent()).toBe(1);
    const res = await client.post('/api/auth/send-verification-email', { email, callbackURL: '/' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: true });
    expect(await sent()).toBe(2);
    await followEmailLink(t, email, client);
    expect((await client.get('/api/v1/me')).body.user.emailVerified).toBe(true);
  });
});

describe('sign-in and sign-out', () => {
  it('signs in with the right password: session cookie, /me, last login and an audit entry with IP and user agent', async () => {
    const { email, user } = await signUp(t);
    expect((await userRow(t, user.id)).lastLoginAt).toBeNull();

    const { client, res } = await signIn(t, email);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, email });
    expect(String(res.headers['set-cookie'])).toMatch(/session_token=/);
    expect(client.hasSession).toBe(true);
    expect((await client.get('/api/v1/me')).body.user.id).toBe(user.id);
    expect((await userRow(t, user.id)).lastLoginAt).toBeInstanceOf(Date);

    const signedIn = (await auditEntriesFor(t, user.id)).find((e) => e.action === 'auth.signed_in');
    expect(signedIn).toMatchObject({ actorUserId: user.id, actorEmail: email, ipAddress: client.ip, userAgent: 'optarget-tests' });
    expect(signedIn?.metadata).toEqual({ method: 'password' });
  });

  it('signs in whatever the letter case of the email', async () => {
    const { email } = await signUp(t);
    expect((await signIn(t, email.toUpperCase())).res.status).toBe(200);
  });

  it('answers 401 to a wrong password, sets no session and audits the failure without the password', async () => {
    const { email, user } = await signUp(t);
    const { client, res } = await signIn(t, email, 'wrong password 123');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_EMAIL_OR_PASSWORD');
    expect(client.hasSession).toBe(false);
    expect((await client.get('/api/v1/me')).status).toBe(401);

    const entries = await auditEntriesFor(t, user.id);
    const failed = entries.find((e) => e.action === 'auth.sign_in_failed');
    expect(failed?.metadata).toEqual({ email, reason: 'invalid_credentials' });
    expect(failed?.actorUserId).toBeNull();
    expect(secretsIn(entries, ['wrong password 123', PASSWORD]).leakedValues).toEqual([]);
  });

  it('answers 401 to an unknown email, exactly like a wrong password', async () => {
    const { res } = await signIn(t, uniqueEmail('nobody'));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_EMAIL_OR_PASSWORD');
  });

  it('answers 400 naming the missing field and its rule when the body is incomplete', async () => {
    const res = await new Client(t.app).post('/api/auth/sign-in/email', { email: uniqueEmail() });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'password', message: expect.stringMatching(/received undefined/), rule: 'required' }]);
  });

  it('names the email rule when a sign-in address is malformed', async () => {
    // The sign-in form's own check lets x@y.z through; the server's does not.
    const res = await new Client(t.app).post('/api/auth/sign-in/email', { email: 'x@y.z', password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'email', message: expect.any(String), rule: 'email' }]);
  });

  it('signs out: the cookie is cleared, /me answers 401 and the sign-out is audited', async () => {
    const { client, user } = await signUp(t);
    const res = await client.post('/api/auth/sign-out');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true });
    expect(String(res.headers['set-cookie'])).toMatch(/session_token=;.*Max-Age=0/i);
    expect(client.hasSession).toBe(false);
    expect((await client.get('/api/v1/me')).status).toBe(401);
    expect(await auditActionsFor(t, user.id)).toContain('auth.signed_out');
  });
});

describe('profile', () => {
  it('audits a name change with the name before and after', async () => {
    const { client, user } = await signUp(t, { name: 'Old Name' });
    const res = await client.post('/api/auth/update-user', { name: 'New Name' });
    expect(res.status).toBe(200);
    expect((await client.get('/api/v1/me')).body.user.name).toBe('New Name');
    const updated = (await auditEntriesFor(t, user.id)).find((e) => e.action === 'user.profile_updated');
    expect(updated?.metadata).toEqual({ before: { name: 'Old Name' }, after: { name: 'New Name' } });
  });
});

describe('cross-site protection', () => {
  it('refuses a state-changing request carrying the session cookie from a foreign origin', async () => {
    const { client, user } = await signUp(t);
    const res = await client.request('POST', '/api/auth/revoke-other-sessions', {}, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('INVALID_ORIGIN');
    expect(await auditActionsFor(t, user.id)).not.toContain('auth.session_revoked');
  });

  it.each([
    ['/api/auth/request-password-reset', 'redirectTo', 'INVALID_REDIRECT_URL'],
    ['/api/auth/send-verification-email', 'callbackURL', 'INVALID_CALLBACK_URL'],
  ])('refuses to email a link that would send its token to a foreign site (%s)', async (url, field, code) => {
    const { email } = await signUp(t);
    const before = (await lastEmailTo(t, email))?.id;
    const res = await new Client(t.app).post(url, { email, [field]: 'https://evil.example/steal' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(code);
    expect((await lastEmailTo(t, email))?.id).toBe(before);
  });

  it('answers unknown auth paths with a problem+json 404', async () => {
    const res = await new Client(t.app).get('/api/auth/no-such-endpoint');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
