import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { sessions as sessionRows } from '../db/schema/index.js';
import { Client, PASSWORD, signUp, startTestApp } from '../test/harness.js';
import { auditActionsFor, auditEntriesFor, secretsIn, signIn } from './test-helpers.js';

const t = await startTestApp();

type SessionItem = { id: string; userId: string; ipAddress: string | null; userAgent: string | null };

/** One person signed in on two devices: `phone` (from sign-up) and `laptop`. */
async function personOnTwoDevices() {
  const { client: phone, email, user } = await signUp(t);
  const { client: laptop } = await signIn(t, email);
  const sessions = (await phone.get<SessionItem[]>('/api/auth/list-sessions')).body;
  const laptopSessionId = (await laptop.get<{ session: { id: string } }>('/api/auth/get-session')).body.session.id;
  return { phone, laptop, user, email, sessions, laptopSessionId, addresses: [phone.ip, laptop.ip] };
}

describe('sessions', () => {
  it('lists every signed-in device of the person, with address and user agent', async () => {
    const { sessions, user, laptopSessionId, addresses } = await personOnTwoDevices();
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.userId === user.id && s.userAgent === 'optarget-tests')).toBe(true);
    expect(sessions.map((s) => s.ipAddress).sort()).toEqual([...addresses].sort());
    expect(sessions.map((s) => s.id)).toContain(laptopSessionId);
  });

  it('requires a session to list sessions', async () => {
    expect((await new Client(t.app).get('/api/auth/list-sessions')).status).toBe(401);
  });

  it('revokes another device by session id: that device is signed out, this one stays, audited with the session id only', async () => {
    const { phone, laptop, user, laptopSessionId } = await personOnTwoDevices();
    const tokens = (await t.database.db.select().from(sessionRows).where(eq(sessionRows.userId, user.id))).map((s) => s.token);
    const res = await phone.post('/api/auth/revoke-session', { sessionId: laptopSessionId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: true });
    expect((await laptop.get('/api/v1/me')).status).toBe(401);
    expect((await phone.get('/api/v1/me')).status).toBe(200);
    expect((await phone.get<SessionItem[]>('/api/auth/list-sessions')).body).toHaveLength(1);

    const entries = await auditEntriesFor(t, user.id);
    const revoked = entries.find((e) => e.action === 'auth.session_revoked');
    expect(revoked?.metadata).toEqual({ sessionId: laptopSessionId, scope: 'one' });
    expect(secretsIn(entries, tokens)).toEqual({ leakedValues: [], hasSecretKeys: false });
  });

  it('revokes all other devices at once', async () => {
    const { phone, laptop, user, email } = await personOnTwoDevices();
    const { client: tablet } = await signIn(t, email);
    const res = await phone.post('/api/auth/revoke-other-sessions');
    expect(res.status).toBe(200);
    expect((await laptop.get('/api/v1/me')).status).toBe(401);
    expect((await tablet.get('/api/v1/me')).status).toBe(401);
    expect((await phone.get('/api/v1/me')).status).toBe(200);
    const revoked = (await auditEntriesFor(t, user.id)).filter((e) => e.action === 'auth.session_revoked');
    expect(revoked.map((e) => e.metadata)).toEqual([{ scope: 'others' }]);
  });

  it("never revokes another person's session, and audits nothing for the attempt", async () => {
    const victim = await personOnTwoDevices();
    const attacker = await signUp(t);
    const res = await attacker.client.post('/api/auth/revoke-session', { sessionId: victim.laptopSessionId });
    expect(res.status).toBe(200);
    expect((await victim.laptop.get('/api/v1/me')).status).toBe(200);
    expect(await auditActionsFor(t, attacker.user.id)).not.toContain('auth.session_revoked');
    expect(await auditActionsFor(t, victim.user.id)).not.toContain('auth.session_revoked');
  });

  it('refuses a signed-out cookie at once, even one that was just in use', async () => {
    const { email } = await signUp(t);
    const headers = { origin: 'http://localhost:3000', 'content-type': 'application/json' };
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers,
      payload: { email, password: PASSWORD },
    });
    const setCookie = [signedIn.headers['set-cookie'] ?? []].flat();
    const cookie = setCookie.find((c) => c.includes('session_token='))!.split(';')[0];
    const me = () => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect((await me()).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { ...headers, cookie }, payload: {} })).statusCode,
    ).toBe(200);
    expect((await me()).statusCode).toBe(401);
  });

  it('requires a session to revoke one', async () => {
    const victim = await personOnTwoDevices();
    expect((await new Client(t.app).post('/api/auth/revoke-session', { sessionId: victim.laptopSessionId })).status).toBe(401);
    expect((await victim.laptop.get('/api/v1/me')).status).toBe(200);
  });
});
