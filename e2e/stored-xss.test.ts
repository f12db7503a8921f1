import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { appAndBrowser, loopbackOnlyContext, signUpInBrowser } from './support.js';

const app = appAndBrowser();
const stamp = Date.now().toString(36);

/** Markup a lead's fields could carry into the page; each would set `window.__xss` if it ever ran. */
const payloads = {
  img: `<img src=x onerror="window.__xss='img'">`,
  script: `<script>window.__xss='script'</script>`,
  svg: `"><svg onload="window.__xss='svg'">`,
};

/** Creates a lead as the web app does, with the page's session and origin. */
async function createLead(page: Page, tenantId: string, lead: Record<string, unknown>): Promise<string> {
  const res = await page.evaluate(
    async ([url, body]) => {
      const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: answer.status, body: (await answer.json()) as { id: string } };
    },
    [`/api/v1/tenants/${tenantId}/leads`, lead] as const,
  );
  assert.equal(res.status, 201);
  return res.body.id;
}

/** Nothing the payloads carry became markup, and nothing ran. */
async function assertInert(page: Page) {
  assert.equal(await page.evaluate(() => (window as { __xss?: string }).__xss ?? null), null);
  assert.equal(await page.locator('img[src="x"], svg[onload], script:not([src])').count(), 0);
}

test('a lead named with markup shows as text on the leads table and the lead page, and nothing runs', async () => {
  // The content security policy is bypassed: the page itself must render the text as text.
  const { context, blocked } = await loopbackOnlyContext(app.browser, { bypassCSP: true });
  const { page, tenantId, tenantUrl } = await signUpInBrowser(context, app.server, 'Xena Markup', `xena-${stamp}@example.test`);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  const imgId = await createLead(page, tenantId, { name: payloads.img, city: payloads.svg, notes: payloads.script, tags: [payloads.svg] });
  await createLead(page, tenantId, { name: payloads.script, category: payloads.img });

  await page.goto(`${tenantUrl}/leads`);
  const rows = page.getByTestId('lead-row');
  await rows.first().waitFor();
  assert.deepEqual(
    (await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-lead-name')))).sort(),
    [payloads.img, payloads.script].sort(),
  );
  const tableText = await page.getByTestId('lead-row').allInnerTexts();
  assert.ok(
    tableText.some((text) => text.includes(payloads.img)),
    'the table shows the name as typed',
  );
  assert.ok(tableText.some((text) => text.includes(payloads.script)));
  await assertInert(page);

  await page.goto(`${tenantUrl}/leads/${imgId}`);
  const leadPage = page.getByTestId('lead-page');
  await leadPage.waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), payloads.img);
  const pageText = await leadPage.innerText();
  assert.ok(pageText.includes(payloads.svg), 'the city shows as typed');
  assert.equal(await page.getByLabel('Notes', { exact: true }).inputValue(), payloads.script, 'the notes show as typed');
  await assertInert(page);

  assert.deepEqual(dialogs, []);
  assert.deepEqual(blocked, []);
  await context.close();
});
