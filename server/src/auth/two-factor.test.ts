import { describe, expect, it } from 'vitest';
import { Client, PASSWORD, signUp, startTestApp } from '../test/harness.js';
import { auditActionsFor, auditEntriesFor, secretsIn, signIn, totpCode } from './test-helpers.js';

const t = await startTestApp();

type Setup = { totpURI: string; backupCodes: string[] };

/** A person who has set up an authenticator app and confirmed it with a first code. */
async function personWithTwoFactor() {
  const person = await signUp(t);
  const setup = (await person.client.post<Setup>('/api/auth/two-factor/enable', { password: PASSWORD })).body;
  // The code of the step before (still accepted), so the current one is left for the sign-in under test: each code works once.
  const confirmed = await person.client.post('/api/auth/two-factor/verify-totp', { code: totpCode(setup.totpURI, Date.now() - 30_000) });
  if (confirmed.status !== 200) throw new Error(`2FA confirmation failed: ${confirmed.status} ${confirmed.text}`);
  return { ...person, ...setup };
}

/** Signs in with the password; with 2FA on, this is only the first step. */
async function firstStep(email: string) {
  const { client, res } = await signIn(t, email);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ twoFactorRedirect: true, twoFactorMethods: ['totp'] });
  expect(client.hasSession).toBe(false);
  return client;
}

describe('TOTP two-factor authentication', () => {
  it('is set up with the password, then switched on by a first code from the authenticator app', async () => {
    const { client, user, email } = await signUp(t);
    const setup = await client.post<Setup & { method: string }>('/api/auth/two-factor/enable', { password: PASSWORD });
    expect(setup.status).toBe(200);
    expect(setup.body.method).toBe('totp');
    expect(setup.body.totpURI).toMatch(new RegExp(`^otpauth://totp/OpTarget:${encodeURIComponent(email)}\\?secret=[A-Z2-7]+`));
    expect(setup.body.backupCodes).toHaveLength(10);
    // Not on until confirmed: a lost QR code must not lock the person out.
    expect((await client.get('/api/v1/me')).body.user.twoFactorEnabled).toBe(false);

    const wrong = await client.post('/api/auth/two-factor/verify-totp', { code: totpCode(setup.body.totpURI, Date.now() - 10 * 60_000) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CODE');
    expect((await client.get('/api/v1/me')).body.user.twoFactorEnabled).toBe(false);

    const confirm = await client.post('/api/auth/two-factor/verify-totp', { code: totpCode(setup.body.totpURI) });
    expect(confirm.status).toBe(200);
    expect((await client.get('/api/v1/me')).body.user.twoFactorEnabled).toBe(true);

    const actions = await auditActionsFor(t, user.id);
    expect(actions).toContain('auth.two_factor_setup_started');
    expect(actions.filter((a) => a === 'auth.two_factor_enabled')).toHaveLength(1);
    const secret = new URL(setup.body.totpURI).searchParams.get('secret')!;
    expect(secretsIn(await auditEntriesFor(t, user.id), [PASSWORD, secret, ...setup.body.backupCodes])).toEqual({
      leakedValues: [],
      hasSecretKeys: false,
    });
  });

  it('refuses to start setup with a wrong password', async () => {
    const { client } = await signUp(t);
    const res = await client.post('/api/auth/two-factor/enable', { password: 'not my password' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_PASSWORD');
  });

  it('asks for a code after the password and opens a session only for a correct one', async () => {
    const { email, user, totpURI } = await personWithTwoFactor();
    const browser = await firstStep(email);
    expect((await browser.get('/api/v1/me')).status).toBe(401);
    expect(await auditActionsFor(t, user.id)).toContain('auth.sign_in_two_factor_required');

    const wrong = await browser.post('/api/auth/two-factor/verify-totp', { code: totpCode(totpURI, Date.now() - 10 * 60_000) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CODE');
    expect(browser.hasSession).toBe(false);

    const right = await browser.post('/api/auth/two-factor/verify-totp', { code: totpCode(totpURI) });
    expect(right.status).toBe(200);
    expect(right.body.user.id).toBe(user.id);
    expect(browser.hasSession).toBe(true);
    expect((await browser.get('/api/v1/me')).body.user).toMatchObject({ id: user.id, twoFactorEnabled: true });

    const signedIn = (await auditEntriesFor(t, user.id)).filter((e) => e.action === 'auth.signed_in');
    expect(signedIn.map((e) => e.metadata)).toEqual([{ method: 'password+totp' }]);
  });

  it('refuses a code without the password step first', async () => {
    const { totpURI } = await personWithTwoFactor();
    const res = await new Client(t.app).post('/api/auth/two-factor/verify-totp', { code: totpCode(totpURI) });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_TWO_FACTOR_COOKIE');
  });

  it('accepts each backup code once', async () => {
    const { email, user, backupCodes } = await personWithTwoFactor();
    const browser = await firstStep(email);
    const res = await browser.post('/api/auth/two-factor/verify-backup-code', { code: backupCodes[0] });
    expect(res.status).toBe(200);
    expect((await browser.get('/api/v1/me')).body.user.id).toBe(user.id);

    const again = await firstStep(email);
    const reuse = await again.post('/api/auth/two-factor/verify-backup-code', { code: backupCodes[0] });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('INVALID_BACKUP_CODE');
    expect(again.hasSession).toBe(false);

    const signedIn = (await auditEntriesFor(t, user.id)).filter((e) => e.action === 'auth.signed_in');
    expect(signedIn.map((e) => e.metadata)).toEqual([{ method: 'password+backup_code' }]);
  });

  it('is switched off with the password, audited, and sign-in needs no code any more', async () => {
    const { client, email, user } = await personWithTwoFactor();
    const wrong = await client.post('/api/auth/two-factor/disable', { password: 'not my password' });
    expect(wrong.status).toBe(400);
    expect((await client.get('/api/v1/me')).body.user.twoFactorEnabled).toBe(true);

    const res = await client.post('/api/auth/two-factor/disable', { password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: true });
    expect((await client.get('/api/v1/me')).body.user.twoFactorEnabled).toBe(false);
    expect(await auditActionsFor(t, user.id)).toContain('auth.two_factor_disabled');

    const { client: browser, res: signInRes } = await signIn(t, email);
    expect(signInRes.body.user.id).toBe(user.id);
    expect(browser.hasSession).toBe(true);
  });

  it('audits nothing when 2FA was not on to begin with', async () => {
    const { client, user } = await signUp(t);
    expect((await client.post('/api/auth/two-factor/disable', { password: PASSWORD })).status).toBe(200);
    expect(await auditActionsFor(t, user.id)).not.toContain('auth.two_factor_disabled');
  });
});
