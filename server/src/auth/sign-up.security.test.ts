import { describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { devOutbox } from '../db/schema/index.js';
import { EMAILS_PER_ADDRESS_PER_HOUR } from '../email/limits.js';
import { Client, lastEmailTo, PASSWORD, signUp, startTestApp, uniqueEmail, type Reply } from '../test/harness.js';

const t = await startTestApp();

const emailsTo = async (to: string) => (await t.database.db.select({ n: count() }).from(devOutbox).where(eq(devOutbox.to, to)))[0].n;

/** What an answer tells a stranger: status, the shape of the body and the cookies it sets. */
function visible(res: Reply) {
  const body = res.body as { user?: Record<string, unknown> };
  return {
    status: res.status,
    keys: Object.keys(body ?? {}).sort(),
    userKeys: Object.keys(body?.user ?? {}).sort(),
    emailVerified: body?.user?.emailVerified,
    setsCookie: res.headers['set-cookie'] !== undefined,
  };
}

describe('sign-up does not tell whether an address has an account', () => {
  it('answers an existing address exactly like a new one, and emails its owner instead', async () => {
    const existing = await signUp(t);
    const fresh = uniqueEmail('fresh');
    const forNew = await new Client(t.app).post('/api/auth/sign-up/email', {
      name: 'Someone',
      email: fresh,
      password: 'attacker password 1',
    });
    const forExisting = await new Client(t.app).post('/api/auth/sign-up/email', {
      name: 'Someone',
      email: existing.email,
      password: 'attacker password 1',
    });
    expect(visible(forExisting)).toEqual(visible(forNew));
    expect(forExisting.body.user.email).toBe(existing.email);
    expect(forExisting.status).toBe(200);

    const notice = await lastEmailTo(t, existing.email);
    expect(notice?.subject).toBe('Someone tried to sign up to OpTarget with your address');
    expect(notice?.text).toMatch(/sign in here:\nhttp:\/\/localhost:3000\/sign-in/);
    expect(notice?.text).toMatch(/\/forgot-password/);
    expect((await lastEmailTo(t, fresh))?.subject).toBe('Confirm your email address for OpTarget');
    // The existing account is untouched: its password still works.
    expect((await new Client(t.app).post('/api/auth/sign-in/email', { email: existing.email, password: PASSWORD })).status).toBe(200);
  });

  it('then answers a sign-in with the password just chosen the same way for both', async () => {
    const existing = await signUp(t);
    const fresh = uniqueEmail('fresh');
    for (const email of [fresh, existing.email]) {
      await new Client(t.app).post('/api/auth/sign-up/email', { name: 'Someone', email, password: 'attacker password 2' });
    }
    const [forNew, forExisting] = await Promise.all(
      [fresh, existing.email].map((email) => new Client(t.app).post('/api/auth/sign-in/email', { email, password: 'attacker password 2' })),
    );
    expect(forNew.status).toBe(401);
    expect({ status: forExisting.status, body: forExisting.body }).toEqual({ status: forNew.status, body: forNew.body });
  });

  it('sends the owner of an existing address a few notices an hour at most', async () => {
    const existing = await signUp(t);
    const before = await emailsTo(existing.email);
    for (let i = 0; i < EMAILS_PER_ADDRESS_PER_HOUR + 3; i++) {
      const res = await new Client(t.app).post('/api/auth/sign-up/email', { name: 'Flood', email: existing.email, password: PASSWORD });
      expect(res.status).toBe(200);
    }
    expect((await emailsTo(existing.email)) - before).toBe(EMAILS_PER_ADDRESS_PER_HOUR);
  });
});

describe('password-reset emails are limited per address', () => {
  it('sends at most a few an hour to one address, answering every request alike, known address or not', async () => {
    const { email } = await signUp(t);
    const unknown = uniqueEmail('nobody');
    const before = await emailsTo(email);
    const answers: Reply[] = [];
    // Spread over addresses as a flood would be, under the per-address request limit of the route.
    for (let i = 0; i < 30; i++) {
      answers.push(await new Client(t.app).post('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' }));
    }
    const forUnknown = await new Client(t.app).post('/api/auth/request-password-reset', { email: unknown, redirectTo: '/reset-password' });
    expect((await emailsTo(email)) - before).toBe(EMAILS_PER_ADDRESS_PER_HOUR);
    expect(new Set(answers.map((a) => `${a.status} ${a.text}`))).toEqual(new Set([`${forUnknown.status} ${forUnknown.text}`]));
    expect(forUnknown.status).toBe(200);
  });
});
