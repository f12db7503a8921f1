import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fixture, signatureOf } from '../server/src/whatsapp/fake-graph.js';
import { appWithGraph, loopbackOnlyContext, signUpInBrowser } from './support.js';

const stamp = Date.now().toString(36);
const APP_SECRET = 'e2e_campaign_secret_0123456789';
// More leads than a page of the recipients table holds (50), so its footer shows how many of all are loaded.
const LEADS = 52;
const OPTED_IN = 10;

const app = appWithGraph();

test('preview and start a campaign on a list, watch its progress, and see a reply arrive', async () => {
  const { context, blocked } = await loopbackOnlyContext(app.browser);
  const { page, tenantId, tenantUrl } = await signUpInBrowser(context, app.server, 'Camila Campaigner', `camila-${stamp}@example.test`);
  const api = `${app.server.url}/api/v1/tenants/${tenantId}`;
  const call = async (method: 'post' | 'patch' | 'put', path: string, data: unknown) => {
    const res = await context.request[method](`${api}${path}`, { data });
    assert.ok(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`);
    return await res.json();
  };

  // Set-up through the API: the connection, templates, a rate, and a list of 52 leads of whom ten opted in.
  await call('patch', '/settings/whatsapp', {
    phoneNumberId: '106540352242922',
    businessAccountId: '102290129340398',
    accessToken: 'EAAGe2eaccesstoken0123456789',
    appSecret: APP_SECRET,
  });
  await call('post', '/whatsapp/templates/sync', {});
  await call('put', '/settings/whatsapp-rates', { currency: 'USD', rates: [{ country: 'SA', category: 'UTILITY', rate: 0.01 }] });
  const list = await call('post', '/lists', { name: 'Riyadh bakeries' });
  const leadIds: string[] = [];
  for (let i = 0; i < LEADS; i++) {
    const lead = await call('post', '/leads', {
      name: `Bakery ${i + 1}`,
      phone: `+9665012300${String(i).padStart(2, '0')}`,
      city: 'Riyadh',
    });
    leadIds.push(lead.id);
    if (i < OPTED_IN)
      await call('post', `/leads/${lead.id}/whatsapp/consent`, { state: 'OPTED_IN', proof: 'Signed up at the bakery fair' });
  }
  await call('post', `/lists/${list.id}/leads`, { leadIds });

  // The campaign: list, template, its first variable from a lead field and the second fixed text, a slow rate to watch it go.
  await page.goto(`${tenantUrl}/whatsapp/campaigns`);
  await page.getByText('No campaigns yet').waitFor();
  await page.getByTestId('campaign-new').click();
  const form = page.getByTestId('campaign-form');
  await form.getByTestId('campaign-name').fill('Ramadan offer');
  await form.getByTestId('campaign-list').click();
  await page.getByRole('option', { name: 'Riyadh bakeries' }).click();
  await form.getByTestId('campaign-template').click();
  await page.getByRole('option', { name: /^order_confirmation/ }).click();
  await form.getByTestId('campaign-variable-1').click();
  await page.getByRole('option', { name: 'Fixed text' }).click();
  // Four spaces in a row are refused before anything is sent to the server, as Meta would refuse them.
  await form.getByTestId('campaign-fixed-1').fill('RMD    25');
  await form.getByLabel('Messages per second').fill('2');
  await form.getByTestId('campaign-preview').click();
  await form.getByText('No line breaks, tabs or four spaces in a row: WhatsApp refuses them').waitFor();
  assert.equal(await page.getByTestId('campaign-preview-panel').count(), 0);
  await form.getByTestId('campaign-fixed-1').fill('RMD-25');
  assert.equal(await form.getByTestId('campaign-message-preview').innerText(), 'Hi [Lead name]! Your order number is RMD-25. Thank you.');
  await form.getByTestId('campaign-preview').click();

  // The preview says who gets it, who does not and why, and what it costs, before anything is sent.
  await page.getByTestId('campaign-preview-panel').waitFor();
  assert.equal(await form.getByTestId('campaign-message-preview').innerText(), 'Hi [Lead name]! Your order number is RMD-25. Thank you.');
  assert.equal(await page.getByTestId('campaign-will-receive').innerText(), `${OPTED_IN} of ${LEADS} leads on the list will receive it`);
  assert.match(await page.getByTestId('campaign-skip-NO_CONSENT').innerText(), new RegExp(`^${LEADS - OPTED_IN}\\s+not opted in$`));
  assert.equal(await page.getByTestId('campaign-cost-total').innerText(), '0.1 USD');
  assert.equal(app.graph.sent.length, 0);
  await page.getByTestId('campaign-confirm').click();

  // Progress moves while it sends at two a second.
  const detail = page.getByTestId('campaign-detail');
  await detail.getByTestId('campaign-status').filter({ hasText: 'Sending' }).waitFor();
  await detail
    .getByTestId('campaign-progress')
    .filter({ hasText: /^[1-9] of 10 recipients done$/ })
    .waitFor({ timeout: 20_000 });
  await detail.getByTestId('campaign-status').filter({ hasText: 'Completed' }).waitFor({ timeout: 30_000 });
  assert.equal(await detail.getByTestId('campaign-stat-sent').innerText(), '10');
  assert.equal(new Set(app.graph.sent.map((r) => r.body.to)).size, 10);
  const sentValues = app.graph.sent.map((r) => r.body.template.components[0].parameters.map((p: { text: string }) => p.text).join('|'));
  assert.ok(sentValues.includes('Bakery 4|RMD-25'), sentValues.join(', '));
  assert.ok(sentValues.every((v) => v.endsWith('|RMD-25')));

  // Every recipient is listed in the campaign's table, those without consent too: first a page of all
  // of them, with how many there are, then the rest, and it says that is all.
  await detail
    .getByTestId('campaign-recipients-summary')
    .filter({ hasText: `50 of ${LEADS} shown` })
    .waitFor();
  assert.equal(await detail.getByTestId('campaign-recipient').count(), 50);
  await detail.getByRole('button', { name: 'Load more' }).click();
  await detail
    .getByTestId('campaign-recipients-summary')
    .filter({ hasText: `All ${LEADS} shown` })
    .waitFor();
  assert.equal(await detail.getByTestId('campaign-recipient').count(), LEADS);

  // A lead answers: the campaign's replies go up without a reload.
  const reply = fixture('webhook-inbound-text.json');
  const value = reply.entry[0].changes[0].value;
  value.contacts[0].wa_id = '966501230003';
  Object.assign(value.messages[0], {
    from: '966501230003',
    id: 'wamid.CAMPAIGNREPLY1',
    timestamp: String(Math.floor(Date.now() / 1000)),
    text: { body: 'Yes please, send the menu' },
  });
  const body = JSON.stringify(reply);
  const res = await fetch(`${app.server.url}/api/v1/webhooks/whatsapp/${tenantId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureOf(APP_SECRET, body) },
    body,
  });
  assert.equal(res.status, 200);
  await detail.getByTestId('campaign-stat-replied').filter({ hasText: '1' }).waitFor({ timeout: 20_000 });
  await page.getByTestId('campaign-row').getByTestId('campaign-replied').filter({ hasText: '1' }).waitFor({ timeout: 20_000 });

  // The recipients download: every lead of the list with what happened and why, as a spreadsheet reads it.
  const [download] = await Promise.all([page.waitForEvent('download'), detail.getByTestId('campaign-recipients-csv').click()]);
  assert.equal(download.suggestedFilename(), 'campaign-recipients-Ramadan_offer.csv');
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  assert.equal(lines[0], 'lead_name,phone,status,reason,sent_at,delivered_at,read_at,failed_at,replied_at,opted_out_at');
  assert.equal(lines.length, 1 + LEADS);
  assert.match(
    lines.find((l) => l.startsWith('Bakery 4,'))!,
    /^Bakery 4,\+966501230003,replied,,\d{4}-/,
  );
  assert.match(
    lines.find((l) => l.startsWith('Bakery 12,'))!,
    /^Bakery 12,\+966501230011,skipped,No recorded WhatsApp consent,,/,
  );

  // In Arabic the page reads right to left.
  await page.getByTestId('language-switcher').click();
  await page.getByRole('menuitem', { name: 'العربية', exact: true }).click();
  await page.getByRole('heading', { name: 'حملات WhatsApp' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.deepEqual(blocked, []);
  await context.close();
});
