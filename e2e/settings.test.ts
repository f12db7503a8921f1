import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { AppServer, launchBrowser, loopbackOnlyContext, signUpInBrowser } from './support.js';

const logoPng = readFileSync(new URL('../server/src/settings/testdata/logo.png', import.meta.url));

let server: AppServer;
let browser: Browser;

before(async () => {
  server = new AppServer();
  await server.start();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

test('the default country and the branding set on the Settings page are there after a reload', async () => {
  const { context, blocked } = await loopbackOnlyContext(browser);
  const { page, tenantUrl } = await signUpInBrowser(context, server, 'Layla Brand', `layla-${Date.now().toString(36)}@example.test`);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.waitForURL(`${tenantUrl}/settings`);

  // General: the default country.
  const general = page.getByTestId('settings-general');
  await general.getByLabel('Default country').click();
  await general.getByLabel('Default country').fill('Saudi');
  await page.getByRole('option', { name: /Saudi Arabia \(SA\)/ }).click();
  assert.equal(await general.getByTestId('save-state').textContent(), 'Unsaved changes');
  await general.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Settings saved').first().waitFor();
  await general.getByText('All changes saved').waitFor();

  // Branding: a bad colour is refused in the form, then a good one, a name, a contact line, Arabic and a logo.
  await page.getByTestId('settings-tab-branding').click();
  await page.waitForURL(`${tenantUrl}/settings?section=branding`);
  const branding = page.getByTestId('settings-branding');
  await branding.getByLabel('Display name').fill('Growth Partners');
  await branding.getByLabel('Brand colour').fill('green');
  await branding.getByRole('button', { name: 'Save branding' }).click();
  await branding.getByText('Write the colour as # and six hex digits, such as #1c7ed6').waitFor();
  await branding.getByLabel('Brand colour').fill('#0b7285');
  await branding.getByLabel('Contact line').fill('+966 11 456 7890 · hello@growth.example');
  await branding.getByText('Arabic', { exact: true }).click();
  await branding.getByText('Arabic-Indic (٠١٢٣)').click();
  // The preview follows the form before anything is saved.
  await page.getByTestId('preview-name').filter({ hasText: 'Growth Partners' }).waitFor();
  assert.equal(await page.getByTestId('preview-score').textContent(), '٧٢ / ١٠٠');
  await branding.getByRole('button', { name: 'Save branding' }).click();
  await page.getByText('Branding saved').first().waitFor();

  const chooser = page.waitForEvent('filechooser');
  await branding.getByTestId('logo-upload').click();
  await (await chooser).setFiles({ name: 'logo.png', mimeType: 'image/png', buffer: logoPng });
  await page.getByText('Logo saved').first().waitFor();
  await branding.getByTestId('logo-image').waitFor();

  // After a reload everything is as saved, the logo included (served by the app and drawn by the browser).
  await page.reload();
  await branding.getByLabel('Display name').waitFor();
  assert.equal(await branding.getByLabel('Display name').inputValue(), 'Growth Partners');
  assert.equal(await branding.getByLabel('Brand colour').inputValue(), '#0b7285');
  assert.equal(await branding.getByLabel('Contact line').inputValue(), '+966 11 456 7890 · hello@growth.example');
  assert.equal(await page.getByTestId('branding-preview').getAttribute('dir'), 'rtl');
  assert.equal(await page.getByTestId('preview-color').getAttribute('data-color'), '#0b7285');
  const logo = branding.getByTestId('logo-image');
  await logo.waitFor();
  await page.waitForFunction((img) => (img as HTMLImageElement).complete, await logo.elementHandle());
  assert.equal(await logo.evaluate((img) => (img as HTMLImageElement).naturalWidth), 160);

  await page.getByTestId('settings-tab-general').click();
  await page.getByTestId('settings-general').getByLabel('Default country').waitFor();
  assert.equal(await page.getByTestId('settings-general').getByLabel('Default country').inputValue(), 'Saudi Arabia (SA)');

  assert.deepEqual(blocked, []);
  await context.close();
});
