import { describe, expect, it } from 'vitest';
import { PASSWORD, signUp, startTestApp } from '../test/harness.js';
import { auditActionsFor, auditEntriesFor, secretsIn, signIn } from './test-helpers.js';

const t = await startTestApp({ SIGN_IN_MAX_FAILURES: '3' });

const failSignIns = async (email: string, times: number) => {
  for (let i = 0; i < times; i++) expect((await signIn(t, email, `wrong password ${i}`)).res.status).toBe(401);
};

describe('failed sign-in throttling (per email)', () => {
  it('answers 429 THROTTLED after SIGN_IN_MAX_FAILURES failures, even to the right password, and audits it', async () => {
    const { email, user } = await signUp(t);
    await failSignIns(email, 3);

    const { client, res } = await signIn(t, email, PASSWORD);
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429, code: 'THROTTLED', instance: '/api/auth/sign-in/email' });
    expect(client.hasSession).toBe(false);

    const actions = await auditActionsFor(t, user.id);
    expect(actions.filter((a) => a === 'auth.sign_in_failed')).toHaveLength(3);
    expect(actions).toContain('auth.sign_in_throttled');
    const entries = await auditEntriesFor(t, user.id);
    expect(entries.find((e) => e.action === 'auth.sign_in_throttled')?.metadata).toEqual({ email });
    expect(secretsIn(entries, [PASSWORD, 'wrong password 0', 'wrong password 2']).leakedValues).toEqual([]);
  });

  it('counts the email whatever its letter case', async () => {
    const { email } = await signUp(t);
    await failSignIns(email.toUpperCase(), 3);
    expect((await signIn(t, email, PASSWORD)).res.status).toBe(429);
  });

  it('leaves other accounts unaffected', async () => {
    const victim = await signUp(t);
    const bystander = await signUp(t);
    await failSignIns(victim.email, 3);
    expect((await signIn(t, victim.email)).res.status).toBe(429);
    expect((await signIn(t, bystander.email)).res.status).toBe(200);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const { email } = await signUp(t);
    await failSignIns(email, 2);
    expect((await signIn(t, email)).res.status).toBe(200);
    await failSignIns(email, 2);
    expect((await signIn(t, email)).res.status).toBe(200);
  });

  it('lets the person in again once the failures have left the window', async () => {
    const short = await startTestApp({ SIGN_IN_MAX_FAILURES: '2', SIGN_IN_FAILURE_WINDOW_SECONDS: '1' });
    const { email } = await signUp(short);
    for (let i = 0; i < 2; i++) expect((await signIn(short, email, 'wrong password')).res.status).toBe(401);
    expect((await signIn(short, email)).res.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await signIn(short, email)).res.status).toBe(200);
  });
});
