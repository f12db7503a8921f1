import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ClinicSite, FakeOsm } from './fixtures/local-services.js';
import { AppServer, launchBrowser, loopbackOnlyContext, signUpInBrowser } from './support.js';

const stamp = Date.now().toString(36);
const CLINIC = 'عيادة الابتسامة لطب الأسنان';
const OTHER = 'Riyadh Smile Center';

let site: ClinicSite;
let osm: FakeOsm;
let server: AppServer;
let browser: Browser;
let clinicHost: string;

before(async () => {
  site = await ClinicSite.start();
  // A *.localhost name (resolved to 127.0.0.1 by the preload below), as a business's site has a name, not a bare address.
  clinicHost = `smile-dental.localhost:${site.port}`;
  osm = await FakeOsm.start(`http://${clinicHost}/`, 1500);
  server = new AppServer({
    env: { ...osm.env, CRAWLER_ALLOW_PRIVATE: 'true', CRAWLER_HOST_DELAY_MS: '50', CRAWLER_TIMEOUT_MS: '5000' },
    nodeArgs: ['--import', path.join(import.meta.dirname, 'fixtures/loopback-dns.mjs')],
  });
  await server.start();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
  await osm?.close();
  await site?.close();
});

test('a prospect search finds places on the (local) map, and enriching one shows evidence and a score', async () => {
  const { context, blocked } = await loopbackOnlyContext(browser);
  const { page, tenantUrl } = await signUpInBrowser(context, server, 'Samir Seeker', `samir-${stamp}@example.test`);

  // The user searches for dentists in Riyadh.
  await page.goto(`${tenantUrl}/prospecting`);
  await page.getByLabel('What are you looking for?', { exact: true }).fill('dentist');
  await page.keyboard.press('Escape');
  await page.getByLabel('Place', { exact: true }).fill('Riyadh');
  await page.getByLabel('Maximum results', { exact: true }).fill('20');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/prospecting\?jobId=/);

  // While Overpass takes its time, the job is visibly running and already telling what it does.
  const progress = page.getByTestId('search-progress');
  await page.locator('[data-testid="search-progress"][data-status="RUNNING"] [data-testid="job-log-line"]').first().waitFor();
  assert.match(await progress.getByTestId('job-logs').innerText(), /Found “Riyadh/);

  await page.locator('[data-testid="search-progress"][data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
  const result = page.getByTestId('search-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-found'), '2');
  assert.equal(await result.getAttribute('data-new'), '2');
  await page.getByText('© OpenStreetMap contributors').first().waitFor();
  assert.deepEqual(
    osm.requests.map((r) => `${r.method} ${r.path}`),
    ['GET /nominatim/search', 'POST /overpass/api/interpreter'],
    'the app asked the local Nominatim once and the local Overpass once',
  );

  // A lead typed in by hand is not among what the search found.
  await page.request.post(page.url().replace(/\/t\/([^/]+)\/.*/, '/api/v1/tenants/$1/leads'), { data: { name: 'Typed By Hand' } });

  // Both places are now leads, and "View leads" opens exactly those; the clinic kept its (local) website.
  await page.getByRole('link', { name: 'View leads', exact: true }).click();
  await page.waitForURL(/\/leads\?jobId=/);
  await page.getByTestId('job-filter').waitFor();
  await page.locator(`[data-testid="lead-row"][data-lead-name="${OTHER}"]`).waitFor();
  assert.equal(await page.getByTestId('lead-row').count(), 2);
  await page.getByTestId('job-filter').getByText('Merged', { exact: true }).click();
  await page.getByTestId('empty-state').waitFor();
  await page.getByTestId('job-filter').getByText('All', { exact: true }).click();
  const clinicRow = page.locator(`[data-testid="lead-row"][data-lead-name="${CLINIC}"]`);
  assert.match(await clinicRow.innerText(), /smile-dental\.localhost/);

  // On the clinic's page the user enriches it; the crawler reads its website.
  await clinicRow.getByRole('link', { name: CLINIC, exact: true }).click();
  await page.getByTestId('lead-page').waitFor();
  assert.equal(await page.getByTestId('lead-score').getAttribute('data-score'), '0', 'not enriched yet');
  assert.equal(await page.getByTestId('score-basis').getAttribute('data-basis'), 'never', 'the score says nothing was checked');
  await page.getByTestId('lead-enrich').click();
  await page.locator('[data-testid="lead-evidence"] [data-testid="evidence-group"][data-kind="NO_HTTPS"]').waitFor({ timeout: 30_000 });

  const evidence = page.getByTestId('lead-evidence');
  assert.ok(Number(await evidence.getAttribute('data-count')) >= 4, 'several pieces of evidence');
  const kinds = await evidence.getByTestId('evidence-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  for (const kind of ['NO_HTTPS', 'NO_MOBILE_VIEWPORT', 'EMAIL_FOUND', 'OUTDATED_COPYRIGHT'])
    assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(', ')}`);
  assert.match(await evidence.innerText(), /bookings@smile-dental\.localhost/);

  // Each finding is a sentence; its proof (where, when, the exact attribute read) is one click away.
  const email = evidence.locator('[data-testid="evidence-group"][data-kind="EMAIL_FOUND"] [data-testid="evidence-item"]');
  assert.equal(
    await email.getByTestId('evidence-finding').innerText(),
    'Email address linked on the site: bookings@smile-dental.localhost',
  );
  assert.equal(await email.getByTestId('evidence-proof').count(), 0, 'the proof is shown on demand');
  await email.getByTestId('evidence-proof-toggle').click();
  assert.equal(await email.getByTestId('evidence-snippet').innerText(), '<a href="mailto:bookings@smile-dental.localhost">');
  assert.match(await email.getByTestId('evidence-proof').innerText(), new RegExp(`http://${clinicHost}/contact`));
  const outdated = evidence.locator('[data-testid="evidence-group"][data-kind="OUTDATED_TECHNOLOGY"] [data-testid="evidence-finding"]');
  assert.equal(await outdated.innerText(), 'The site uses jQuery 1.4.2, a version its makers stopped supporting on 2016-06-09.');
  assert.equal(await page.getByTestId('score-basis').getAttribute('data-basis'), 'read');
  const score = page.getByTestId('lead-score');
  assert.ok(Number(await score.getAttribute('data-score')) > 0, 'the lead now has a score');
  assert.ok((await score.getByTestId('score-line').count()) > 0, 'the score is explained line by line');

  // The lead's timeline tells the run: what it read of the site and how many findings it made, with a link to the run.
  const run = page.locator('[data-testid="activity-entry"][data-action="enrichment.visited"]');
  await run.waitFor({ timeout: 20_000 });
  assert.match(
    (await run.innerText()).replace(/[\u2066-\u2069]/g, ''),
    /Enrichment read \d+ pages? of http:\/\/smile-dental\.localhost:\d+\/? and made \d+ findings?/,
  );
  assert.equal(await run.getByTestId('activity-job-link').innerText(), 'Open the run');

  const visited = site.requests.map((r) => r.path);
  assert.ok(visited.includes('/') && visited.includes('/contact'), `the crawler read the home and contact pages (${visited.join(', ')})`);

  // "Re-check" runs the enrichment of this one lead again.
  const homeVisits = () => site.requests.filter((r) => r.path === '/').length;
  const before = homeVisits();
  const recheck = page.getByTestId('lead-enrich');
  assert.equal(await recheck.innerText(), 'Re-check');
  await recheck.click();
  for (const deadline = Date.now() + 30_000; homeVisits() === before && Date.now() < deadline;)
    await new Promise((r) => setTimeout(r, 100));
  assert.equal(homeVisits(), before + 1, 'the site was read again');
  await page.locator('[data-testid="lead-enrich"]:not([data-loading])').waitFor({ timeout: 30_000 });
  assert.ok(
    site.requests.every((r) => r.host === clinicHost),
    'the crawler asked for the clinic by its name',
  );

  // The Jobs page lists the search and the enrichment.
  await page.goto(`${tenantUrl}/jobs`);
  await page.locator('[data-testid="job-row"][data-type="PROSPECT_SEARCH"][data-status="SUCCEEDED"]').waitFor();
  // The enrichment and its re-check.
  const enrichments = page.locator('[data-testid="job-row"][data-type="ENRICH_LEADS"][data-status="SUCCEEDED"]');
  await enrichments.nth(1).waitFor();
  assert.equal(await enrichments.count(), 2);

  // Nothing left this machine: the page made no outside request and the server looked up no outside name.
  assert.deepEqual(blocked, []);
  assert.doesNotMatch(server.output, /e2e-dns: refused lookup/);
  await context.close();
});

