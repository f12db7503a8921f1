// Test-only helpers of the WhatsApp tests: connecting a tenant, signed deliveries, waiting for the worker.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { jobs, whatsappWebhookEvents } from '../db/schema/index.js';
import type { SignedUpUser, TestApp } from '../test/harness.js';
import { fixture, signatureOf } from './fake-graph.js';

/** The ids of the fixtures' phone number and business account, and the test vector's app secret. */
export const PHONE_NUMBER_ID = '106540352242922';
export const WABA_ID = '102290129340398';
export const APP_SECRET = 'test_app_secret';
export const ACCESS_TOKEN = 'EAAGtestaccesstoken0123456789abcdef';

export const settingsUrl = (who: SignedUpUser) => `/api/v1/tenants/${who.tenantId}/settings/whatsapp`;
export const webhookUrl = (tenantId: string) => `/api/v1/webhooks/whatsapp/${tenantId}`;
export const leadUrl = (who: SignedUpUser, leadId: string, rest = '') => `/api/v1/tenants/${who.tenantId}/leads/${leadId}/whatsapp${rest}`;

/** Saves the fixtures' connection as the owner would; answers the settings. */
export async function connect(who: SignedUpUser, overrides: Record<string, string> = {}) {
  const res = await who.client.patch(settingsUrl(who), {
    phoneNumberId: PHONE_NUMBER_ID,
    businessAccountId: WABA_ID,
    accessToken: ACCESS_TOKEN,
    appSecret: APP_SECRET,
    ...overrides,
  });
  if (res.status !== 200) throw new Error(`connecting failed: ${res.status} ${res.text}`);
  return res.body;
}

/** A fixture body, minified as Meta sends it, with `edit` applied first. */
export function payload(name: string, edit: (body: any) => void = () => undefined): string {
  const body = fixture(name);
  edit(body);
  return JSON.stringify(body);
}

/** POSTs `body` to the tenant's webhook as Meta would, signed with `secret` unless a signature is given. */
export function deliver(t: TestApp, tenantId: string, body: string, opts: { secret?: string; signature?: string | null } = {}) {
  const signature = opts.signature === undefined ? signatureOf(opts.secret ?? APP_SECRET, body) : opts.signature;
  return t.app.inject({
    method: 'POST',
    url: webhookUrl(tenantId),
    payload: body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'facebookexternalua',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
  });
}

/** Waits until the worker has applied every stored delivery of the tenant and no processing job is left. */
export async function settle(t: TestApp, tenantId: string, timeoutMs = 15_000) {
  const db = t.database.db;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await db
      .select({ id: whatsappWebhookEvents.id })
      .from(whatsappWebhookEvents)
      .where(and(eq(whatsappWebhookEvents.tenantId, tenantId), isNull(whatsappWebhookEvents.processedAt)));
    const running = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.tenantId, tenantId), inArray(jobs.status, ['PENDING', 'RUNNING'])));
    if (pending.length === 0 && running.length === 0) return;
    if (Date.now() > deadline) throw new Error(`deliveries still pending after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
