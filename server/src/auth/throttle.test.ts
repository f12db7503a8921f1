import { describe, expect, it } from 'vitest';
import { Client, PASSWORD, signUp, startTestApp } from '../test/harness.js';
import { auditActionsFor, auditEntriesFor, secretsIn } from './test-helpers.js';

const t = await startTestApp({ SIGN_IN_MAX_FAILURES: '3', SIGN_IN_MAX_ACCOUNT_FAILURES: '6' });

const signInFrom = (client: Client, email: string, password = PASSWORD) => client.post('/api/auth/sign-in/email', { email, password });
const failSignIns = async (client: Client, email: string, times: number) => {
  for (let i = 0; i < times; i++) expect((await signInFrom(client, email, `wrong password ${i}`)).status).toBe(401);
};

describe('failed sign-in throttling (per account and address, and per account)', () => {
  it('answers 429 THROTTLED with Retry-After after SIGN_IN_MAX_FAILURES failures from one address, even to the right password, and audits it', async () => {
    const { email, user } = await signUp(t);
    const guesser = new Client(t.app);
    await failSignIns(guesser, email, 3);

    const res = await signInFrom(guesser, email);
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(res.body).toMatchObject({ status: 429, code: 'THROTTLED', instance: '/api/auth/sign-in/email' });
    expect(guesser.hasSession).toBe(false);

    const actions = await auditActionsFor(t, user.id);
    expect(actions.filter((a) => a === 'auth.sign_in_failed')).toHaveLength(3);
    const entries = await auditEntriesFor(t, user.id);
    expect(entries.find((e) => e.action === 'auth.sign_in_throttled')?.metadata).toEqual({ email, scope: 'account_and_address' });
    expect(secretsIn(entries, [PASSWORD, 'wrong password 0', 'wrong password 2']).leakedValues).toEqual([]);
  });

  it('counts the email whatever its letter case', async () => {
    const { email } = await signUp(t);
    const guesser = new Client(t.app);
    await failSignIns(guesser, email.toUpperCase(), 3);
    expect((await signInFrom(guesser, email)).status).toBe(429);
  });

  it('leaves the owner at another address and other accounts unaffected', async () => {
    const victim = await signUp(t);
    const bystander = await signUp(t);
    const guesser = new Client(t.app);
    await failSignIns(guesser, victim.email, 3);
    expect((await signInFrom(guesser, victim.email)).status).toBe(429);
    expect((await signInFrom(guesser, bystander.email)).status).toBe(200);
    expect((await signInFrom(new Client(t.app), victim.email)).status).toBe(200);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const { email } = await signUp(t);
    const client = new Client(t.app);
    await failSignIns(client, email, 2);
    expect((await signInFrom(client, email)).status).toBe(200);
    await failSignIns(client, email, 2);
    expect((await signInFrom(client, email)).status).toBe(200);
  });

  it('stops guesses spread over many addresses at SIGN_IN_MAX_ACCOUNT_FAILURES, except from an address the owner is signed in from', async () => {
    const { email, client: ownerDevice, user } = await signUp(t);
    for (let i = 0; i < 3; i++) await failSignIns(new Client(t.app), email, 2);
    const stranger = new Client(t.app);
    const refused = await signInFrom(stranger, email);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const entries = await auditEntriesFor(t, user.id);
    expect(entries.filter((e) => e.action === 'auth.sign_in_throttled').map((e) => e.metadata)).toEqual([{ email, scope: 'account' }]);
    // The device the owner signed up on holds a live session from its address, so the owner can still sign in there.
    expect((await ownerDevice.post('/api/auth/sign-in/email', { email, password: PASSWORD })).status).toBe(200);
  });

  it('lets the person in again once the window has passed', async () => {
    const short = await startTestApp({ SIGN_IN_MAX_FAILURES: '2', SIGN_IN_FAILURE_WINDOW_SECONDS: '10' });
    const { email } = await signUp(short);
    const client = new Client(short.app);
    for (let i = 0; i < 2; i++) expect((await signInFrom(client, email, 'wrong password')).status).toBe(401);
    expect((await signInFrom(client, email)).status).toBe(429);
    // A window of 10 s: long enough that a slow machine still makes the three attempts inside it.
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    expect((await signInFrom(client, email)).status).toBe(200);
  }, 90_000);
});