test('"select all matching → Enrich" on the leads table starts one enrichment over the filter', async () => {
  const { context, blocked } = await loopbackOnlyContext(browser);
  const { page, tenantUrl, tenantId } = await signUpInBrowser(context, server, 'Eman Enricher', `eman-${stamp}@example.test`);

  // Two leads with a (local) website and one without, typed in on the Leads page.
  await page.goto(`${tenantUrl}/leads`);
  const leadsWithSites = ['Bright Smile Dental', 'Oasis Bakery'];
  for (const [name, website] of [
    [leadsWithSites[0], `http://bright.localhost:${site.port}/`],
    [leadsWithSites[1], `http://oasis.localhost:${site.port}/`],
    ['Falcon Logistics', ''],
  ]) {
    await page.getByRole('button', { name: 'New lead', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    if (website) await dialog.getByLabel('Website', { exact: true }).fill(website);
    await dialog.getByRole('button', { name: 'Create lead', exact: true }).click();
    await page.locator(`[data-testid="lead-row"][data-lead-name="${name}"]`).waitFor();
  }

  // Only leads that have a website, then every lead matching that filter.
  await page.getByRole('button', { name: /^More filters/ }).click();
  await page.getByRole('textbox', { name: 'Website', exact: true }).click();
  await page.getByRole('option', { name: 'Has one', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="lead-row"]').length === 2);
  assert.match(decodeURIComponent(page.url()), /[?&]hasWebsite="?true/);
  await page.getByLabel('Select all loaded leads', { exact: true }).check();
  await page.getByTestId('select-all-matching').click();
  // The selection and the table say how many leads the filter matches.
  await page.getByText('All 2 leads matching this filter are selected').waitFor();
  assert.match(await page.getByTestId('leads-table-summary').innerText(), /All 2 matching leads shown/);

  // Enrich asks first, naming the number; the filter goes to the server as the table holds it.
  await page.getByTestId('bulk-enrich').click();
  const confirm = page.getByRole('dialog');
  await confirm.getByText('Collect evidence and a score for 2 leads?', { exact: false }).waitFor();
  const [request, response] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/v1/tenants/${tenantId}/enrichments`)),
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/enrichments')),
    confirm.getByTestId('confirm-button').click(),
  ]);
  assert.deepEqual(request.postDataJSON(), { filter: { hasWebsite: 'true' } });
  assert.equal(response.status(), 202, await response.text());
  const started = page.getByTestId('enrich-started');
  await started.waitFor();

  // Its page shows it through to the end, over exactly the two leads with a website.
  await started.getByRole('link', { name: 'Follow it on the Jobs page', exact: true }).click();
  await page.locator('[data-testid="job-page"][data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
  const job = (await response.json()) as { id: string };
  const answer = await page.request.get(`${server.url}/api/v1/tenants/${tenantId}/jobs/${job.id}`);
  assert.deepEqual(((await answer.json()) as { result: { total: number } }).result.total, 2);
  for (const host of ['bright.localhost', 'oasis.localhost'])
    assert.ok(
      site.requests.some((r) => r.host === `${host}:${site.port}`),
      `the crawler visited ${host}`,
    );

  assert.deepEqual(blocked, []);
  assert.doesNotMatch(server.output, /e2e-dns: refused lookup/);
  await context.close();
});
