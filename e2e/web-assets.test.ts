import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { appAndBrowser, loopbackOnlyContext } from './support.js';

// The first page a visitor opens loads only what it needs, compressed, and hashed files are cached for good.

const app = appAndBrowser();
const INITIAL_SCRIPT_BUDGET = 250_000;

interface Script {
  url: string;
  encoding: string;
  cache: string;
  bytes: number;
  text: string;
}

/** Records every script a page receives, with its compressed size and its text. */
function recordScripts(page: Page): Script[] {
  const scripts: Script[] = [];
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const headers = await response.allHeaders();
    const sizes = await response.request().sizes();
    scripts.push({
      url: response.url(),
      encoding: headers['content-encoding'] ?? '',
      cache: headers['cache-control'] ?? '',
      bytes: sizes.responseBodySize,
      text: await response.text(),
    });
  });
  return scripts;
}

/** Each file counts once, however often the page asked for it. */
function compressedTotal(scripts: Script[]): number {
  return [...new Map(scripts.map((s) => [s.url, s.bytes])).values()].reduce((sum, bytes) => sum + bytes, 0);
}

const listed = (scripts: Script[]) => scripts.map((s) => `${s.url.replace(/^.*\//, '')} ${s.bytes}`).join(', ');

test('the sign-in page loads under 250 kB of compressed JavaScript, without the Arabic messages, and hashed files are cached as immutable', async () => {
  const { context, blocked } = await loopbackOnlyContext(app.browser);
  const page = await context.newPage();
  const scripts = recordScripts(page);
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
  const total = compressedTotal(scripts);
  assert.ok(total > 0 && total < INITIAL_SCRIPT_BUDGET, `initial JavaScript is ${total} bytes compressed: ${listed(scripts)}`);
  // The leads page's code is not part of the first load, nor is the language not in use.
  assert.ok(!scripts.some((s) => /LeadsPage|LeadPage/.test(s.url)), scripts.map((s) => s.url).join('\n'));
  assert.ok(scripts.some((s) => s.text.includes('Sign in to OpTarget')));
  assert.ok(!scripts.some((s) => s.text.includes('تسجيل الدخول إلى OpTarget')), 'the Arabic messages wait until Arabic is chosen');

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

test('the sign-in page of someone who chose Arabic loads the Arabic messages instead of the English ones, within the same budget', async () => {
  const { context, blocked } = await loopbackOnlyContext(app.browser);
  await context.addInitScript(() => localStorage.setItem('optarget.locale', 'ar'));
  const page = await context.newPage();
  const scripts = recordScripts(page);
  await page.goto(`${app.server.url}/sign-in`);
  await page.getByRole('heading', { name: 'تسجيل الدخول إلى OpTarget' }).waitFor();
  await page.waitForLoadState('networkidle');

  const total = compressedTotal(scripts);
  assert.ok(total > 0 && total < INITIAL_SCRIPT_BUDGET, `initial JavaScript is ${total} bytes compressed: ${listed(scripts)}`);
  assert.ok(!scripts.some((s) => s.text.includes('Sign in to OpTarget')), 'the English messages wait until English is chosen');
  assert.deepEqual(blocked, []);
  await context.close();
});
