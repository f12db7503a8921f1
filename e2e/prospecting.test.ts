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
  // A *.localhost name (resolved to 127.0.0.1 by the preload below): the app drops bare-IP websites.
  clinicHost = `smile-dental.localhost:${site.port}`;
  osm = await FakeOsm.start(`http://${clinicHost}/`, 1500);
  server = new AppServer(3193, {
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
  assert.match(await progress.getByTestId('job-logs').innerText(), /Geocoded Riyadh/);

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

  // Both places are now leads; the clinic kept its (local) website.
  await page.getByRole('link', { name: 'View leads', exact: true }).click();
  await page.waitForURL(/\/leads\?sort=-createdAt/);
  await page.locator(`[data-testid="lead-row"][data-lead-name="${OTHER}"]`).waitFor();
  const clinicRow = page.locator(`[data-testid="lead-row"][data-lead-name="${CLINIC}"]`);
  assert.match(await clinicRow.innerText(), /smile-dental\.localhost/);

  // On the clinic's page the user enriches it; the crawler reads its website.
  await clinicRow.getByRole('link', { name: CLINIC, exact: true }).click();
  await page.getByTestId('lead-page').waitFor();
  assert.equal(await page.getByTestId('lead-score').getAttribute('data-score'), '0', 'not enriched yet');
  await page.getByTestId('lead-enrich').click();
  await page.locator('[data-testid="lead-evidence"] [data-testid="evidence-group"][data-kind="NO_HTTPS"]').waitFor({ timeout: 30_000 });

  const evidence = page.getByTestId('lead-evidence');
  assert.ok(Number(await evidence.getAttribute('data-count')) >= 4, 'several pieces of evidence');
  const kinds = await evidence.getByTestId('evidence-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  for (const kind of ['NO_HTTPS', 'NO_MOBILE_VIEWPORT', 'EMAIL_FOUND', 'OUTDATED_COPYRIGHT'])
    assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(', ')}`);
  assert.match(await evidence.innerText(), /bookings@smile-dental\.localhost/);
  const score = page.getByTestId('lead-score');
  assert.ok(Number(await score.getAttribute('data-score')) > 0, 'the lead now has a score');
  assert.ok((await score.getByTestId('score-line').count()) > 0, 'the score is explained line by line');

  const visited = site.requests.map((r) => r.path);
  assert.ok(visited.includes('/') && visited.includes('/contact'), `the crawler read the home and contact pages (${visited})`);
  assert.ok(
    site.requests.every((r) => r.host === clinicHost),
    'the crawler asked for the clinic by its name',
  );

  // The Jobs page lists the search and the enrichment.
  await page.goto(`${tenantUrl}/jobs`);
  await page.locator('[data-testid="job-row"][data-type="PROSPECT_SEARCH"][data-status="SUCCEEDED"]').waitFor();
  await page.locator('[data-testid="job-row"][data-type="ENRICH_LEADS"][data-status="SUCCEEDED"]').waitFor();

  // Nothing left this machine: the page made no outside request and the server looked up no outside name.
  assert.deepEqual(blocked, []);
  assert.doesNotMatch(server.output, /e2e-dns: refused lookup/);
  await context.close();
});
