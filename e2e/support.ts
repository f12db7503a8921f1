import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { after, before } from 'node:test';
import path from 'node:path';
import { FakeGraph } from '../server/src/whatsapp/fake-graph.js';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');

/** The built app (server/dist + web/dist) on the embedded database, as `npm start` runs it. */
export class AppServer {
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'optarget-e2e-'));
  /** Chosen free at the first start and kept across restarts, so several test runs can share the machine. */
  port = 0;
  private child: ChildProcess | null = null;
  output = '';

  /**
   * `env` adds to the server's environment (e.g. fake service URLs); `nodeArgs` go before the script
   * (e.g. `--import` of a test-only preload).
   */
  constructor(private readonly options: { env?: Record<string, string>; nodeArgs?: string[] } = {}) {}

  get url() {
    return `http://localhost:${this.port}`;
  }

  async start() {
    if (!this.port) this.port = await freeLoopbackPort();
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

/** A TCP port nothing listens on right now, as the system hands one out. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
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
export async function loopbackOnlyContext(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
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

/**
 * Signs up through the form and opens the emailed confirmation link, as a new user does; returns
 * the page (on the new organization's Dashboard) and the tenant id.
 */
export async function signUpInBrowser(context: BrowserContext, server: AppServer, name: string, email: string) {
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-up`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByTestId('sign-up-check-email').waitFor();
  await page.goto(await server.lastLinkTo(email));
  await page.waitForURL(/\/t\/[0-9a-f-]{36}\/dashboard$/);
  const tenantId = page.url().match(/\/t\/([0-9a-f-]{36})\//)![1];
  return { page, tenantId, tenantUrl: `${server.url}/t/${tenantId}` };
}

/** The built app and a browser, started before the file's tests and stopped after them. */
export function appAndBrowser() {
  const started = {} as { server: AppServer; browser: Browser };
  before(async () => {
    started.server = new AppServer();
    await started.server.start();
    started.browser = await launchBrowser();
  });
  after(async () => {
    await started.browser?.close();
    await started.server?.dispose();
  });
  return started;
}

/** The app talking to a local Graph API server, and a browser: started before a file's tests, stopped after. */
export function appWithGraph() {
  const started = {} as { server: AppServer; browser: Browser; graph: FakeGraph };
  before(async () => {
    started.graph = await FakeGraph.start();
    started.server = new AppServer({ env: started.graph.env });
    await started.server.start();
    started.browser = await launchBrowser();
  });
  after(async () => {
    await started.browser?.close();
    await started.server?.dispose();
    await started.graph?.close();
  });
  return started;
}

/** The lead table's row of the lead with this name. */
export const leadRow = (page: Page, name: string) => page.locator(`[data-testid="lead-row"][data-lead-name="${name}"]`);

/** Uploads `csvFile` on the import page and waits for the column mapping step, which it returns. */
export async function uploadForImport(page: Page, tenantUrl: string, csvFile: string) {
  await page.goto(`${tenantUrl}/leads/import`);
  await page.getByLabel('CSV file').setInputFiles(csvFile);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  const mapping = page.getByTestId('import-mapping');
  await mapping.waitFor();
  return mapping;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical accessibility violations axe-core finds on the page as it is now, one line each. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the page's content security policy does not govern.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.html.slice(0, 160)} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`).join(' | ')}`,
    );
}
type AxeViolation = { id: string; impact: string | null; nodes: { html: string; failureSummary?: string }[] };
