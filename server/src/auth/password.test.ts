import { describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { devOutbox } from '../db/schema/index.js';
import { Client, lastEmailTo, PASSWORD, signUp, startTestApp, uniqueEmail } from '../test/harness.js';
import { auditActionsFor, auditEntriesFor, resetTokenFromEmail, secretsIn, signIn } from './test-helpers.js';

const t = await startTestApp();
const NEW_PASSWORD = 'a brand new passphrase';

const requestReset = (email: string) =>
  new Client(t.app).post('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' });

describe('password reset', () => {
  it('answers the same 200 for known and unknown emails, and emails only the known one', async () => {
    const { email } = await signUp(t);
    const unknown = uniqueEmail('nobody');
    const known = await requestReset(email);
    const missing = await requestReset(unknown);
    expect(known.status).toBe(200);
    expect(missing.status).toBe(200);
    expect(missing.body).toEqual(known.body);
    expect((await lastEmailTo(t, email))?.subject).toBe('Reset your OpTarget password');
    expect((await t.database.db.select({ n: count() }).from(devOutbox).where(eq(devOutbox.to, unknown)))[0].n).toBe(0);
  });

  it('resets the password once through the emailed link: old password fails, new works, other sessions end, audited', async () => {
    const { client: otherDevice, email, user } = await signUp(t);
    await requestReset(email);
    const token = await resetTokenFromEmail(t, email);

    const res = await new Client(t.app).post('/api/auth/reset-password', { newPassword: NEW_PASSWORD, token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: true });

    expect((await signIn(t, email, PASSWORD)).res.status).toBe(401);
    expect((await signIn(t, email, NEW_PASSWORD)).res.status).toBe(200);
    expect((await otherDevice.get('/api/v1/me')).status).toBe(401);

    const actions = await auditActionsFor(t, user.id);
    expect(actions).toContain('auth.password_reset_requested');
    expect(actions).toContain('auth.password_reset');
    const entries = await auditEntriesFor(t, user.id);
    expect(secretsIn(entries, [token, PASSWORD, NEW_PASSWORD])).toEqual({ leakedValues: [], hasSecretKeys: false });

    const reuse = await new Client(t.app).post('/api/auth/reset-password', { newPassword: 'yet another passphrase', token });
    expect(reuse.status).toBe(400);
    expect(reuse.body.code).toBe('INVALID_TOKEN');
    expect((await signIn(t, email, NEW_PASSWORD)).res.status).toBe(200);
  });

  it('redirects the emailed link of an unknown token to the page with an error', async () => {
    const res = await new Client(t.app).get('/api/auth/reset-password/not-a-token?callbackURL=%2Freset-password');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/\/reset-password\?error=INVALID_TOKEN/);
  });

  it('refuses a forged token or a too short new password and keeps the old password', async () => {
    const { email } = await signUp(t);
    await requestReset(email);
    const token = await resetTokenFromEmail(t, email);

    const forged = await new Client(t.app).post('/api/auth/reset-password', { newPassword: NEW_PASSWORD, token: 'forged-token' });
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('INVALID_TOKEN');

    const short = await new Client(t.app).post('/api/auth/reset-password', { newPassword: 'short', token });
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('PASSWORD_TOO_SHORT');
    expect(short.body.fields).toEqual([{ field: 'newPassword', message: 'Password too short', rule: 'tooShort', params: { min: 8 } }]);

    expect((await signIn(t, email, PASSWORD)).res.status).toBe(200);
  });
});

describe('change password', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    const { client, email, user } = await signUp(t);
    const res = await client.post('/api/auth/change-password', { currentPassword: 'not my password', newPassword: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_PASSWORD');
    expect((await signIn(t, email, PASSWORD)).res.status).toBe(200);
    expect(await auditActionsFor(t, user.id)).not.toContain('auth.password_changed');
  });

  it('refuses a new password shorter than 8 characters', async () => {
    const { client, email } = await signUp(t);
    const res = await client.post('/api/auth/change-password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PASSWORD_TOO_SHORT');
    expect((await signIn(t, email, PASSWORD)).res.status).toBe(200);
  });

  it('requires a session', async () => {
    const res = await new Client(t.app).post('/api/auth/change-password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(401);
  });

  it('changes the password, keeps this session, ends the others and audits it', async () => {
    const { client, email, user } = await signUp(t);
    const { client: laptop } = await signIn(t, email);

    const res = await client.post('/api/auth/change-password', {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
      revokeOtherSessions: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect((await laptop.get('/api/v1/me')).status).toBe(401);
    expect((await signIn(t, email, PASSWORD)).res.status).toBe(401);
    expect((await signIn(t, email, NEW_PASSWORD)).res.status).toBe(200);

    const entries = await auditEntriesFor(t, user.id);
    expect(entries.find((e) => e.action === 'auth.password_changed')?.metadata).toEqual({ otherSessionsRevoked: true });
    expect(secretsIn(entries, [PASSWORD, NEW_PASSWORD])).toEqual({ leakedValues: [], hasSecretKeys: false });
  });
});
