import { startTestApp } from '../test/harness.js';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { tenants } from '../db/schema/index.js';
import { uniqueEmail } from '../test/harness.js';
import { addPerson, auditOf, emailsTo, invitesOf, signUpPerson } from '../team/test-users.js';
import { parseEmailList } from './bulk.js';

const t = await startTestApp();

async function newTeam(plan: 'free' | 'pro' = 'pro') {
  const owner = await signUpPerson(t, { name: 'Olivia Owner' });
  await t.database.db.update(tenants).set({ planCode: plan }).where(eq(tenants.id, owner.tenantId));
  return { owner, tenantId: owner.tenantId, url: `/api/v1/tenants/${owner.tenantId}` };
}

describe('reading a pasted list', () => {
  it('splits on commas, semicolons, spaces and new lines', () => {
    expect(parseEmailList('a@x.test, b@x.test;c@x.test\n d@x.test\r\n\te@x.test ,,; ')).toEqual([
      'a@x.test',
      'b@x.test',
      'c@x.test',
      'd@x.test',
      'e@x.test',
    ]);
  });

  it('keeps the address of "Name <address>" forms, quoted names with commas included', () => {
    expect(
      parseEmailList('Jane Doe <jane@x.test>, "Doe, John" <john@x.test>; <bare@x.test>\nsam@x.test Sam Smith <sam.smith@x.test>'),
    ).toEqual(['jane@x.test', 'john@x.test', 'bare@x.test', 'sam@x.test', 'sam.smith@x.test']);
  });
});

describe('bulk invite', () => {
  it('answers per address: invited, already a member, already invited, invalid, duplicate', async () => {
    const { owner, tenantId, url } = await newTeam();
    const member = await addPerson(t, tenantId, 'MEMBER');
    const alreadyInvited = uniqueEmail('pending');
    const pending = await owner.client.post(`${url}/invites`, { email: alreadyInvited, role: 'MEMBER' });
    const [fresh1, fresh2] = [uniqueEmail('fresh'), uniqueEmail('fresh')];

    const pasted = `Fresh One <${fresh1.toUpperCase()}>, ${member.email}; ${alreadyInvited}\nnot-an-email ${fresh2} ${fresh1}`;
    const res = await owner.client.post(`${url}/invites/bulk`, { emails: pasted, role: 'VIEWER' });
    expect(res.status).toBe(200);
    const invites = await invitesOf(t, tenantId);
    const idOf = (email: string) => invites.find((i) => i.email === email)?.id;
    expect(res.body.results).toEqual([
      { email: fresh1, outcome: 'INVITED', message: expect.any(String), inviteId: idOf(fresh1) },
      { email: member.email, outcome: 'ALREADY_MEMBER', message: expect.any(String) },
      { email: alreadyInvited, outcome: 'ALREADY_INVITED', message: expect.stringMatching(/resend/), inviteId: pending.body.id },
      { email: 'not-an-email', outcome: 'INVALID', message: expect.any(String) },
      { email: fresh2, outcome: 'INVITED', message: expect.any(String), inviteId: idOf(fresh2) },
      { email: fresh1, outcome: 'DUPLICATE', message: expect.any(String) },
    ]);

    expect(invites.map((i) => [i.email, i.role])).toEqual([
      [alreadyInvited, 'MEMBER'],
      [fresh1, 'VIEWER'],
      [fresh2, 'VIEWER'],
    ]);
    expect(await emailsTo(t, fresh1)).toBe(1);
    expect(await emailsTo(t, fresh2)).toBe(1);
    expect(await emailsTo(t, alreadyInvited)).toBe(1);
    const sent = await auditOf(t, tenantId, 'invite.sent');
    const byEmail = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.email).localeCompare(String(b.email));
    expect(sent.map((e) => e.metadata).sort(byEmail)).toEqual(
      [
        { email: fresh1, role: 'VIEWER', bulk: true },
        { email: fresh2, role: 'VIEWER', bulk: true },
        { email: alreadyInvited, role: 'MEMBER' },
      ].sort(byEmail),
    );
  });

  it('invites the first addresses that fit in the plan’s seats and reports the rest', async () => {
    const { tenantId, url, owner } = await newTeam('free');
    const emails = [uniqueEmail('s1'), uniqueEmail('s2'), uniqueEmail('s3'), uniqueEmail('s4')];

    const res = await owner.client.post(`${url}/invites/bulk`, { emails: emails.join('\n') });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'INVITED',
      'INVITED',
      'PLAN_LIMIT_EXCEEDED',
      'PLAN_LIMIT_EXCEEDED',
    ]);
    expect(res.body.results[2].message).toMatch(/Free plan includes 3 seats/);
    expect((await invitesOf(t, tenantId)).map((i) => [i.email, i.role])).toEqual([
      [emails[0], 'MEMBER'],
      [emails[1], 'MEMBER'],
    ]);
    expect(await emailsTo(t, emails[2])).toBe(0);
    expect(await auditOf(t, tenantId, 'invite.sent')).toHaveLength(2);
  });

  it('refuses more than 100 addresses, an empty list, an unknown role and a role above the inviter’s own, inviting no one', async () => {
    const { owner, tenantId, url } = await newTeam();
    const admin = await addPerson(t, tenantId, 'ADMIN');
    const ok = uniqueEmail('ok');
    const many = Array.from({ length: 101 }, (_, i) => `p${i}@x.test`).join(',');

    const tooMany = await owner.client.post(`${url}/invites/bulk`, { emails: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.fields).toEqual([
      { field: 'emails', message: expect.stringMatching(/at most 100/), rule: 'emailsTooMany', params: { max: 100, count: 101 } },
    ]);

    const blank = await owner.client.post(`${url}/invites/bulk`, { emails: ' ,; \n' });
    expect(blank.status).toBe(400);
    expect(blank.body.fields[0].field).toBe('emails');

    const missing = await owner.client.post(`${url}/invites/bulk`, { role: 'MEMBER' });
    expect(missing.status).toBe(400);
    expect(missing.body.fields[0].field).toBe('emails');

    const badRole = await owner.client.post(`${url}/invites/bulk`, { emails: ok, role: 'GOD' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.fields[0].field).toBe('role');

    const tooHigh = await admin.client.post(`${url}/invites/bulk`, { emails: ok, role: 'OWNER' });
    expect(tooHigh.status).toBe(403);

    expect(await invitesOf(t, tenantId)).toEqual([]);
    expect(await emailsTo(t, ok)).toBe(0);
  });

  it('accepts exactly 100 addresses', async () => {
    const { owner, url } = await newTeam('free');
    const hundred = Array.from({ length: 100 }, () => uniqueEmail('h')).join(' ');
    const res = await owner.client.post(`${url}/invites/bulk`, { emails: hundred });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(100);
  });
});
