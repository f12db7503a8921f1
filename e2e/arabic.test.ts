import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { AppServer, launchBrowser, loopbackOnlyContext, signUpInBrowser } from './support.js';

const stamp = Date.now().toString(36);
const ARABIC = 'مطعم النخلة الذهبية';
const OTHER = 'Desert Falcon Cafe';

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

const row = (page: Page, name: string) => page.locator(`[data-testid="lead-row"][data-lead-name="${name}"]`);
const rowNames = (page: Page) =>
  page.getByTestId('lead-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-lead-name')).sort());
const documentLanguage = (page: Page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
const navLabels = (page: Page) => page.getByRole('navigation').getByRole('link').allInnerTexts();

async function chooseLanguage(page: Page, name: string) {
  await page.getByTestId('language-switcher').click();
  await page.getByRole('menuitem', { name, exact: true }).click();
}

test('the app switches to Arabic right-to-left, keeps it across a reload, finds Arabic leads and switches back', async () => {
  const { context, blocked } = await loopbackOnlyContext(browser);
  const { page, tenantUrl } = await signUpInBrowser(context, server, 'Noura Arabic', `noura-${stamp}@example.test`);
  await page.goto(`${tenantUrl}/leads`);
  await page.getByRole('button', { name: 'New lead', exact: true }).waitFor();
  assert.deepEqual(await documentLanguage(page), { lang: 'en', dir: 'ltr' });

  // Switching needs no reload: the page turns Arabic and right-to-left in place.
  await chooseLanguage(page, 'العربية');
  await page.getByRole('button', { name: 'عميل جديد', exact: true }).waitFor();
  assert.deepEqual(await documentLanguage(page), { lang: 'ar', dir: 'rtl' });
  const arabicNav = await navLabels(page);
  for (const label of ['لوحة التحكم', 'العملاء المحتملون', 'القوائم', 'المهام', 'الفريق']) assert.ok(arabicNav.includes(label), label);
  // The navigation sits on the right of the content.
  const navBox = (await page.getByRole('navigation').boundingBox())!;
  const mainBox = (await page.locator('main').boundingBox())!;
  assert.ok(navBox.x > mainBox.x, 'navigation is on the right');

  // The choice survives a reload.
  await page.reload();
  await page.getByRole('button', { name: 'عميل جديد', exact: true }).waitFor();
  assert.deepEqual(await documentLanguage(page), { lang: 'ar', dir: 'rtl' });
  assert.ok((await navLabels(page)).includes('العملاء المحتملون'));

  // A phone the server cannot read is refused under the field, in Arabic.
  await page.getByRole('button', { name: 'عميل جديد', exact: true }).click();
  const refused = page.getByRole('dialog');
  await refused.getByLabel('الاسم', { exact: true }).fill(ARABIC);
  await refused.getByLabel('الهاتف', { exact: true }).fill('12');
  await refused.getByRole('button', { name: 'إنشاء العميل', exact: true }).click();
  await refused.getByText('أدخل رقم هاتف مع رمز الدولة', { exact: false }).waitFor();
  assert.doesNotMatch(await refused.innerText(), /not a valid phone number/);
  await page.keyboard.press('Escape');
  await refused.waitFor({ state: 'detached' });

  // Leads typed in through the Arabic form.
  for (const [name, phone, website] of [
    [ARABIC, '+966 55 987 6543', 'golden-palm.example'],
    [OTHER, '+966 12 765 4321', 'desert-falcon.example'],
  ]) {
    await page.getByRole('button', { name: 'عميل جديد', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('الاسم', { exact: true }).fill(name);
    await dialog.getByLabel('الهاتف', { exact: true }).fill(phone);
    await dialog.getByLabel('الموقع الإلكتروني', { exact: true }).fill(website);
    await dialog.getByRole('button', { name: 'إنشاء العميل', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await row(page, name).waitFor();
  }
  assert.deepEqual(await rowNames(page), [ARABIC, OTHER].sort());

  // A phone number keeps its left-to-right order inside the right-to-left table: "+" comes first, on the left.
  const phoneOrder = await row(page, ARABIC)
    .locator('span[dir="ltr"]')
    .first()
    .evaluate((span) => {
      const text = span.firstChild!;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, 1);
      const plus = range.getBoundingClientRect().x;
      range.setStart(text, text.textContent!.length - 1);
      range.setEnd(text, text.textContent!.length);
      return { plus, last: range.getBoundingClientRect().x };
    });
  assert.ok(phoneOrder.plus < phoneOrder.last, 'phone number reads left to right');

  // An Arabic search finds the Arabic lead only, and stays after a reload.
  await page.getByLabel('البحث في العملاء', { exact: true }).fill('النخلة');
  await page.waitForURL(/[?&]q=/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="lead-row"]').length === 1);
  assert.deepEqual(await rowNames(page), [ARABIC]);
  await page.reload();
  await row(page, ARABIC).waitFor();
  assert.deepEqual(await rowNames(page), [ARABIC]);

  // Switching back keeps the page as it was: the same search and its result, now in English.
  await chooseLanguage(page, 'English');
  await page.getByRole('button', { name: 'New lead', exact: true }).waitFor();
  assert.deepEqual(await documentLanguage(page), { lang: 'en', dir: 'ltr' });
  assert.ok((await navLabels(page)).includes('Leads'));
  assert.equal(await page.getByLabel('Search leads', { exact: true }).inputValue(), 'النخلة');
  assert.deepEqual(await rowNames(page), [ARABIC]);
  await page.reload();
  await page.getByRole('button', { name: 'New lead', exact: true }).waitFor();
  assert.deepEqual(await documentLanguage(page), { lang: 'en', dir: 'ltr' });

  assert.deepEqual(blocked, []);
  await context.close();
});

test('the sign-in page offers the language switcher, by keyboard too', async () => {
  const { context } = await loopbackOnlyContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.getByRole('heading', { name: 'Sign in to OpTarget' }).waitFor();

  // Every text the heading shows on the way, so a message key shown before the Arabic messages arrive would be caught.
  await page.evaluate(() => {
    const seen = [document.querySelector('h1, h2')?.textContent ?? ''];
    (window as unknown as { headingTexts: string[] }).headingTexts = seen;
    new MutationObserver(() => {
      const text = document.querySelector('h1, h2')?.textContent ?? '';
      if (seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  await page.getByTestId('language-switcher').focus();
  await page.keyboard.press('Enter');
  const arabic = page.getByRole('menuitem', { name: 'العربية', exact: true });
  await arabic.waitFor();
  for (let i = 0; i < 3 && !(await arabic.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  assert.ok(await arabic.evaluate((el) => el === document.activeElement), 'the arrow keys reach العربية');
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: 'تسجيل الدخول إلى OpTarget' }).waitFor();
  assert.deepEqual(await documentLanguage(page), { lang: 'ar', dir: 'rtl' });
  await page.getByLabel('البريد الإلكتروني', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'تسجيل الدخول', exact: true }).waitFor();
  assert.deepEqual(await page.evaluate(() => (window as unknown as { headingTexts: string[] }).headingTexts), [
    'Sign in to OpTarget',
    'تسجيل الدخول إلى OpTarget',
  ]);

  // An address the form's own check lets through but the server refuses is explained under the field, in Arabic.
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel('البريد الإلكتروني', { exact: true }).fill('x@y.z');
  await form.getByLabel('كلمة المرور', { exact: true }).fill('any password');
  await form.getByRole('button', { name: 'تسجيل الدخول', exact: true }).click();
  await form.getByText('أدخل بريدًا إلكترونيًا صالحًا', { exact: true }).waitFor();
  assert.doesNotMatch(await form.innerText(), /[Ii]nvalid/);

  // And back to English, in place.
  await chooseLanguage(page, 'English');
  await page.getByRole('heading', { name: 'Sign in to OpTarget' }).waitFor();
  assert.deepEqual(await documentLanguage(page), { lang: 'en', dir: 'ltr' });
  await context.close();
});

test('when the Arabic messages cannot be fetched the page stays in English and says so, and a second try works', async () => {
  const { context } = await loopbackOnlyContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.getByRole('heading', { name: 'Sign in to OpTarget' }).waitFor();

  // The Arabic catalogue is the one script that carries the Arabic sign-in heading.
  const isArabicCatalogue = async (url: string) => (await (await fetch(url)).text()).includes('تسجيل الدخول إلى OpTarget');
  let failing = true;
  await page.route('**/assets/*.js', async (route) => {
    if (failing && (await isArabicCatalogue(route.request().url()))) return route.abort('connectionfailed');
    return route.fallback();
  });
  await chooseLanguage(page, 'العربية');
  await page.getByText('The language could not be loaded. Check the connection and try again.').waitFor();
  assert.deepEqual(await documentLanguage(page), { lang: 'en', dir: 'ltr' });
  await page.getByRole('heading', { name: 'Sign in to OpTarget' }).waitFor();

  failing = false;
  await chooseLanguage(page, 'العربية');
  await page.getByRole('heading', { name: 'تسجيل الدخول إلى OpTarget' }).waitFor();
  assert.deepEqual(await documentLanguage(page), { lang: 'ar', dir: 'rtl' });
  await context.close();
});

test('when the first page cannot fetch its messages it still opens, and choosing the language again fills them in', async () => {
  const { context } = await loopbackOnlyContext(browser);
  const page = await context.newPage();
  const isEnglishCatalogue = async (url: string) => (await (await fetch(url)).text()).includes('Sign in to OpTarget');
  let failing = true;
  await page.route('**/assets/*.js', async (route) => {
    if (failing && (await isEnglishCatalogue(route.request().url()))) return route.abort('connectionfailed');
    return route.fallback();
  });
  await page.goto(`${server.url}/sign-in`);
  await page.getByTestId('sign-in-form').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Sign in to OpTarget' }).count(), 0);

  failing = false;
  await chooseLanguage(page, 'English');
  await page.getByRole('heading', { name: 'Sign in to OpTarget' }).waitFor();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await context.close();
});
