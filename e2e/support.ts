import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');

/** The built app (server/dist + web/dist) on the embedded database, as `npm start` runs it. */
export class AppServer {
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'optarget-e2e-'));
  readonly url: string;
  private child: ChildProcess | null = null;
  output = '';

  constructor(readonly port: number) {
    this.url = `http://localhost:${port}`;
  }

  async start() {
    this.child = spawn(process.execPath, [path.join(root, 'server/dist/main.js'), 'all'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(this.port),
        DATA_DIR: this.dataDir,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
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
