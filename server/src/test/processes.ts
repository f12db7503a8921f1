import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';

/** Server processes started by tests, as `npm start` (or `npm run start:api` / `start:worker`) runs them, killed by their own PID. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const mainEntry = fileURLToPath(new URL('../main.ts', import.meta.url));
export const ORIGIN = 'http://localhost:3000';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 20 ms until it gives a value, failing after `timeoutMs`. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** A child process whose stdout lines are kept; JSON lines starting with `{"worker"` are parsed (the test worker announces the jobs it runs). */
export type Proc = {
  child: ChildProcess;
  lines: string[];
  events: Record<string, any>[];
  stderr: string[];
  exited: Promise<number | null>;
};
const processes: Proc[] = [];

export function startProcess(entry: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: Proc = {
    child,
    lines: [],
    events: [],
    stderr: [],
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      proc.lines.push(line);
      if (line.startsWith('{"worker"')) proc.events.push(JSON.parse(line));
    }
  });
  child.stderr.on('data', (chunk: Buffer) => proc.stderr.push(chunk.toString()));
  processes.push(proc);
  return proc;
}

export const alive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;
export const diagnostics = (p: Proc) => `stdout: ${p.lines.slice(-20).join('\n')}\nstderr: ${p.stderr.join('').slice(-2000)}`;

export async function waitForLine(p: Proc, what: string, match: (line: string) => boolean, timeoutMs?: number) {
  return waitUntil(
    `${what}\n${diagnostics(p)}`,
    async () => {
      if (!alive(p)) throw new Error(`the process exited before ${what}\n${diagnostics(p)}`);
      return p.lines.find(match);
    },
    timeoutMs,
  );
}

export async function kill(p: Proc, signal: NodeJS.Signals = 'SIGKILL') {
  if (alive(p)) p.child.kill(signal);
  await p.exited;
}

/** Kills every process this test file started and has not yet stopped. */
export async function killAll() {
  for (const p of processes) await kill(p);
}

/** The environment of a server process in a test: loopback only, the development outbox on, an ephemeral port. */
export function serverEnv(extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'test',
    APP_SECRET: 'test-secret-test-secret-test-secret-0000',
    PUBLIC_URL: ORIGIN,
    DEV_OUTBOX: 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    ...extra,
  };
}

/** Starts `main.ts` in `mode` and waits until it listens; returns the process and its base URL. */
export async function startServer(mode: 'all' | 'api', env: Record<string, string>, timeoutMs = 90_000) {
  const proc = startProcess(mainEntry, [mode], env);
  const ready = await waitForLine(proc, 'the server to listen', (l) => l.includes('OpTarget is running at'), timeoutMs);
  const url = `http://127.0.0.1:${/:(\d+)/.exec(ready.slice(ready.indexOf('http')))![1]}`;
  return { proc, url };
}

/** A signed-in browser stand-in speaking HTTP to a server process. */
export class HttpClient {
  private cookies = new Map<string, string>();
  /** Changeable: a restarted server listens on a new port, and the session cookie still holds there. */
  constructor(public baseUrl: string) {}

