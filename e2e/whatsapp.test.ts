import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, signatureOf } from '../server/src/whatsapp/fake-graph.js';
import { appWithGraph, loopbackOnlyContext, signUpInBrowser } from './support.js';

const stamp = Date.now().toString(36);
const APP_SECRET = 'e2e_app_secret_0123456789';

const app = appWithGraph();

/** Meta's POST of `body` to the tenant's webhook, signed with the app secret. */
async function deliver(tenantId: string, body: Record<string, any>) {
  const text = JSON.stringify(body);
  const res = await fetch(`${app.server.url}/api/v1/webhooks/whatsapp/${tenantId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(APP_SECRET, text) },
    body: text,
  });
  assert.equal(res.status, 200);
}

test('connect, sync templates, record an opt-in, send a template, see it delivered and a reply arrive live', async () => {
  const { context, blocked } = await loopbackOnlyContext(app.browser);
  const { page, tenantId, tenantUrl } = await signUpInBrowser(context, app.server, 'Wafa Sender', `wafa-${stamp}@example.test`);

  // The owner connects the number against the (local) Graph API and tests the connection.
  await page.goto(`${tenantUrl}/settings?section=whatsapp`);
  const form = page.getByTestId('whatsapp-connection-form');
  await form.getByLabel('Phone number id', { exact: true }).fill('106540352242922');
  await form.getByLabel('WhatsApp Business Account id', { exact: true }).fill('102290129340398');
  await form.getByLabel('Access token', { exact: true }).fill('EAAGe2eaccesstoken0123456789');
  await form.getByLabel('App secret', { exact: true }).fill(APP_SECRET);
  await form.getByRole('button', { name: 'Save connection' }).click();
  await page.locator('[data-testid="whatsapp-connected"][data-connected="true"]').waitFor();
  assert.equal(await page.getByTestId('whatsapp-webhook-url').innerText(), `${app.server.url}/api/v1/webhooks/whatsapp/${tenantId}`);
  await page.getByTestId('whatsapp-test-connection').click();
  assert.match(await page.getByTestId('whatsapp-check-result').innerText(), /Riyadh Growth Agency .* quality GREEN/);

  // Templates come from Meta.
  await page.getByTestId('whatsapp-sync-templates').click();
  await page.getByTestId('whatsapp-template-table').getByText('order_confirmation').waitFor();

  // A lead found on a map has a phone number but no opt-in: the lead page says templates need one.
  const created = await context.request.post(`${app.server.url}/api/v1/tenants/${tenantId}/leads`, {
    data: { name: 'Jessica Bakery', phone: '+966501234567' },
  });
  assert.equal(created.status(), 201);
  const leadId = ((await created.json()) as { id: string }).id;
  await page.goto(`${tenantUrl}/leads/${leadId}`);
  const card = page.getByTestId('lead-whatsapp');
  await card.locator('[data-testid="whatsapp-consent"][data-state="NONE"]').waitFor();
  assert.match(await card.getByTestId('whatsapp-composer-blocked').innerText(), /Templates need a recorded opt-in/);

  // A member records the opt-in with its proof.
  await card.getByTestId('whatsapp-record-opt-in').click();
  await page.getByTestId('whatsapp-consent-note').fill('Signed the opt-in form at the Riyadh expo, 2 May');
  await page.getByTestId('whatsapp-consent-save').click();
  await card.locator('[data-testid="whatsapp-consent"][data-state="OPTED_IN"]').waitFor();

  // The template goes with the lead's name and a fixed order number.
  await card.getByTestId('whatsapp-template-select').click();
  await page.getByRole('option', { name: 'order_confirmation (en_US)' }).click();
  await card.getByLabel('Text for 2', { exact: true }).fill('SKBUP2-4CPIG9');
  assert.equal(
    await card.getByTestId('whatsapp-template-preview').innerText(),
    'Hi Jessica Bakery! Your order number is SKBUP2-4CPIG9. Thank you.',
  );
  await card.getByTestId('whatsapp-send-template').click();
  await card.locator('[data-testid="whatsapp-ticks"][data-status="SENT"]').waitFor({ timeout: 20_000 });
  const sent = app.graph.sent.at(-1)!;
  assert.deepEqual(sent.body.template.components, [
    {
      type: 'body',
      parameters: [
        { type: 'text', text: 'Jessica Bakery' },
        { type: 'text', text: 'SKBUP2-4CPIG9' },
      ],
    },
  ]);

  // Meta reports it delivered: the tick changes without a reload.
  const delivered = fixture('webhook-status-sent.json');
  Object.assign(delivered.entry[0].changes[0].value.statuses[0], { id: 'wamid.TEST1', status: 'delivered', recipient_id: '966501234567' });
  await deliver(tenantId, delivered);
  await card.locator('[data-testid="whatsapp-ticks"][data-status="DELIVERED"]').waitFor({ timeout: 20_000 });

  // The reply appears in the inbox while it is open.
  await page.goto(`${tenantUrl}/whatsapp`);
  await page.getByTestId('whatsapp-conversation').first().waitFor();
  const reply = fixture('webhook-inbound-text.json');
  Object.assign(reply.entry[0].changes[0].value.messages[0], {
    from: '966501234567',
    id: 'wamid.REPLY1',
    timestamp: String(Math.floor(Date.now() / 1000)),
    text: { body: 'Thank you, see you tomorrow' },
  });
  await deliver(tenantId, reply);
  const row = page.locator('[data-testid="whatsapp-conversation"][data-unread="1"]');
  await row.waitFor({ timeout: 20_000 });
  assert.equal(await row.getByTestId('whatsapp-preview').innerText(), 'Thank you, see you tomorrow');

  // In Arabic the inbox and the lead's WhatsApp card read right to left.
  await page.getByTestId('language-switcher').click();
  await page.getByRole('menuitem', { name: 'العربية', exact: true }).click();
  await page.getByRole('heading', { name: 'صندوق WhatsApp' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await page.goto(`${tenantUrl}/leads/${leadId}`);
  assert.equal(await card.getByTestId('whatsapp-consent').innerText(), 'موافق على الرسائل');
  assert.match(await card.getByTestId('whatsapp-window').innerText(), /النافذة مفتوحة/);
  // The lead's timeline tells the template sent, where it stands, and the reply, in Arabic.
  // (Each value is wrapped in direction isolates, so a Latin name keeps its place in the Arabic sentence.)
  const plainText = async (entry: typeof card) => (await entry.innerText()).replace(/[\u2066-\u2069]/g, '');
  const sentEntry = page.locator('[data-testid="activity-entry"][data-action="whatsapp.message"]');
  assert.match(await plainText(sentEntry), /أرسل قالب واتساب «order_confirmation» · وصلت/);
  const replyEntry = page.locator('[data-testid="activity-entry"][data-action="whatsapp.message_received"]');
  assert.match(await plainText(replyEntry), /وصلت رسالة واتساب\s+Thank you, see you tomorrow/);
  assert.deepEqual(blocked, []);
  await context.close();
});

test('an owner submits a new template to Meta, sees it pending, and deletes it after confirming', async () => {
  const { context } = await loopbackOnlyContext(app.browser);
  const { page, tenantId, tenantUrl } = await signUpInBrowser(context, app.server, 'Tamer Templates', `tamer-${stamp}@example.test`);
  const saved = await context.request.patch(`${app.server.url}/api/v1/tenants/${tenantId}/settings/whatsapp`, {
    data: {
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
      accessToken: 'EAAGe2eaccesstoken0123456789',
      appSecret: APP_SECRET,
    },
  });
  assert.equal(saved.status(), 200);

  await page.goto(`${tenantUrl}/settings?section=whatsapp`);
  await page.getByTestId('whatsapp-new-template').click();
  const form = page.getByTestId('template-form');
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Spring Offer');
  await form.getByRole('textbox', { name: 'Message', exact: true }).fill('Hello {{1}}, our spring offer ends on {{2}}.');
  await form.getByRole('textbox', { name: 'Example for {{1}}', exact: true }).fill('Sara');
  await form.getByRole('textbox', { name: 'Example for {{2}}', exact: true }).fill('30 April');
  await form.getByRole('textbox', { name: 'Quick-reply buttons (optional)', exact: true }).fill('Stop promotions');
  await form.getByRole('textbox', { name: 'Quick-reply buttons (optional)', exact: true }).press('Enter');
  // A name with capitals is refused with the rule, before anything reaches Meta.
  const before = app.graph.requests.length;
  await page.getByTestId('template-submit').click();
  await form.getByText('may contain only lowercase letters, digits and _').waitFor();
  assert.equal(app.graph.requests.length, before);

  await form.getByRole('textbox', { name: 'Name', exact: true }).fill('spring_offer');
  await page.getByTestId('template-submit').click();
  const row = page.locator('[data-testid="whatsapp-template-row"][data-template-name="spring_offer"]');
  await row.waitFor();
  assert.match(await row.innerText(), /PENDING/);
  const submitted = app.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/message_templates')).at(-1)!;
  assert.deepEqual(submitted.body.components, [
    { type: 'body', text: 'Hello {{1}}, our spring offer ends on {{2}}.', example: { body_text: [['Sara', '30 April']] } },
    { type: 'buttons', buttons: [{ type: 'quick_reply', text: 'Stop promotions' }] },
  ]);

  await row.getByTestId('whatsapp-delete-template').click();
  const dialog = page.getByRole('dialog');
  assert.match(await dialog.innerText(), /spring_offer \(en_US\) is deleted at Meta and here/);
  await dialog.getByTestId('confirm-button').click();
  await row.waitFor({ state: 'detached' });
  const deleted = app.graph.requests.filter((r) => r.method === 'DELETE').at(-1)!;
  assert.equal(deleted.query.get('name'), 'spring_offer');
  await context.close();
});
