import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appAndBrowser, loopbackOnlyContext } from './support.js';

// The first page a visitor opens loads only what it needs, compressed, and hashed files are cached for good.

const app = appAndBrowser();
const INITIAL_SCRIPT_BUDGET = 270 * 1024;

test('the sign-in page loads under 270 kB of compressed JavaScript, and hashed files are cached as immutable', async () => {
  const { context, blocked } = await loopbackOnlyContext(app.browser);
  const page = await context.newPage();
  const scripts: { url: string; encoding: string; cache: string; bytes: number }[] = [];
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const headers = await response.allHeaders();
    const sizes = await response.request().sizes();
    scripts.push({
      url: response.url(),
      encoding: headers['content-encoding'] ?? '',
      cache: headers['cache-control'] ?? '',
      bytes: sizes.responseBodySize,
    });
  });
  const answer = await page.goto(`${app.server.url}/sign-in`);
  await page.getByTestId('sign-in-form').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal((await answer!.allHeaders())['cache-control'], 'no-cache', 'the page that names the hashed files is checked on every visit');

  assert.ok(scripts.length > 1, 'the app is split into chunks');
  for (const script of scripts) {
    // Files under 1 kB gain nothing from compression and are sent as they are.
    if (script.bytes >= 1024) assert.equal(script.encoding, 'br', `${script.url} is sent brotli-compressed`);
    assert.equal(script.cache, 'public, max-age=31536000, immutable', script.url);
  }
  // Each file counts once, however often the page asked for it.
  const total = [...new Map(scripts.map((s) => [s.url, s.bytes])).values()].reduce((sum, bytes) => sum + bytes, 0);
  assert.ok(
    total > 0 && total < INITIAL_SCRIPT_BUDGET,
    `initial JavaScript is ${total} bytes compressed: ${scripts.map((s) => `${s.url.replace(/^.*\//, '')} ${s.bytes}`).join(', ')}`,
  );
  // The leads page's code is not part of the first load.
  assert.ok(!scripts.some((s) => /LeadsPage|LeadPage/.test(s.url)), scripts.map((s) => s.url).join('\n'));

  // A client that takes only gzip gets gzip; one that takes neither gets the file as it is.
  const first = scripts.find((s) => s.encoding === 'br')!.url;
  const gzip = await fetch(first, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gzip.headers.get('content-encoding'), 'gzip');
  const plain = await fetch(first, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.ok(Number(gzip.headers.get('content-length')) < Number(plain.headers.get('content-length')));

  assert.deepEqual(blocked, []);
  await context.close();
});
