import { describe, expect, it } from 'vitest';
import { signUp, startTestApp } from '../test/harness.js';
import { uploadCsv } from '../imports/test-helpers.js';

const t = await startTestApp();

describe('refused fields name the rule they broke', () => {
  it('gives each field of a refused form a rule and its numbers, beside the English message, and changes nothing', async () => {
    const owner = await signUp(t);
    const leads = `/api/v1/tenants/${owner.tenantId}/leads`;
    const bad = await owner.client.post(leads, { name: '', email: 'nope', status: 'MAYBE', tags: [], colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const byField = Object.fromEntries((bad.body.fields as { field: string }[]).map((f) => [f.field, f]));
    expect(byField.name).toMatchObject({ rule: 'required' });
    expect(byField.email).toMatchObject({ rule: 'email', message: 'must be a valid email address' });
    expect(byField.status).toMatchObject({ rule: 'oneOf', params: { values: 'NEW, CONTACTED, QUALIFIED, WON, LOST' } });
    expect((await owner.client.get(leads)).body.items).toEqual([]);

    const long = await owner.client.post(leads, { name: 'x'.repeat(301) });
    expect(long.body.fields).toEqual([expect.objectContaining({ field: 'name', rule: 'tooLong', params: { max: 300 } })]);

    // A check the route makes itself: a phone that cannot be read.
    const phone = await owner.client.post(leads, { name: 'Clinic', phone: '12' });
    expect(phone.status).toBe(400);
    expect(phone.body.fields).toEqual([expect.objectContaining({ field: 'phone', rule: 'phone' })]);
  });

  it('names the rule of settings, invites and import mapping refusals', async () => {
    const owner = await signUp(t);
    const base = `/api/v1/tenants/${owner.tenantId}`;
    const country = await owner.client.patch(`${base}/settings/general`, { defaultCountry: 'XX' });
    expect(country.body.fields).toEqual([expect.objectContaining({ field: 'defaultCountry', rule: 'countryCode' })]);

    const invites = await owner.client.post(`${base}/invites/bulk`, { emails: ' , ; ', role: 'MEMBER' });
    expect(invites.status).toBe(400);
    expect(invites.body.fields).toEqual([expect.objectContaining({ field: 'emails', rule: 'emailsNone' })]);

    const up = await uploadCsv(t, owner.client, owner.tenantId, 'name,phone\nA,+966500000001\n');
    const id = (up.body as { id: string }).id;
    const noName = await owner.client.post(`${base}/imports/${id}/start`, { mapping: { '1': 'phone' } });
    expect(noName.body.fields).toEqual([expect.objectContaining({ field: 'mapping', rule: 'mapName' })]);
    const outside = await owner.client.post(`${base}/imports/${id}/start`, { mapping: { '0': 'name', '5': 'phone' } });
    expect(outside.body.fields).toEqual([
      expect.objectContaining({ field: 'mapping', rule: 'mapColumn', params: { columns: 2, column: 6 } }),
    ]);
  });
});
