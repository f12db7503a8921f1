import { describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { importUploads, leads, lists } from '../db/schema/index.js';
import { signUp, startTestApp } from '../test/harness.js';

const t = await startTestApp();
const FOREIGN = 'https://evil.example';

const listsOf = async (tenantId: string) =>
  (await t.database.db.select({ n: count() }).from(lists).where(eq(lists.tenantId, tenantId)))[0].n;

describe('cross-site requests to /api/v1', () => {
  it('refuses a JSON POST with the session cookie from a foreign origin, and changes nothing', async () => {
    const { client, tenantId } = await signUp(t);
    const res = await client.request('POST', `/api/v1/tenants/${tenantId}/lists`, { name: 'Planted' }, { origin: FOREIGN });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'CROSS_SITE_REQUEST', status: 403 });
    expect(await listsOf(tenantId)).toBe(0);
  });

  it('refuses a DELETE and a PATCH from a foreign origin', async () => {
    const { client, tenantId } = await signUp(t);
    const list = await client.post(`/api/v1/tenants/${tenantId}/lists`, { name: 'Keep me' });
    expect(list.status).toBe(201);
    const url = `/api/v1/tenants/${tenantId}/lists/${list.body.id}`;
    expect((await client.request('DELETE', url, undefined, { origin: FOREIGN })).status).toBe(403);
    expect((await client.request('PATCH', url, { name: 'Renamed' }, { origin: FOREIGN })).status).toBe(403);
    expect((await client.get(url)).body.name).toBe('Keep me');
  });

  it('refuses a multipart upload (a CORS-simple request) from a foreign origin before reading it', async () => {
    const { client, tenantId } = await signUp(t);
    const boundary = '----optargetcrosssite';
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenantId}/imports`,
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\nname\nPlanted\r\n--${boundary}--\r\n`,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        origin: FOREIGN,
        'x-forwarded-for': client.ip,
        cookie: client.cookieHeader,
      },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CROSS_SITE_REQUEST');
    const uploads = await t.database.db.select({ n: count() }).from(importUploads).where(eq(importUploads.tenantId, tenantId));
    expect(uploads[0].n).toBe(0);
  });

  it('refuses a request without Origin whose Sec-Fetch-Site says another site sent it', async () => {
    const { client, tenantId } = await signUp(t);
    for (const site of ['cross-site', 'same-site']) {
      const res = await client.request(
        'POST',
        `/api/v1/tenants/${tenantId}/lists`,
        { name: 'Planted' },
        { origin: '', 'sec-fetch-site': site },
      );
      expect(res.status).toBe(403);
    }
    expect(await listsOf(tenantId)).toBe(0);
  });

  it('refuses the opaque origin "null" (sandboxed frames, redirects)', async () => {
    const { client, tenantId } = await signUp(t);
    expect((await client.request('POST', `/api/v1/tenants/${tenantId}/lists`, { name: 'Planted' }, { origin: 'null' })).status).toBe(403);
  });

  it('accepts the app itself, and clients that are not browsers (no Origin, no Sec-Fetch-Site)', async () => {
    const { client, tenantId } = await signUp(t);
    expect((await client.post(`/api/v1/tenants/${tenantId}/lists`, { name: 'From the app' })).status).toBe(201);
    const sameOrigin = await client.request(
      'POST',
      `/api/v1/tenants/${tenantId}/lists`,
      { name: 'Fetch metadata' },
      {
        origin: '',
        'sec-fetch-site': 'same-origin',
      },
    );
    expect(sameOrigin.status).toBe(201);
    expect((await client.request('POST', `/api/v1/tenants/${tenantId}/lists`, { name: 'A script' }, { origin: '' })).status).toBe(201);
    expect(await listsOf(tenantId)).toBe(3);
    // Reads are never refused: a cross-site GET cannot change anything and its answer is not readable cross-origin.
    expect((await client.request('GET', `/api/v1/tenants/${tenantId}/lists`, undefined, { origin: FOREIGN })).status).toBe(200);
  });

  it('lets only signed webhooks through from foreign servers', async () => {
    const { tenantId } = await signUp(t);
    const webhook = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/whatsapp/${tenantId}`,
      headers: { origin: FOREIGN, 'content-type': 'application/json' },
      payload: {},
    });
    // Not refused as cross-site (no such endpoint exists yet, so it is unknown).
    expect(webhook.statusCode).not.toBe(403);
    for (const url of [`/api/v1/webhooks/whatsapp/${tenantId}/extra`, `/api/v1/tenants/${tenantId}/webhooks/whatsapp/${tenantId}`]) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { origin: FOREIGN, 'content-type': 'application/json' },
        payload: {},
      });
      expect(res.statusCode).toBe(403);
    }
    const leadCount = await t.database.db.select({ n: count() }).from(leads).where(eq(leads.tenantId, tenantId));
    expect(leadCount[0].n).toBe(0);
  });
});
