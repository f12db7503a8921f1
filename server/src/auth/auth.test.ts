import { describe, expect, it } from 'vitest';
import { Client, PASSWORD, signUp, startTestApp, uniqueEmail } from '../test/harness.js';

const t = await startTestApp();

describe('sign-up', () => {
  it('creates the user, an organization named after them with the user as OWNER', async () => {
    const { client } = await signUp(t, { name: 'Layla Haddad' });
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user.name).toBe('Layla Haddad');
    expect(me.body.memberships).toHaveLength(1);
    expect(me.body.memberships[0]).toMatchObject({ name: "Layla Haddad's Organization", role: 'OWNER', planCode: 'free' });
  });

  it('sets an httpOnly, SameSite=Lax session cookie', async () => {
    const client = new Client(t.app);
    const res = await client.post('/api/auth/sign-up/email', { name: 'Cookie', email: uniqueEmail(), password: PASSWORD });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/session_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
});