  async request(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const raw = Buffer.isBuffer(body) || body instanceof FormData;
    const res = await fetch(this.baseUrl + url, {
      method,
      headers: {
        origin: ORIGIN,
        cookie: this.cookieHeader,
        ...(body === undefined || raw ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : raw ? (body as BodyInit) : JSON.stringify(body),
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
    const text = await res.text();
    return {
      status: res.status,
      body: res.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : text,
      headers: res.headers,
    };
  }

  get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Signs up over HTTP (the person becomes OWNER of a new tenant), confirming the address by the link in the development outbox. */
export async function signUpOverHttp(baseUrl: string, label = 'process') {
  const client = new HttpClient(baseUrl);
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const signUp = await client.request('POST', '/api/auth/sign-up/email', {
    name: 'Process Tester',
    email,
    password: 'correct horse battery',
  });
  expect(signUp.status).toBe(200);
  const outbox = await client.request('GET', '/api/dev/outbox');
  const link = new URL(outbox.body.items.find((e: { to: string }) => e.to === email).text.match(/https?:\/\/\S+/)[0]);
  expect((await client.request('GET', link.pathname + link.search)).status).toBe(302);
  const me = await client.request('GET', '/api/v1/me');
  return { client, tenantId: me.body.memberships[0].tenantId as string };
}

/** Moves the tenant to the Business plan (its owner's own request) for room to import thousands of leads. */
export async function upgradeToBusiness(owner: { client: HttpClient; tenantId: string }) {
  const res = await owner.client.request('PUT', `/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'business' });
  expect(res.status).toBe(200);
}

/** Uploads `rows` leads named `<prefix> <n>` as a CSV and starts importing them; returns the job id. */
export async function startCsvImport(owner: { client: HttpClient; tenantId: string }, rows: number, prefix: string) {
  const lines = ['name,city,phone'];
  for (let n = 1; n <= rows; n++) lines.push(`${prefix} ${n},Riyadh,+9665${String(10_000_000 + n).padStart(8, '0')}`);
  const form = new FormData();
  form.append('file', new Blob([lines.join('\n')], { type: 'text/csv' }), 'leads.csv');
  const upload = await owner.client.request('POST', `/api/v1/tenants/${owner.tenantId}/imports`, form);
  expect(upload.status, JSON.stringify(upload.body)).toBe(201);
  const start = await owner.client.request('POST', `/api/v1/tenants/${owner.tenantId}/imports/${upload.body.id}/start`, {
    mapping: { '0': 'name', '1': 'city', '2': 'phone' },
  });
  expect(start.status, JSON.stringify(start.body)).toBe(202);
  return start.body.id as string;
}

/** The job as its owner sees it. */
export async function readJob(owner: { client: HttpClient; tenantId: string }, jobId: string) {
  const res = await owner.client.request('GET', `/api/v1/tenants/${owner.tenantId}/jobs/${jobId}`);
  expect(res.status).toBe(200);
  return res.body as {
    status: string;
    attempts?: number;
    progress: { done: number; total: number | null };
    result: Record<string, unknown> | null;
  };
}

/** Stored leads of the tenant, as its usage page counts them. */
export async function storedLeads(owner: { client: HttpClient; tenantId: string }) {
  const res = await owner.client.request('GET', `/api/v1/tenants/${owner.tenantId}/usage`);
  expect(res.status).toBe(200);
  return (res.body.metrics as { metric: string; used: number }[]).find((m) => m.metric === 'leads')!.used;
}

/**
 * The databases a server process can run on in this test run: PostgreSQL when the tests have one
 * (with a job queue schema of its own), and always the embedded one, in a temporary data folder
 * removed after the file (with every process it started).
 */
export function processDatabases(label: string): { name: string; env: Record<string, string> }[] {
  const dataDir = mkdtempSync(path.join(tmpdir(), `optarget-${label}-`));
  afterAll(async () => {
    await killAll();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  const schema = `pgboss_${label.replaceAll('-', '_')}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  return [
    ...(url ? [{ name: 'PostgreSQL', env: { DATABASE_URL: url, JOB_QUEUE_SCHEMA: schema } }] : []),
    { name: 'the embedded database', env: { DATA_DIR: dataDir } },
  ];
}

/** Waits for the job to end (succeeded, failed or cancelled) and returns it as its owner sees it. */
export function waitForJobEnd(owner: { client: HttpClient; tenantId: string }, jobId: string, timeoutMs = 120_000) {
  return waitUntil(
    `job ${jobId} to end`,
    async () => {
      const job = await readJob(owner, jobId);
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status) && job;
    },
    timeoutMs,
  );
}

/**
 * A server process (`all`: API and worker) with a Business-plan owner whose import of `rows` leads
 * has committed at least `minDone` of them and is still running.
 */
export async function serverWithRunningImport(env: Record<string, string>, label: string, rows: number, minDone: number) {
  const server = await startServer('all', env);
  const owner = await signUpOverHttp(server.url, label);
  await upgradeToBusiness(owner);
  const jobId = await startCsvImport(owner, rows, `${label} import`);
  const progress = await waitUntil('the import to be under way', async () => {
    const job = await readJob(owner, jobId);
    return job.status === 'RUNNING' && job.progress.done >= minDone && job.progress;
  });
  return { server, owner, jobId, progress };
}
