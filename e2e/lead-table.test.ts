import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { appAndBrowser, leadRow, loopbackOnlyContext, seriousAxeViolations, signUpInBrowser } from './support.js';

// The lead table as a sales team uses it: columns, density and saved views that survive a reload,
// rows reachable from the keyboard, and a card list and single-column lead page on a phone.

const stamp = Date.now().toString(36);
const app = appAndBrowser();

const headers = (page: Page) =>
  page.locator('[data-testid="leads-table"] thead th[data-column]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')));
const rowNames = (page: Page) => page.getByTestId('lead-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-lead-name')));
// The address changes before the re-sorted page arrives, so wait for the rows themselves.
const rowsBecome = (page: Page, names: string[]) =>
  page
    .waitForFunction(
      (expected) =>
        Array.from(document.querySelectorAll('[data-testid="lead-row"]'))
          .map((r) => r.getAttribute('data-lead-name'))
          .join('|') === expected,
      names.join('|'),
    )
    .catch(async () => assert.deepEqual(await rowNames(page), names));
const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function seedLeads(page: Page, api: string) {
  const made = [];
  for (const lead of [
    { name: 'Amber Dental', city: 'Riyadh', phone: '+966501234567', email: 'hello@amber.example', website: 'https://amber.example' },
    { name: 'Cedar Clinic', city: 'Riyadh', phone: '+966502345678' },
    { name: 'Basil Bakery', city: 'Jeddah', phone: '+966503456789' },
  ]) {
    const res = await page.request.post(`${api}/leads`, { data: lead });
    assert.equal(res.status(), 201, await res.text());
    made.push((await res.json()) as { id: string; name: string });
  }
  return made;
}

