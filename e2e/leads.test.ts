import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { AppServer, launchBrowser, loopbackOnlyContext, signUpInBrowser } from './support.js';

const stamp = Date.now().toString(36);
const ARABIC = 'عيادة الأسنان الحديثة';
const BRIGHT = 'Bright Smile Dental';
const FALCON = 'Falcon Logistics';
const IMPORTED_ARABIC = 'مقهى الوردة الصحراوية';
const IMPORTED = 'Oasis Bakery';
const LIST = 'Riyadh targets';

let server: AppServer;
let browser: Browser;
const scratch = mkdtempSync(path.join(tmpdir(), 'optarget-e2e-csv-'));

before(async () => {
  server = new AppServer();
  await server.start();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const row = (page: Page, name: string) => page.locator(`[data-testid="lead-row"][data-lead-name="${name}"]`);
const rowNames = (page: Page) =>
  page.getByTestId('lead-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-lead-name')).sort());

async function createLead(page: Page, fields: { name: string; phone?: string; website?: string; city?: string }) {
  await page.getByRole('button', { name: 'New lead', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill(fields.name);
  if (fields.phone) await dialog.getByLabel('Phone', { exact: true }).fill(fields.phone);
  if (fields.website) await dialog.getByLabel('Website', { exact: true }).fill(fields.website);
  if (fields.city) await dialog.getByLabel('City', { exact: true }).fill(fields.city);
  await dialog.getByRole('button', { name: 'Create lead', exact: true }).click();
}

test('leads typed in, filtered, listed, moved through the pipeline, imported and exported survive reloads and a restart', async () => {
  const { context, blocked } = await loopbackOnlyContext(browser);
  const { page, tenantUrl } = await signUpInBrowser(context, server, 'Layla Leads', `layla-${stamp}@example.test`);

  // Three leads typed in by hand, one with an Arabic name.
  await page.goto(`${tenantUrl}/leads`);
  await createLead(page, { name: ARABIC, phone: '+966 50 123 4567', website: 'modern-dental.example', city: 'الرياض' });
  await row(page, ARABIC).waitFor();
  await createLead(page, { name: BRIGHT, phone: '+966 11 222 3333', website: 'https://brightsmile.example', city: 'Riyadh' });
  await row(page, BRIGHT).waitFor();
  await createLead(page, { name: FALCON, phone: '+966 12 444 5555', city: 'Jeddah' });
  await row(page, FALCON).waitFor();
  assert.deepEqual(await rowNames(page), [BRIGHT, FALCON, ARABIC].sort());
  assert.match(await row(page, ARABIC).innerText(), /\+966501234567|\+966 50 123 4567/);

  // The same phone written another way is recognised as the same business, and nothing is created.
  await createLead(page, { name: 'Modern Dental again', phone: '+966-50-123-4567' });
  await page.getByTestId('duplicate-lead').waitFor();
  assert.match(await page.getByTestId('duplicate-lead').innerText(), /already in your leads/);
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.reload();
  await row(page, ARABIC).waitFor();
  assert.equal(await page.getByTestId('lead-row').count(), 3);

  // Searching puts the filter in the address; a reload keeps both the filter and its results.
  await page.getByLabel('Search leads', { exact: true }).fill('Smile');
  await page.waitForURL(/[?&]q=Smile/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="lead-row"]').length === 1);
  assert.deepEqual(await rowNames(page), [BRIGHT]);
  await page.reload();
  await row(page, BRIGHT).waitFor();
  assert.equal(await page.getByLabel('Search leads', { exact: true }).inputValue(), 'Smile');
  assert.deepEqual(await rowNames(page), [BRIGHT]);

  // A list, then two leads added to it in bulk.
  await page.goto(`${tenantUrl}/lists`);
  await page.getByRole('button', { name: 'New list', exact: true }).click();
  await page.getByLabel('List name', { exact: true }).fill(LIST);
  await page.getByRole('button', { name: 'Create list', exact: true }).click();
  await page.locator(`[data-testid="list-row"][data-list-name="${LIST}"]`).waitFor();
  const listUrl = `${server.url}${await page
    .locator(`[data-testid="list-row"][data-list-name="${LIST}"]`)
    .getByRole('link', { name: LIST, exact: true })
    .getAttribute('href')}`.replace(/\?$/, '');

  await page.goto(`${tenantUrl}/leads`);
  await row(page, FALCON).waitFor();
  await page.getByLabel(`Select ${ARABIC}`, { exact: true }).check();
  await page.getByLabel(`Select ${FALCON}`, { exact: true }).check();
  assert.match(await page.getByTestId('selection-count').innerText(), /2/);
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Add to list', exact: true }).click();
  const bulk = page.getByRole('dialog');
  await bulk.getByLabel('List', { exact: true }).click();
  await page.getByRole('listbox').getByRole('option', { name: LIST, exact: true }).click();
  await bulk.getByRole('button', { name: 'Add', exact: true }).click();
  await bulk.waitFor({ state: 'detached' });

  // The list page shows both leads, after a reload and after a server restart.
  await page.goto(listUrl);
  await page.getByTestId('list-page').waitFor();
  await row(page, FALCON).waitFor();
  assert.deepEqual(await rowNames(page), [FALCON, ARABIC].sort());
  await page.reload();
  await row(page, ARABIC).waitFor();
  assert.deepEqual(await rowNames(page), [FALCON, ARABIC].sort());
  await server.restart();
  await page.reload();
  await row(page, ARABIC).waitFor();
  assert.deepEqual(await rowNames(page), [FALCON, ARABIC].sort());

  // A status changed in the table is saved.
  await page.goto(`${tenantUrl}/leads`);
  const status = page.getByLabel(`Status of ${BRIGHT}`, { exact: true });
  await status.waitFor();
  assert.equal(await status.inputValue(), 'NEW');
  await status.selectOption('QUALIFIED');
  await page.getByText(`${BRIGHT} is now`).first().waitFor();
  await page.reload();
  await status.waitFor();
  assert.equal(await status.inputValue(), 'QUALIFIED');

  // The lead's timeline says in words who did what, from what to what.
  await row(page, BRIGHT).getByRole('link', { name: BRIGHT, exact: true }).click();
  const timeline = page.getByTestId('lead-activity');
  await timeline.locator('[data-testid="activity-entry"][data-action="lead.updated"]').waitFor();
  const entries = await timeline.getByTestId('activity-entry').allInnerTexts();
  assert.match(entries[0], /Changed Status from “New” to “Qualified”/);
  assert.match(entries[entries.length - 1], /Created the lead/);

  // A CSV import with an Arabic row and a row without a name.
  const csv = path.join(scratch, 'leads.csv');
  writeFileSync(
    csv,
    [
      'Name,Phone,Website,City',
      `${IMPORTED_ARABIC},+966 13 555 0101,desert-rose.example,الدمام`,
      `${IMPORTED},+966 14 555 0202,oasis-bakery.example,Medina`,
      ',+966 11 555 0303,,Riyadh',
      '',
    ].join('\r\n'),
  );
  await page.goto(`${tenantUrl}/leads/import`);
  await page.getByLabel('CSV file').setInputFiles(csv);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  const mapping = page.getByTestId('import-mapping');
  await mapping.waitFor();
  for (const [column, field] of [
    ['Name', 'Name'],
    ['Phone', 'Phone'],
    ['Website', 'Website'],
    ['City', 'City'],
  ])
    assert.equal(
      await mapping.getByLabel(`Field for column ${column}`, { exact: true }).inputValue(),
      field,
      `${column} is mapped to ${field}`,
    );
  await page.getByRole('button', { name: 'Start import', exact: true }).click();
  const result = page.locator('[data-testid="import-result"]');
  await result.waitFor({ timeout: 30_000 });
  assert.equal(await result.getAttribute('data-status'), 'SUCCEEDED');
  const count = async (key: string) => Number(await page.getByTestId(`import-${key}`).getAttribute('data-count'));
  assert.equal(await count('created'), 2);
  assert.equal(await count('merged'), 0);
  assert.equal(await count('invalid'), 1);
  const errorsLink = page.getByTestId('import-errors-link');
  await errorsLink.waitFor();
  assert.match((await errorsLink.getAttribute('href')) ?? '', /\/errors\.csv\?lang=en$/);

  // Exporting gives a CSV Excel can open: BOM, header row, Arabic intact, every lead.
  await page.goto(`${tenantUrl}/leads`);
  await row(page, IMPORTED_ARABIC).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const file = readFileSync(await download.path(), 'utf8');
  assert.ok(file.startsWith('\uFEFF'), 'starts with a UTF-8 BOM');
  const lines = file.slice(1).split(/\r?\n/).filter(Boolean);
  assert.match(lines[0], /^name,/);
  assert.equal(lines.length, 1 + 5, 'a header and five leads');
  for (const name of [ARABIC, BRIGHT, FALCON, IMPORTED_ARABIC, IMPORTED])
    assert.ok(
      lines.some((l) => l.includes(name)),
      `${name} is in the export`,
    );
  assert.ok(lines.some((l) => l.includes(BRIGHT) && l.includes('QUALIFIED')));

  assert.deepEqual(blocked, []);
  await context.close();
});
