import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { unzip } from '../server/src/reports/read-zip.js';
import { appAndBrowser, loopbackOnlyContext, signUpInBrowser } from './support.js';

const started = appAndBrowser();
const stamp = Date.now().toString(36);
const LEAD = 'Crescent Dental Clinic';

test('a report generated on the lead page downloads as a PDF, opens through its share link, and its view reaches the lead', async () => {
  const { server, browser } = started;
  const { context } = await loopbackOnlyContext(browser);
  const { page, tenantUrl } = await signUpInBrowser(context, server, 'Rana Reports', `rana-${stamp}@example.test`);

  await page.goto(`${tenantUrl}/leads`);
  await page.getByRole('button', { name: 'New lead', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill(LEAD);
  await dialog.getByLabel('City', { exact: true }).fill('Riyadh');
  await dialog.getByRole('button', { name: 'Create lead', exact: true }).click();
  await page.locator(`[data-testid="lead-row"][data-lead-name="${LEAD}"]`).getByRole('link').first().click();
  await page.getByTestId('lead-page').waitFor();

  // Generate in English and follow it until it is done. The score card above loads on its own and
  // moves the section down, which would close a language list opened before it.
  await page.getByTestId('lead-score').waitFor();
  const section = page.getByTestId('reports-section');
  await section.getByTestId('report-language').click();
  await page.getByRole('option', { name: 'English', exact: true }).filter({ visible: true }).click();
  await section.getByTestId('report-generate').click();
  const card = section.locator('[data-testid="report-card"][data-status="SUCCEEDED"]');
  await card.waitFor({ timeout: 60_000 });
  assert.match(await card.innerText(), /Not viewed yet/);

  const [download] = await Promise.all([page.waitForEvent('download'), card.getByTestId('report-download').click()]);
  assert.equal(download.suggestedFilename(), 'Crescent-Dental-Clinic-en.pdf');
  const file = await download.path();
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  assert.match(text, /Crescent Dental Clinic/);
  assert.match(text, /Online presence report/);

  // Share it; the link is shown once.
  await card.getByTestId('report-share').click();
  await page.getByTestId('share-create').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, new RegExp(`^${server.url}/r/[A-Za-z0-9_-]{43}$`));
  await page.getByRole('button', { name: 'Close', exact: true }).click();

  // The business owner opens it in another browser, signed in nowhere.
  const { context: owner, blocked } = await loopbackOnlyContext(browser, { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile' });
  const shared = await owner.newPage();
  const answer = await shared.goto(url);
  assert.equal(answer?.status(), 200);
  assert.equal(await shared.locator('h1').innerText(), LEAD);
  assert.equal(await shared.locator('meta[name="robots"]').getAttribute('content'), 'noindex, nofollow');
  assert.deepEqual(blocked, []);
  await owner.close();

  // The creator, still in the app, is told at once, and the lead shows the view.
  await page.getByText('Someone just opened the report on').waitFor({ timeout: 15_000 });
  await section.locator('[data-testid="report-views"][data-count="1"]').waitFor();
  assert.match(await section.getByTestId('report-views').innerText(), /Viewed once, last/);
  await context.close();
});

test('the Arabic interface generates an Arabic report and lists it on the Reports page', async () => {
  const { server, browser } = started;
  const { context } = await loopbackOnlyContext(browser);
  const { page, tenantUrl } = await signUpInBrowser(context, server, 'Sami Reports', `sami-${stamp}@example.test`);
  await page.goto(`${tenantUrl}/leads`);
  await page.getByRole('button', { name: 'New lead', exact: true }).click();
  await page.getByRole('dialog').getByLabel('Name', { exact: true }).fill('مخبز النخيل');
  await page.getByRole('dialog').getByRole('button', { name: 'Create lead', exact: true }).click();
  await page.locator('[data-testid="lead-row"][data-lead-name="مخبز النخيل"]').getByRole('link').first().click();
  await page.evaluate(() => localStorage.setItem('optarget.locale', 'ar'));
  await page.reload();
  await page.getByTestId('lead-score').waitFor();
  const section = page.getByTestId('reports-section');
  await section.getByTestId('report-language').click();
  await page.getByRole('option', { name: 'العربية', exact: true }).filter({ visible: true }).click();
  await section.getByTestId('report-generate').click();
  await section.locator('[data-testid="report-card"][data-status="SUCCEEDED"]').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');

  await page.goto(`${tenantUrl}/reports`);
  const card = page.locator('[data-testid="report-row"][data-status="SUCCEEDED"]');
  await card.waitFor();
  assert.match(await card.innerText(), /مخبز النخيل/);
  assert.match(await card.innerText(), /لم يُفتح بعد/);
  await context.close();
});

test("a list's page starts a report of every lead after confirming how many, then downloads their PDFs as one ZIP", async () => {
  const { server, browser } = started;
  const { context } = await loopbackOnlyContext(browser);
  const { page, tenantUrl, tenantId } = await signUpInBrowser(context, server, 'Zaid Bundles', `zaid-${stamp}@example.test`);
  const api = `${server.url}/api/v1/tenants/${tenantId}`;
  const leadIds: string[] = [];
  for (const name of ['Palm Dental', 'عيادة النخيل'])
    leadIds.push((await (await page.request.post(`${api}/leads`, { data: { name, city: 'Riyadh' } })).json()).id);
  const list = await (await page.request.post(`${api}/lists`, { data: { name: 'Riyadh clinics' } })).json();
  await page.request.post(`${api}/lists/${list.id}/leads`, { data: { leadIds } });

  await page.goto(`${tenantUrl}/lists/${list.id}`);
  const section = page.getByTestId('reports-section');
  await section.getByTestId('report-language').click();
  await page.getByRole('option', { name: 'English', exact: true }).filter({ visible: true }).click();
  await section.getByTestId('lead-reports-start').click();
  const dialog = page.getByRole('dialog');
  assert.match(await dialog.innerText(), /This starts 2 reports, one per lead of this list/);
  await dialog.getByRole('button', { name: 'Generate 2 reports', exact: true }).click();
  await page.getByText('2 lead reports are being generated.').waitFor();

  // Both reports finish (the Reports page shows them), then the ZIP holds one PDF per lead.
  await page.goto(`${tenantUrl}/reports`);
  await page.locator('[data-testid="report-row"][data-status="SUCCEEDED"]').nth(1).waitFor({ timeout: 60_000 });
  await page.goto(`${tenantUrl}/lists/${list.id}`);
  const [download] = await Promise.all([page.waitForEvent('download'), section.getByTestId('lead-reports-zip').click()]);
  assert.equal(download.suggestedFilename(), 'Riyadh-clinics-lead-reports-all.zip');
  const entries = await unzip(readFileSync(await download.path()));
  assert.deepEqual(
    entries.map((e) => e.name),
    ['1-Palm-Dental-en.pdf', '2-عيادة-النخيل-en.pdf'],
  );
  for (const entry of entries) assert.equal(entry.data.subarray(0, 5).toString(), '%PDF-');
  await context.close();
});
