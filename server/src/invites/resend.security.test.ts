import { describe, expect, it } from 'vitest';
import { EMAILS_PER_ADDRESS_PER_HOUR } from '../email/limits.js';
import { startTestApp, uniqueEmail } from '../test/harness.js';
import { emailsTo, signUpPerson } from '../team/test-users.js';

const t = await startTestApp();

describe('invitation emails are limited per address', () => {
  it('sends one address a few invitations an hour from one organization, and says when to try again', async () => {
    const owner = await signUpPerson(t);
    const url = `/api/v1/tenants/${owner.tenantId}`;
    const email = uniqueEmail('invitee');
    const created = await owner.client.post(`${url}/invites`, { email, role: 'MEMBER' });
    expect(created.status).toBe(201);
    for (let i = 1; i < EMAILS_PER_ADDRESS_PER_HOUR; i++) {
      expect((await owner.client.post(`${url}/invites/${created.body.id}/resend`)).status).toBe(200);
    }
    const before = await owner.client.get(`${url}/invites`);
    const refused = await owner.client.post(`${url}/invites/${created.body.id}/resend`);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('THROTTLED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await emailsTo(t, email)).toBe(EMAILS_PER_ADDRESS_PER_HOUR);
    // Refused, nothing changed: the link last sent still works.
    expect((await owner.client.get(`${url}/invites`)).body).toEqual(before.body);

    // Revoking and inviting again is counted the same way.
    expect((await owner.client.delete(`${url}/invites/${created.body.id}`)).status).toBe(204);
    expect((await owner.client.post(`${url}/invites`, { email, role: 'MEMBER' })).status).toBe(429);
    expect(await emailsTo(t, email)).toBe(EMAILS_PER_ADDRESS_PER_HOUR);

    // Another organization's invitations are counted on their own.
    const other = await signUpPerson(t);
    expect((await other.client.post(`/api/v1/tenants/${other.tenantId}/invites`, { email, role: 'MEMBER' })).status).toBe(201);
  });
});
