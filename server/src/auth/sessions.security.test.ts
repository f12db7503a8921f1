import { describe, expect, it } from 'vitest';
import { Client, PASSWORD, signUp, startTestApp, testDatabaseUrl, type TestApp } from '../test/harness.js';
import { signIn, totpCode } from './test-helpers.js';

const t = await startTestApp();

async function personWithTwoFactor() {
  const person = await signUp(t);
  const setup = (await person.client.post('/api/auth/two-factor/enable', { password: PASSWORD })).body as { totpURI: string };
  const confirmed = await person.client.post('/api/auth/two-factor/verify-totp', { code: totpCode(setup.totpURI, Date.now() - 30_000) });
  expect(confirmed.status).toBe(200);
  return { ...person, totpURI: setup.totpURI };
}

async function passwordStep(email: string) {
  const { client, res } = await signIn(t, email);
  expect(res.body.twoFactorRedirect).toBe(true);
  return client;
}

describe('TOTP codes are single-use', () => {
  it('refuses a code that already opened a session, within its window', async () => {
    const { email, totpURI } = await personWithTwoFactor();
    const code = totpCode(totpURI);
    const first = await passwordStep(email);
    expect((await first.post('/api/auth/two-factor/verify-totp', { code })).status).toBe(200);

    const replay = await passwordStep(email);
    const again = await replay.post('/api/auth/two-factor/verify-totp', { code });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('TOTP_CODE_ALREADY_USED');
    expect(replay.hasSession).toBe(false);
    // The next code from the app still works.
    expect((await replay.post('/api/auth/two-factor/verify-totp', { code: totpCode(totpURI, Date.now() + 30_000) })).status).toBe(200);
  });

  it('opens one session when the same code is sent twice at once', async () => {
    const { email, totpURI } = await personWithTwoFactor();
    const code = totpCode(totpURI);
    const browsers = [await passwordStep(email), await passwordStep(email)];
    const answers = await Promise.all(browsers.map((b) => b.post('/api/auth/two-factor/verify-totp', { code })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
    expect(browsers.filter((b) => b.hasSession)).toHaveLength(1);
  });
});

describe('a password change', () => {
  it('ends every other session of the person, keeps this one and says so', async () => {
    const { client, email } = await signUp(t);
    const { client: laptop } = await signIn(t, email);
    const res = await client.post('/api/auth/change-password', { currentPassword: PASSWORD, newPassword: 'another good password' });
    expect(res.status).toBe(200);
    expect(res.body.otherSessionsRevoked).toBe(true);
    expect((await laptop.get('/api/v1/me')).status).toBe(401);
    expect((await client.get('/api/v1/me')).status).toBe(200);
  });

  it('ends the other sessions even when the client asks to keep them', async () => {
    const { client, email } = await signUp(t);
    const { client: laptop } = await signIn(t, email);
    const res = await client.post('/api/auth/change-password', {
      currentPassword: PASSWORD,
      newPassword: 'another good password',
      revokeOtherSessions: false,
    });
    expect(res.status).toBe(200);
    expect((await laptop.get('/api/v1/me')).status).toBe(401);
  });
});

/** A cookie for `email`, signed in on `app` as a browser would be. */
async function cookieFor(app: TestApp, email: string, password = PASSWORD) {
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' },
    payload: { email, password },
  });
  expect(res.statusCode).toBe(200);
  return [res.headers['set-cookie'] ?? []]
    .flat()
    .find((c) => c.includes('session_token='))!
    .split(';')[0];
}

const meOn = async (app: TestApp, cookie: string) =>
  (await app.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode;
const postOn = (app: TestApp, cookie: string, url: string, payload: object = {}) =>
  app.app.inject({
    method: 'POST',
    url,
    headers: { cookie, origin: 'http://localhost:3000', 'content-type': 'application/json' },
    payload,
  });

// Two API processes share one PostgreSQL database; on the embedded database there is only ever one process.
describe.skipIf(!testDatabaseUrl)('across API processes on one PostgreSQL database', async () => {
  const other = await startTestApp();

  it('a sign-out on one process is refused by the other at once', async () => {
    const { email } = await signUp(t);
    const cookie = await cookieFor(t, email);
    // The other process has just checked this session and keeps it in its cache.
    expect(await meOn(other, cookie)).toBe(200);
    expect((await postOn(t, cookie, '/api/auth/sign-out')).statusCode).toBe(200);
    expect(await meOn(other, cookie)).toBe(401);
  });

  it('a session revoked on one process is refused by the other at once', async () => {
    const { client, email } = await signUp(t);
    const laptop = await cookieFor(t, email);
    expect(await meOn(other, laptop)).toBe(200);
    const sessions = (await client.get('/api/auth/list-sessions')).body as { id: string }[];
    const laptopId = (await other.app.inject({ method: 'GET', url: '/api/auth/get-session', headers: { cookie: laptop } })).json().session
      .id;
    expect(sessions.map((s) => s.id)).toContain(laptopId);
    expect((await client.post('/api/auth/revoke-session', { sessionId: laptopId })).status).toBe(200);
    expect(await meOn(other, laptop)).toBe(401);
  });

  it('a password change on one process ends the other sessions on the other at once', async () => {
    const { email } = await signUp(t);
    const phone = await cookieFor(t, email);
    const laptop = await cookieFor(t, email);
    expect(await meOn(other, laptop)).toBe(200);
    const changed = await postOn(t, phone, '/api/auth/change-password', {
      currentPassword: PASSWORD,
      newPassword: 'a third good password',
    });
    expect(changed.statusCode).toBe(200);
    expect(await meOn(other, laptop)).toBe(401);
  });

  it('a sign-out on the other process is honoured here too', async () => {
    const { email } = await signUp(t);
    const cookie = await cookieFor(other, email);
    expect(await meOn(t, cookie)).toBe(200);
    expect((await postOn(other, cookie, '/api/auth/sign-out')).statusCode).toBe(200);
    expect(await meOn(t, cookie)).toBe(401);
  });
});

describe('a new client', () => {
  it('has no session until it signs in', async () => {
    expect((await new Client(t.app).get('/api/v1/me')).status).toBe(401);
  });
});
