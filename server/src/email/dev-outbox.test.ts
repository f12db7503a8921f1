import { describe, expect, it } from 'vitest';
import { Client, lastEmailTo, PASSWORD, signUp, startTestApp, uniqueEmail } from '../test/harness.js';

const withOutbox = await startTestApp();
const withoutOutbox = await startTestApp({ DEV_OUTBOX: 'false' });

describe('development outbox', () => {
  it('lists the emails that were not sent, with their links', async () => {
    const { email } = await signUp(withOutbox);
    const res = await new Client(withOutbox.app).get('/api/dev/outbox');
    expect(res.status).toBe(200);
    const mine = res.body.items.filter((e: { to: string }) => e.to === email);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      subject: 'Confirm your email address for OpTarget',
      text: expect.stringMatching(/verify-email\?token=/),
    });
    expect(new Date(mine[0].createdAt).toISOString()).toBe(mine[0].createdAt);
  });

  it('does not exist when DEV_OUTBOX=false, and keeps no copy of the email', async () => {
    const email = uniqueEmail();
    const client = new Client(withoutOutbox.app);
    expect((await client.post('/api/auth/sign-up/email', { name: 'No Outbox', email, password: PASSWORD })).status).toBe(200);
    const res = await client.get('/api/dev/outbox');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(await lastEmailTo(withoutOutbox, email)).toBeNull();
  });
});
