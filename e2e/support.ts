import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');

/** The built app (server/dist + web/dist) on the embedded database, as `npm start` runs it. */
export class AppServer {
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'optarget-e2e-'));
  readonly url: string;
  private child: ChildProcess | null = null;
  output = '';

  /**
   * `env` adds to the server's environment (e.g. fake service URLs); `nodeArgs` go before the script
   * (e.g. `--import` of a test-only preload).
   */
  constructor(
    readonly port: number,
    private readonly options: { env?: Record<string, string>; nodeArgs?: string[] } = {},
  ) {
    this.url = `http://localhost:${port}`;
  }

  async start() {
    this.child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), path.join(root, 'server/dist/main.js'), 'all'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(this.port),
        DATA_DIR: this.dataDir,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d) => (this.output += d));
    this.child.stderr!.on('data', (d) => (this.output += d));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`server exited early:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/readyz`)).ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`server not ready within 60 s:\n${this.output}`);
  }

  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    this.child = null;
  }

  async restart() {
    await this.stop();
    await this.start();
  }

  async dispose() {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Newest link emailed to `to`, read from the development outbox. */
  async lastLinkTo(to: string): Promise<string> {
    const res = await fetch(`${this.url}/api/dev/outbox`);
    const { items } = (await res.json()) as { items: { to: string; text: string }[] };
    const email = items.find((e) => e.to === to.toLowerCase());
    const link = email?.text.match(/https?:\/\/\S+/)?.[0];
    if (!link) throw new Error(`no email with a link to ${to}`);
    return link;
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A new browser context that may only talk to this machine: any request to another host is
 * aborted and remembered in `blocked`, so a test can assert the page never tried to leave.
 */
export async function loopbackOnlyContext(browser: Browser) {
  const context = await browser.newContext({ acceptDownloads: true });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
      return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  return { context, blocked };
}

/** Signs up through the form; returns the page (on the new organization's Dashboard) and the tenant id. */
export async function signUpInBrowser(context: BrowserContext, server: AppServer, name: string, email: string) {
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-up`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.waitForURL(/\/t\/[0-9a-f-]{36}\/dashboard$/);
  const tenantId = page.url().match(/\/t\/([0-9a-f-]{36})\//)![1];
  return { page, tenantId, tenantUrl: `${server.url}/t/${tenantId}` };
}
