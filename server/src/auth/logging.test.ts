import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { pino, type LoggerOptions } from 'pino';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import { openDatabase, runMigrations } from '../db/client.js';
import { loggerOptions } from '../logging.js';
import { Client, PASSWORD, signUp, testDatabaseUrl, type TestApp } from '../test/harness.js';
import { followEmailLink, resetTokenFromEmail, signIn, totpCode } from './test-helpers.js';

/** The test app, but logging every line at trace level (with the production redaction settings) into `lines`. */
const lines: string[] = [];
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'trace',
  APP_SECRET: 'test-secret-test-secret-test-secret-0000',
  DEV_OUTBOX: 'true',
  PUBLIC_URL: 'http://localhost:3000',
  ...(testDatabaseUrl ? { DATABASE_URL: testDatabaseUrl } : {}),
});
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk));
    done();
  },
});
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: 'memory://', poolSize: 4 });
if (database.driver === 'pglite') await runMigrations(database);
const { app, services } = await buildApp({ config, database, logger: pino(loggerOptions(config) as LoggerOptions, sink) });
await app.ready();
const t: TestApp = { app, services, database, config, close: async () => {} };
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('logs', () => {
  it('never contain passwords, session tokens, email-verification tokens, TOTP secrets or codes', async () => {
    const newPassword = 'a brand new passphrase';
    const { client, email } = await signUp(t);
    const { link: verifyLink } = await followEmailLink(t, email, client);
    const verifyToken = new URL(verifyLink).searchParams.get('token')!;

    const { client: other, res } = await signIn(t, email, PASSWORD);
    const sessionToken = res.body.token as string;
    await signIn(t, email, 'wrong password 123');
    await client.post('/api/auth/change-password', { currentPassword: PASSWORD, newPassword });

    await new Client(app).post('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' });
    const resetToken = await resetTokenFromEmail(t, email);
    await new Client(app).get(`/api/auth/reset-password/${resetToken}?callbackURL=%2Freset-password`);
    await new Client(app).post('/api/auth/reset-password', { newPassword: PASSWORD, token: resetToken });

    const { client: me } = await signIn(t, email, PASSWORD);
    const setup = (await me.post('/api/auth/two-factor/enable', { password: PASSWORD })).body;
    const code = totpCode(setup.totpURI);
    await me.post('/api/auth/two-factor/verify-totp', { code });
    await other.get('/api/v1/me');

    const log = lines.join('');
    expect(log).toContain('/api/auth/sign-in/email');
    const leaked = {
      PASSWORD,
      newPassword,
      'wrong password 123': 'wrong password 123',
      sessionToken,
      verifyToken,
      resetToken,
      code,
      totpSecret: new URL(setup.totpURI).searchParams.get('secret')!,
    };
    const found = Object.entries(leaked)
      .filter(([, secret]) => log.includes(secret))
      .map(([name]) => name);
    expect(found).toEqual([]);
  });
});
