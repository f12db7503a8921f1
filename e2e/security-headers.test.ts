import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { AppServer, launchBrowser, loopbackOnlyContext } from './support.js';

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

/** Opens `path` and returns the content-security-policy violations the browser reported. */
async function violationsOn(path: string, ready: string) {
  const { context, blocked } = await loopbackOnlyContext(browser);
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to load: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(`${server.url}${path}`);
  await page.locator(ready).first().waitFor();
  const csp = response?.headers()['content-security-policy'] ?? '';
  await context.close();
  return { violations, blocked, csp };
}

test('the built web app runs under its content security policy without a single violation', async () => {
  const { violations, blocked, csp } = await violationsOn('/sign-in', '[data-testid="sign-in-form"]');
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.deepEqual(violations, []);
  assert.deepEqual(blocked, []);
});

test('the API documentation works under the same policy', async () => {
  const { violations, csp } = await violationsOn('/api/docs', '.swagger-ui .opblock');
  assert.match(csp, /frame-ancestors 'none'/);
  assert.deepEqual(violations, []);
});