test('a saved view brings back its filter, sort, columns and density after the browser forgot them', async () => {
  const { context, blocked } = await loopbackOnlyContext(app.browser, { viewport: { width: 1440, height: 900 } });
  const { page, tenantUrl, tenantId } = await signUpInBrowser(context, app.server, 'Vera Views', `vera-${stamp}@example.test`);
  await seedLeads(page, `${app.server.url}/api/v1/tenants/${tenantId}`);

  await page.goto(`${tenantUrl}/leads?city=Riyadh`);
  await leadRow(page, 'Cedar Clinic').waitFor();
  assert.ok((await headers(page)).includes('email'));

  // Hide two columns, make rows comfortable and sort by name.
  await page.getByTestId('column-chooser').click();
  const chooser = page.getByTestId('column-chooser-list');
  await chooser.getByLabel('Email', { exact: true }).uncheck();
  await chooser.getByLabel('Website', { exact: true }).uncheck();
  await page.keyboard.press('Escape');
  await page.getByTestId('density-toggle').getByText('Comfortable', { exact: true }).click();
  await page.getByTestId('sort-name').click();
  await page.waitForURL(/sort=name/);
  await rowsBecome(page, ['Amber Dental', 'Cedar Clinic']);
  const shown = await headers(page);
  assert.ok(!shown.includes('email') && !shown.includes('website'), shown.join());

  await page.getByTestId('views-menu').click();
  await page.getByTestId('view-save-open').click();
  await page.getByTestId('view-name').fill('Riyadh A–Z');
  await page.getByTestId('view-save').click();
  await page.getByText('View “Riyadh A–Z” saved').waitFor();

  // The browser forgets the layout and the address loses the filter: the view restores both from the server.
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${tenantUrl}/leads`);
  await leadRow(page, 'Basil Bakery').waitFor();
  assert.ok((await headers(page)).includes('email'));
  await page.getByTestId('views-menu').click();
  await page.locator('[data-testid="saved-view"][data-view-name="Riyadh A–Z"]').click();
  await page.waitForURL(/city=Riyadh/);
  await rowsBecome(page, ['Amber Dental', 'Cedar Clinic']);
  assert.match(page.url(), /sort=name/);
  const restored = await headers(page);
  assert.ok(!restored.includes('email') && !restored.includes('website'), restored.join());
  assert.equal(await page.getByTestId('leads-table').getAttribute('data-density'), 'comfortable');

  // And the current layout itself survives a reload.
  await page.reload();
  await leadRow(page, 'Cedar Clinic').waitFor();
  assert.ok(!(await headers(page)).includes('email'));

  assert.deepEqual(await seriousAxeViolations(page), []);
  assert.deepEqual(blocked, []);
  await context.close();
});

test('rows are reachable from the keyboard, and a column resizes with the arrow keys', async () => {
  const { context } = await loopbackOnlyContext(app.browser, { viewport: { width: 1440, height: 900 } });
  const { page, tenantUrl, tenantId } = await signUpInBrowser(context, app.server, 'Kai Keys', `kai-${stamp}@example.test`);
  await seedLeads(page, `${app.server.url}/api/v1/tenants/${tenantId}`);
  await page.goto(`${tenantUrl}/leads?sort=name`);
  await leadRow(page, 'Cedar Clinic').waitFor();

  await leadRow(page, 'Amber Dental').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-lead-name')), 'Basil Bakery');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-lead-name')), 'Cedar Clinic');
  await page.keyboard.press('Enter');
  await page.getByTestId('lead-page').waitFor();
  assert.equal(await page.getByTestId('lead-name').innerText(), 'Cedar Clinic');

  await page.goBack();
  await leadRow(page, 'Cedar Clinic').waitFor();
  const handle = page.getByRole('separator', { name: 'Resize the City column' });
  const before = Number(await handle.getAttribute('aria-valuenow'));
  await handle.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(Number(await handle.getAttribute('aria-valuenow')), before + 32);
  const width = await page
    .locator('[data-testid="leads-table"] thead th[data-column="city"]')
    .evaluate((th) => th.getBoundingClientRect().width);
  assert.ok(Math.abs(width - (before + 32)) <= 1, `city column is ${width}px`);
  await context.close();
});

for (const language of ['en', 'ar']) {
  test(`at 390 px (${language}) leads are cards and the lead page is one column without sideways scrolling`, async () => {
    const { context } = await loopbackOnlyContext(app.browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const { page, tenantUrl, tenantId } = await signUpInBrowser(
      context,
      app.server,
      'Mona Mobile',
      `mona-${language}-${stamp}@example.test`,
    );
    const [amber] = await seedLeads(page, `${app.server.url}/api/v1/tenants/${tenantId}`);
    await page.evaluate((l) => localStorage.setItem('optarget.locale', l), language);

    await page.goto(`${tenantUrl}/leads`);
    await page.getByTestId('leads-table-cards').waitFor();
    assert.equal(await page.getByTestId('lead-card').count(), 3);
    assert.equal(await page.getByTestId('leads-table').count(), 0);
    const card = page.locator('[data-lead-name="Amber Dental"] [data-testid="lead-card"]');
    // The whole phone number shows, in its own order, on the card.
    assert.match(await card.innerText(), /\+966501234567/);
    assert.ok((await horizontalOverflow(page)) <= 0, 'the leads page scrolls sideways');

    await card.getByRole('link', { name: 'Amber Dental' }).tap();
    await page.getByTestId('lead-page').waitFor();
    await page.getByTestId('lead-facts').waitFor();
    await page.waitForLoadState('networkidle');
    assert.ok((await horizontalOverflow(page)) <= 0, 'the lead page scrolls sideways');
    // One column: the facts card sits below the main column, not beside it.
    const main = await page.getByTestId('lead-form').boundingBox();
    const facts = await page.getByTestId('lead-facts').boundingBox();
    assert.ok(main && facts && facts.y > main.y, 'facts should sit below the form');
    for (const box of [main, facts]) assert.ok(box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
    assert.match(page.url(), new RegExp(amber.id));
    await context.close();
  });
}
