import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { fixture, signatureOf } from '../server/src/whatsapp/fake-graph.js';
import { appWithGraph, leadRow, loopbackOnlyContext, signUpInBrowser } from './support.js';

const stamp = Date.now().toString(36);
const APP_SECRET = 'e2e_app_secret_0123456789';

const app = appWithGraph();

/** The names in the lead table once it has settled on exactly `expected` rows. */
async function tableNames(page: Page, expected: number) {
  const rows = page.getByTestId('lead-row');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="lead-row"]').length === n, expected);
  return (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-lead-name')))).sort();
}

test('send a report on WhatsApp from the lead page, then follow dashboard numbers to exactly the leads behind them', async () => {
  const { context, blocked } = await loopbackOnlyContext(app.browser);
  const { page, tenantId, tenantUrl } = await signUpInBrowser(context, app.server, 'Dana Outreach', `dana-${stamp}@example.test`);
  const api = `${app.server.url}/api/v1/tenants/${tenantId}`;
  const connected = await context.request.patch(`${api}/settings/whatsapp`, {
    data: {
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
      accessToken: 'EAAGe2eaccesstoken0123456789',
      appSecret: APP_SECRET,
    },
  });
  assert.equal(connected.status(), 200);
  const leadIds: Record<string, string> = {};
  for (const [name, phone] of [
    ['Nour Bakery', '+966501110001'],
    ['Salma Dental', '+966501110002'],
    ['Omar Garage', '+966501110003'],
    ['Quiet Florist', '+966501110004'],
  ]) {
    const res = await context.request.post(`${api}/leads`, { data: { name, phone } });
    assert.equal(res.status(), 201);
    leadIds[name] = ((await res.json()) as { id: string }).id;
  }
  for (const name of ['Salma Dental', 'Omar Garage']) {
    const res = await context.request.post(`${api}/leads/${leadIds[name]}/whatsapp/consent`, {
      data: { state: 'OPTED_OUT', reason: 'Asked us not to write' },
    });
    assert.equal(res.status(), 200);
  }
  const report = await context.request.post(`${api}/reports`, { data: { leadId: leadIds['Nour Bakery'], language: 'en' } });
  assert.equal(report.status(), 201);

  // Before the lead writes, the window is closed: the button says why and cannot be used.
  await page.goto(`${tenantUrl}/leads/${leadIds['Nour Bakery']}`);
  const button = page.getByTestId('report-send-whatsapp');
  // data-blocked appears once the conversation has loaded: '' when the button can be used.
  await page.locator('[data-testid="report-send-whatsapp"][data-blocked]').waitFor({ timeout: 60_000 });
  assert.equal(await button.getAttribute('data-blocked'), 'WINDOW_CLOSED');
  assert.ok(await button.isDisabled());
  assert.match(await page.getByTestId('report-send-whatsapp-blocked').innerText(), /within 24 hours/);

  // The lead writes; the window opens and the report goes as a document.
  const inbound = fixture('webhook-inbound-text.json');
  Object.assign(inbound.entry[0].changes[0].value.messages[0], {
    from: '966501110001',
    id: `wamid.E2E${stamp}`,
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const text = JSON.stringify(inbound);
  const delivered = await fetch(`${app.server.url}/api/v1/webhooks/whatsapp/${tenantId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(APP_SECRET, text) },
    body: text,
  });
  assert.equal(delivered.status, 200);
  await page.locator('[data-testid="report-send-whatsapp"][data-blocked=""]').waitFor({ timeout: 20_000 });
  await button.click();
  await page.getByLabel('Caption (optional)').fill('Your opportunity report');
  await page.getByTestId('report-send-whatsapp-confirm').click();
  await page.getByTestId('whatsapp-message-report').waitFor();
  for (let i = 0; i < 200 && app.graph.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(app.graph.uploads.length, 1);
  assert.equal(app.graph.sent.length, 1);
  assert.equal(app.graph.sent[0].body.type, 'document');
  assert.equal(app.graph.sent[0].body.document.caption, 'Your opportunity report');

  // Meta took it: the thread shows it sent.
  const sent = async () => {
    const thread = (await (await context.request.get(`${api}/leads/${leadIds['Nour Bakery']}/whatsapp`)).json()) as {
      messages: { type: string; status: string }[];
    };
    return thread.messages.some((m) => m.type === 'document' && m.status === 'SENT');
  };
  for (let i = 0; i < 200 && !(await sent()); i++) await new Promise((r) => setTimeout(r, 100));

  // The dashboard counts the opted-out leads, and the number opens exactly them.
  await page.goto(`${tenantUrl}/dashboard`);
  const optedOut = page.getByTestId('outreach-optedOut');
  await optedOut.waitFor();
  assert.equal(await optedOut.getAttribute('data-count'), '2');
  await optedOut.getByRole('link').click();
  await page.waitForURL(/\/leads\?.*outreach=optedOut/);
  await page.getByTestId('outreach-filter').waitFor();
  assert.deepEqual(await tableNames(page, 2), ['Omar Garage', 'Salma Dental']);
  assert.equal(await leadRow(page, 'Quiet Florist').count(), 0);

  // And the lead awaiting nothing more (we answered with the report) is not among those awaiting a reply.
  await page.goto(`${tenantUrl}/dashboard`);
  const messaged = page.getByTestId('outreach-messaged');
  await page.locator('[data-testid="outreach-messaged"][data-count="1"]').waitFor();
  assert.equal(await page.getByTestId('outreach-awaitingReply').getAttribute('data-count'), '0');
  await messaged.getByRole('link').click();
  await page.waitForURL(/\/leads\?.*outreach=messaged/);
  assert.deepEqual(await tableNames(page, 1), ['Nour Bakery']);
  assert.deepEqual(blocked, []);
  await context.close();
});
