import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { AppServer, launchBrowser } from './support.js';

const PASSWORD = 'correct horse battery';
const stamp = Date.now().toString(36);
const ownerEmail = `olivia-${stamp}@example.test`;
const mateEmail = `marco-${stamp}@example.test`;

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

const roleSelectOf = (page: Page, email: string) => page.getByLabel(`Role of ${email}`, { exact: true });

test('a team built in the browser is still there after reloads, in another browser and after a restart', async () => {
  // The owner signs up and lands in their own organization.
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await owner.goto(`${server.url}/sign-up`);
  await owner.getByLabel('Name', { exact: true }).fill('Olivia Owner');
  await owner.getByLabel('Email', { exact: true }).fill(ownerEmail);
  await owner.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await owner.getByRole('button', { name: 'Sign up', exact: true }).click();
  await owner.getByTestId('sign-up-check-email').waitFor();
  await owner.goto(await server.lastLinkTo(ownerEmail));
  await owner.waitForURL(/\/t\/[0-9a-f-]{36}\/dashboard$/);
  const teamUrl = owner.url().replace(/\/dashboard$/, '/team');
  await owner.getByRole('link', { name: 'Team', exact: true }).click();
  await owner.waitForURL(teamUrl);
  await owner.getByText("Olivia Owner's Organization").first().waitFor();
  await owner.locator(`[data-testid="member-row"][data-email="${ownerEmail}"]`).waitFor();

  // She invites a teammate as a member.
  await owner.getByTestId('invite-email').fill(mateEmail);
  await owner.getByTestId('invite-role-select').selectOption('MEMBER');
  await owner.getByRole('button', { name: 'Invite', exact: true }).click();
  await owner.locator(`[data-testid="invite-row"][data-email="${mateEmail}"]`).waitFor();

  // The teammate opens the emailed link in a second browser and signs up from it.
  const link = await server.lastLinkTo(mateEmail);
  assert.match(link, /\/invite\?token=/);
  const mateContext = await browser.newContext();
  const mate = await mateContext.newPage();
  await mate.goto(link);
  await mate.getByLabel('Name', { exact: true }).fill('Marco Mate');
  await mate.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await mate.getByRole('button', { name: 'Sign up', exact: true }).click();
  await mate.waitForURL(teamUrl);
  await mate.getByText("Olivia Owner's Organization").first().waitFor();

  // The owner sees the new member after a reload, and promotes him to admin.
  await owner.reload();
  await roleSelectOf(owner, mateEmail).waitFor();
  assert.equal(await roleSelectOf(owner, mateEmail).inputValue(), 'MEMBER');
  assert.equal(
    await owner.locator(`[data-testid="invite-row"][data-email="${mateEmail}"]`).count(),
    0,
    'the accepted invite is no longer pending',
  );
  await roleSelectOf(owner, mateEmail).selectOption('ADMIN');
  await owner.getByText(`Role of ${mateEmail} changed to`).first().waitFor();

  await owner.reload();
  await roleSelectOf(owner, mateEmail).waitFor();
  assert.equal(await roleSelectOf(owner, mateEmail).inputValue(), 'ADMIN');

  // A restart of the server loses nothing: sessions, members and roles are all in the database.
  await server.restart();
  await owner.reload();
  await roleSelectOf(owner, mateEmail).waitFor();
  assert.equal(await roleSelectOf(owner, mateEmail).inputValue(), 'ADMIN');

  await mate.reload();
  await mate.locator(`[data-testid="member-row"][data-email="${ownerEmail}"]`).waitFor();
  // As an admin, the teammate now sees the audit log, which records what happened.
  await mate.goto(teamUrl.replace(/\/team$/, '/audit'));
  await mate.getByText('member.role_changed').first().waitFor();
  await mate.getByText('invite.accepted').first().waitFor();

  // A third, fresh browser signs in as the owner and sees the same team.
  const third = await (await browser.newContext()).newPage();
  await third.goto(`${server.url}/sign-in`);
  await third.getByLabel('Email', { exact: true }).fill(ownerEmail);
  await third.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await third.getByRole('button', { name: 'Sign in', exact: true }).click();
  await third.waitForURL(teamUrl.replace(/\/team$/, '/dashboard'));
  await third.goto(teamUrl);
  await roleSelectOf(third, mateEmail).waitFor();
  assert.equal(await roleSelectOf(third, mateEmail).inputValue(), 'ADMIN');
});

test('a wrong password is refused with a message and no session', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Email', { exact: true }).fill(ownerEmail);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('form-error').waitFor();
  assert.match(await page.getByTestId('form-error').innerText(), /invalid email or password/i);
  await page.goto(`${server.url}/account`);
  await page.waitForURL(/\/sign-in/);
});
