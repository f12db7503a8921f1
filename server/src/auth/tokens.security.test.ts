import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { sessions } from '../db/schema/index.js';
import { Client, lastEmailTo, linkIn, PASSWORD, startTestApp, uniqueEmail, type Reply } from '../test/harness.js';
import { totpCode } from './test-helpers.js';

const t = await startTestApp();

/** Every JSON answer must hold no `token` property at any depth and none of the person's session tokens anywhere. */
function expectNoSessionToken(res: Reply, tokens: string[]) {
  expect(res.text).not.toMatch(/"token"\s*:/);
  for (const token of tokens) expect(res.text).not.toContain(token);
}

const tokensOf = async (userId: string) =>
  (await t.database.db.select({ token: sessions.token }).from(sessions).where(eq(sessions.userId, userId))).map((s) => s.token);

describe('session tokens never appear in JSON answers', () => {
  it('on every auth endpoint that opens, shows or renews a session', async () => {
    const email = uniqueEmail('tokens');
    const client = new Client(t.app);
    const signedIn = new Client(t.app);
    const secondStep = new Client(t.app);
    const answers: Reply[] = [];
    // Every token any cookie ever carried, including those of sessions that have ended since.
    const issued = new Set<string>();
    const keep = async (res: Promise<Reply>) => {
      const r = await res;
      answers.push(r);
      for (const c of [client, signedIn, secondStep]) c.sessionTokens.forEach((token) => issued.add(token));
      return r;
    };

    await keep(client.post('/api/auth/sign-up/email', { name: 'Token Person', email, password: PASSWORD }));
    const verifyLink = new URL(linkIn((await lastEmailTo(t, email)).text)!);
    // Without a callback, better-auth answers the confirmation link with JSON (and a session).
    verifyLink.searchParams.delete('callbackURL');
    await keep(client.get(verifyLink.pathname + verifyLink.search));
    expect(client.hasSession).toBe(true);

    const signIn = await keep(signedIn.post('/api/auth/sign-in/email', { email, password: PASSWORD }));
    expect(signIn.status).toBe(200);
    expect(signIn.body.user.email).toBe(email);
    const session = await keep(signedIn.get('/api/auth/get-session'));
    expect(session.body.session.id).toMatch(/^[0-9a-f-]{36}$/);
    const list = await keep(signedIn.get('/api/auth/list-sessions'));
    expect(list.body.length).toBe(2);
    await keep(signedIn.post('/api/auth/update-session', {}));

    const setup = await keep(signedIn.post('/api/auth/two-factor/enable', { password: PASSWORD }));
    await keep(signedIn.post('/api/auth/two-factor/verify-totp', { code: totpCode(setup.body.totpURI, Date.now() - 30_000) }));
    await keep(secondStep.post('/api/auth/sign-in/email', { email, password: PASSWORD }));
    const verified = await keep(secondStep.post('/api/auth/two-factor/verify-totp', { code: totpCode(setup.body.totpURI) }));
    expect(verified.status).toBe(200);
    expect(secondStep.hasSession).toBe(true);

    const changed = await keep(
      secondStep.post('/api/auth/change-password', { currentPassword: PASSWORD, newPassword: 'a brand new password' }),
    );
    expect(changed.status).toBe(200);
    await keep(secondStep.get('/api/auth/get-session'));
    await keep(secondStep.get('/api/auth/list-sessions'));

    const userId = session.body.user.id as string;
    const live = await tokensOf(userId);
    expect(live.length).toBeGreaterThan(0);
    expect(issued.size).toBeGreaterThanOrEqual(4);
    for (const res of answers) expectNoSessionToken(res, [...live, ...issued]);
  });
});
