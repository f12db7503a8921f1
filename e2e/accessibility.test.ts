import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { appAndBrowser, loopbackOnlyContext, seriousAxeViolations, signUpInBrowser } from './support.js';

// No page of the app has a serious or critical accessibility violation (axe-core), in English or Arabic.

const stamp = Date.now().toString(36);
const app = appAndBrowser();

async function checkPage(page: Page, url: string, ready: string, found: Record<string, string[]>) {
  await page.goto(url);
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState('networkidle');
  const violations = await seriousAxeViolations(page);
  if (violations.length) found[new URL(url).pathname] = violations;
}

test('every page passes axe-core without serious or critical violations, in both languages', async () => {
  const { context, blocked } = await loopbackOnlyContext(app.browser);
  const publicPage = await context.newPage();
  const found: Record<string, string[]> = {};
  await checkPage(publicPage, `${app.server.url}/sign-in`, '[data-testid="sign-in-form"]', found);
  await checkPage(publicPage, `${app.server.url}/sign-up`, 'form', found);
  await checkPage(publicPage, `${app.server.url}/forgot-password`, 'form', found);

  const { page, tenantUrl, tenantId } = await signUpInBrowser(context, app.server, 'Axe Owner', `axe-${stamp}@example.test`);
  // Something on each page: a lead, a list holding it, a finished job, a report of the lead.
  const api = `${app.server.url}/api/v1/tenants/${tenantId}`;
  const lead = await (
    await page.request.post(`${api}/leads`, { data: { name: 'Clinic One', city: 'Riyadh', phone: '+966501234567' } })
  ).json();
  const list = await (await page.request.post(`${api}/lists`, { data: { name: 'Riyadh clinics' } })).json();
  await page.request.post(`${api}/lists/${list.id}/leads`, { data: { leadIds: [lead.id] } });
  const job = await (await page.request.post(`${api}/enrichments`, { data: { leadIds: [lead.id] } })).json();
  await page.request.post(`${api}/reports`, { data: { leadId: lead.id, language: 'en' } });

  const pages: [string, string][] = [
    ['/dashboard', 'main'],
    ['/leads', '[data-testid="lead-row"]'],
    [`/leads/${lead.id}`, '[data-testid="lead-form"]'],
    ['/leads/import', 'main'],
    ['/lists', 'main'],
    [`/lists/${list.id}`, '[data-testid="list-page"]'],
    ['/prospecting', 'main'],
    ['/jobs', '[data-testid="job-row"]'],
    [`/jobs/${job.id}`, '[data-testid="job-page"]'],
    ['/reports', '[data-testid="report-row"]'],
    ['/whatsapp', '[data-testid="whatsapp-inbox"]'],
    ['/whatsapp/campaigns', '[data-testid="campaigns-page"]'],
    ['/team', 'main'],
    ['/audit', 'main'],
    ['/plan', 'main'],
    ['/settings', '[data-testid="settings-general"]'],
  ];
  for (const language of ['en', 'ar']) {
    await page.evaluate((l) => localStorage.setItem('optarget.locale', l), language);
    for (const [path, ready] of pages) await checkPage(page, `${tenantUrl}${path}`, ready, found);
    await checkPage(page, `${app.server.url}/account`, 'main', found);
  }
  assert.deepEqual(found, {}, JSON.stringify(found, null, 2));
  assert.deepEqual(blocked, []);
  await context.close();
});
