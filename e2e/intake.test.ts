import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { appAndBrowser, leadRow as row, loopbackOnlyContext, signUpInBrowser, uploadForImport } from './support.js';

// Nothing a user brings is dropped silently: local phone numbers typed or imported with their
// country, and the import's result saying what was kept, what needs attention and what was refused.

const stamp = Date.now().toString(36);
const app = appAndBrowser();
const scratch = mkdtempSync(path.join(tmpdir(), 'optarget-e2e-intake-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The input's value once something (a query answering) has filled it, within 10 s. */
async function filledValue(input: Locator): Promise<string> {
  await input.waitFor();
  for (let tries = 0; tries < 100; tries++) {
    const value = await input.inputValue();
    if (value !== '') return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return '';
}

test('a local phone typed with its country is kept, and an import says plainly what it kept, flagged and refused', async () => {
  // A browser in Saudi Arabia: the first import offers SA as the country of local numbers.
  const { context, blocked } = await loopbackOnlyContext(app.browser, { locale: 'en-SA' });
  const { page, tenantUrl } = await signUpInBrowser(context, app.server, 'Huda Intake', `huda-${stamp}@example.test`);

  // The New lead form reads 011 555 1234 in the lead's country, with no default country set.
  await page.goto(`${tenantUrl}/leads`);
  await page.getByRole('button', { name: 'New lead', exact: true }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Riyadh Office Supplies');
  await dialog.getByLabel('Phone', { exact: true }).fill('011 555 1234');
  await dialog.getByLabel('Country', { exact: true }).fill('SA');
  await dialog.getByRole('button', { name: 'Create lead', exact: true }).click();
  await row(page, 'Riyadh Office Supplies').waitFor();
  assert.match(await row(page, 'Riyadh Office Supplies').innerText(), /\+966115551234/);

  // A number that cannot be read even there is refused at the field, with the reason.
  await page.getByRole('button', { name: 'New lead', exact: true }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Short Number');
  await dialog.getByLabel('Phone', { exact: true }).fill('12');
  await dialog.getByLabel('Country', { exact: true }).fill('SA');
  await dialog.getByRole('button', { name: 'Create lead', exact: true }).click();
  await dialog.getByText('"12" is not a valid phone number in Saudi Arabia.').waitFor();
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });

  // A Google-Maps-style export: local phones with and without a country column, one unreadable
  // phone, one address that is no email, one row without a name.
  const csv = path.join(scratch, 'google-maps.csv');
  writeFileSync(
    csv,
    [
      'title,phone,email,countryCode',
      'Pearl Dental,0501234567,,SA',
      'Jeddah Bakery,012 555 1234,,',
      'Dubai Florist,04 321 0000,,AE',
      'Call Us Cafe,call us,,SA',
      'Bad Mail Books,+966 55 123 4567,not-an-email,SA',
      ',0559876543,,SA',
      '',
    ].join('\r\n'),
  );
  const mapping = await uploadForImport(page, tenantUrl, csv);
  assert.equal(await filledValue(mapping.getByLabel('Country of local phone numbers', { exact: true })), 'Saudi Arabia (SA)');
  assert.equal(await mapping.getByLabel('Also make it the organization’s default country').isChecked(), true);
  await page.getByRole('button', { name: 'Start import', exact: true }).click();

  const result = page.getByTestId('import-result');
  await result.waitFor({ timeout: 30_000 });
  assert.equal(await result.getAttribute('data-status'), 'SUCCEEDED');
  // Not green: some rows need attention and one was refused.
  assert.equal(await result.getAttribute('data-color'), 'yellow');
  assert.equal(await result.getByRole('heading', { level: 2 }).innerText(), 'Import finished: some rows need attention');
  const count = async (testId: string) => Number(await page.getByTestId(testId).getAttribute('data-count'));
  assert.equal(await count('import-created'), 5);
  assert.equal(await count('import-merged'), 0);
  assert.equal(await count('import-flagged'), 2);
  assert.equal(await count('import-invalid'), 1);
  assert.equal(
    await page.getByTestId('import-summary').innerText(),
    '6 rows read: 5 new leads, 0 merged into existing leads, 2 kept but needing attention, 1 refused.',
  );
  assert.equal(await page.getByTestId('import-flag-phone').getByText('Phone that could not be read: 1').count(), 1);
  assert.equal(await page.getByTestId('import-flag-email').getByText('Email address that is not valid: 1').count(), 1);
  assert.equal(await page.getByTestId('import-refused-name').innerText(), 'Rows without a name: 1');
  // The refused row downloads with its reason and its cells as they were, to fix and import again.
  const refusedLink = page.getByTestId('import-errors-link');
  assert.equal(await refusedLink.innerText(), '1 row refused — download it to fix and re-import');
  const [download] = await Promise.all([page.waitForEvent('download'), refusedLink.click()]);
  assert.equal(download.suggestedFilename(), 'import-errors-google-maps.csv');
  const refused = await readFile(await download.path(), 'utf8');
  assert.deepEqual(
    refused
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n'),
    ['Row,Code,Reason,Error,title,phone,email,countryCode', '7,name,The row has no name,name: is required,,0559876543,,SA'],
  );

  // "Show these leads" opens the leads whose phone needs attention: the raw text is there, marked.
  await page.getByTestId('import-flag-phone').getByRole('link', { name: 'Show these leads' }).click();
  await page.waitForURL(/[?&]attention=phone/);
  await row(page, 'Call Us Cafe').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="lead-row"]').length === 1);
  assert.match(await row(page, 'Call Us Cafe').getByTestId('needs-attention').innerText(), /call us/);

  // The other rows' local numbers were read in their own country, else the one chosen for the import.
  await page.goto(`${tenantUrl}/leads?sort=name`);
  for (const [name, phone] of [
    ['Pearl Dental', '+966501234567'],
    ['Jeddah Bakery', '+966125551234'],
    ['Dubai Florist', '+97143210000'],
  ]) {
    await row(page, name).waitFor();
    assert.match(await row(page, name).innerText(), new RegExp(`\\${phone}`), name);
  }

  // The country chosen on the first import became the organization's default.
  await page.goto(`${tenantUrl}/settings`);
  assert.equal(await filledValue(page.getByTestId('settings-general').getByLabel('Default country', { exact: true })), 'Saudi Arabia (SA)');

  // The flagged lead says what needs attention, and fixing the phone clears it.
  await page.goto(`${tenantUrl}/leads?attention=phone`);
  await row(page, 'Call Us Cafe').getByRole('link', { name: 'Call Us Cafe' }).click();
  await page.getByTestId('lead-attention').waitFor();
  assert.match(await page.getByTestId('attention-phone').innerText(), /could not be read as a phone number:\s*call us/);
  const details = page.getByTestId('lead-form');
  assert.equal(await details.getByLabel('Phone', { exact: true }).inputValue(), 'call us');
  await details.getByLabel('Phone', { exact: true }).fill('0501112222');
  await details.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByTestId('lead-attention').waitFor({ state: 'detached' });
  assert.equal(await details.getByLabel('Phone', { exact: true }).inputValue(), '+966501112222');

  assert.deepEqual(blocked, []);
  await context.close();
});
