import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Client, PASSWORD, signUp, startTestApp, testDatabaseUrl, uniqueEmail } from '../test/harness.js';
import { rateLimits } from './rate-limit.js';

const t = await startTestApp();

function expectThrottled(res: { status: number; headers: Record<string, unknown>; body: any }) {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ code: 'THROTTLED', status: 429 });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

const signUpFrom = (client: Client) =>
  client.post('/api/auth/sign-up/email', { name: 'Many', email: uniqueEmail('many'), password: PASSWORD });

describe('rate limits', () => {
  it('answers sign-ups past the limit from one address with 429, problem+json and Retry-After; other addresses go on', async () => {
    const address = new Client(t.app);
    for (let i = 0; i < rateLimits.signUp.max; i++) expect((await signUpFrom(address)).status).toBe(200);
    const refused = await signUpFrom(address);
    expectThrottled(refused);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(rateLimits.signUp.windowMs / 1000);
    expect((await signUpFrom(new Client(t.app))).status).toBe(200);
  }, 120_000);

  it('limits password-reset requests per address', async () => {
    const address = new Client(t.app);
    for (let i = 0; i < rateLimits.passwordReset.max; i++) {
      expect((await address.post('/api/auth/request-password-reset', { email: uniqueEmail(), redirectTo: '/reset-password' })).status).toBe(
        200,
      );
    }
    expectThrottled(await address.post('/api/auth/request-password-reset', { email: uniqueEmail(), redirectTo: '/reset-password' }));
  });

  it('limits invitation accepts and exports per person; a colleague has a budget of their own', async () => {
    const { client, tenantId } = await signUp(t);
    for (let i = 0; i < rateLimits.inviteAccept.max; i++) {
      expect((await client.post('/api/v1/invites/accept', { token: `not-a-real-invitation-token-${i}` })).status).toBe(404);
    }
    expectThrottled(await client.post('/api/v1/invites/accept', { token: 'not-a-real-invitation-token' }));

    for (let i = 0; i < rateLimits.export.max; i++)
      expect((await client.get(`/api/v1/tenants/${tenantId}/leads/export.csv`)).status).toBe(200);
    expectThrottled(await client.get(`/api/v1/tenants/${tenantId}/leads/export.csv`));
    // A colleague has their own budget.
    const colleague = await signUp(t);
    expect((await colleague.client.get(`/api/v1/tenants/${colleague.tenantId}/leads/export.csv`)).status).toBe(200);
  }, 120_000);

  it('limits job starts per person, counting every start that reaches the job definition', async () => {
    const { client, tenantId } = await signUp(t);
    // A well-formed start the job definition refuses (no such list): cheap, and counted like any start
    // (the limit runs before the handler).
    const start = () => client.post(`/api/v1/tenants/${tenantId}/jobs`, { type: 'ENRICH_LEADS', input: { listId: randomUUID() } });
    for (let i = 0; i < rateLimits.jobStart.max; i++) expect((await start()).status).toBe(404);
    expectThrottled(await start());
    // Every route that starts a job draws on the same budget.
    expectThrottled(await client.post(`/api/v1/tenants/${tenantId}/enrichments`, { leadIds: [randomUUID()] }));
  }, 120_000);

  it.skipIf(!testDatabaseUrl)(
    'counts in the database, so every API process sees the same count',
    async () => {
      const other = await startTestApp();
      const address = new Client(t.app);
      const sameAddressOnOther = new Client(other.app);
      Object.defineProperty(sameAddressOnOther, 'ip', { value: address.ip });
      const half = Math.ceil(rateLimits.signUp.max / 2);
      for (let i = 0; i < half; i++) expect((await signUpFrom(address)).status).toBe(200);
      for (let i = half; i < rateLimits.signUp.max; i++) expect((await signUpFrom(sameAddressOnOther)).status).toBe(200);
      expectThrottled(await signUpFrom(sameAddressOnOther));
      expectThrottled(await signUpFrom(address));
    },
    120_000,
  );
});
