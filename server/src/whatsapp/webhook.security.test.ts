import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { leads, whatsappWebhookEvents } from '../db/schema/index.js';
import { signUp, startTestApp } from '../test/harness.js';
import { FakeGraph, fixture, signatureOf } from './fake-graph.js';
import { isSignedBy } from './signature.js';
import { APP_SECRET, connect, deliver, payload, settle, webhookUrl } from './test-helpers.js';

const graph = await FakeGraph.start();
afterAll(() => graph.close());
const t = await startTestApp(graph.env);
const db = t.database.db;

const inboundText = (id: string, text: string) =>
  payload('webhook-inbound-text.json', (b) => Object.assign(b.entry[0].changes[0].value.messages[0], { id, text: { body: text } }));
const leadsOf = (tenantId: string) => db.select().from(leads).where(eq(leads.tenantId, tenantId));
async function connectedOwner() {
  const owner = await signUp(t);
  await connect(owner);
  return owner;
}

describe('signature', () => {
  it("matches the fixtures' test vector over the exact bytes, and nothing else", () => {
    const body = Buffer.from(JSON.stringify(fixture('webhook-inbound-text.json')));
    expect(body.length).toBe(499);
    const vector = 'sha256=ded1d1d9621cffa39832ccf2b330fa476b4dc8ec2a5d102e1e554312b3f21d42';
    expect(isSignedBy('test_app_secret', body, vector)).toBe(true);
    expect(isSignedBy('test_app_secret', Buffer.from(JSON.stringify(fixture('webhook-inbound-text.json'), null, 1)), vector)).toBe(false);
    expect(isSignedBy('other_secret', body, vector)).toBe(false);
    expect(isSignedBy('test_app_secret', body, vector.toUpperCase())).toBe(false);
    expect(isSignedBy('test_app_secret', body, undefined)).toBe(false);
  });
});

describe('the verification handshake', () => {
  it("echoes the challenge for the tenant's verify token and refuses any other with 403", async () => {
    const owner = await connectedOwner();
    const token = (await owner.client.get(`/api/v1/tenants/${owner.tenantId}/settings/whatsapp`)).body.verifyToken as string;
    expect(token).toMatch(/^[\w-]{32}$/);
    const ask = (mode: string, verifyToken: string) =>
      t.app.inject({
        method: 'GET',
        url: `${webhookUrl(owner.tenantId)}?hub.mode=${mode}&hub.verify_token=${encodeURIComponent(verifyToken)}&hub.challenge=1158201444`,
      });
    const good = await ask('subscribe', token);
    expect(good.statusCode).toBe(200);
    expect(good.body).toBe('1158201444');
    expect((await ask('subscribe', `${token}x`)).statusCode).toBe(403);
    expect((await ask('unsubscribe', token)).statusCode).toBe(403);
    // Another tenant's token does not open this tenant's webhook.
    const other = await connectedOwner();
    const otherToken = (await other.client.get(`/api/v1/tenants/${other.tenantId}/settings/whatsapp`)).body.verifyToken as string;
    expect((await ask('subscribe', otherToken)).statusCode).toBe(403);
  });
});

describe('deliveries are checked before anything happens', () => {
  it('refuses missing, wrong and one-byte-tampered signatures with 401 and stores nothing', async () => {
    const owner = await connectedOwner();
    const body = inboundText('wamid.SIG1', 'Hello');
    const tampered = body.replace('Hello', 'Hellp');
    const answers = [
      await deliver(t, owner.tenantId, body, { signature: null }),
      await deliver(t, owner.tenantId, body, { secret: 'not_the_secret' }),
      await deliver(t, owner.tenantId, tampered, { signature: signatureOf(APP_SECRET, body) }),
      await deliver(t, owner.tenantId, body, { signature: 'sha1=abc' }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401]);
    expect(await db.select().from(whatsappWebhookEvents).where(eq(whatsappWebhookEvents.tenantId, owner.tenantId))).toEqual([]);
    expect(await leadsOf(owner.tenantId)).toEqual([]);
  });

  it("a body signed with tenant A's secret never touches tenant B, and an unconnected tenant refuses everything", async () => {
    const a = await connectedOwner();
    const b = await signUp(t);
    await connect(b, { appSecret: 'tenant_b_app_secret' });
    const body = inboundText('wamid.CROSS1', 'Hi');
    expect((await deliver(t, b.tenantId, body, { secret: APP_SECRET })).statusCode).toBe(401);
    const unconnected = await signUp(t);
    expect((await deliver(t, unconnected.tenantId, body)).statusCode).toBe(401);
    expect((await deliver(t, '00000000-0000-4000-8000-000000000000', body)).statusCode).toBe(401);
    await settle(t, b.tenantId);
    expect(await leadsOf(b.tenantId)).toEqual([]);
    expect(await leadsOf(a.tenantId)).toEqual([]);
  });
});
