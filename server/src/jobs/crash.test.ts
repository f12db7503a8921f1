import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../test/harness.js';

/**
 * The job engine across processes, on PostgreSQL: the API and the workers run as separate
 * processes, as `npm run start:api` and `npm run start:worker` run them. On PGlite the embedded
 * database serves one process, so these tests do not apply there.
 *
 * A killed worker's job is taken up by another worker once the job's lease lapses; the workers
 * here run with JOB_LEASE_SECONDS=5 so that takes seconds, not the default minute. Everything
 * else is the real engine with its default settings.
 */
const ORIGIN = 'http://localhost:3000';
const LEASE_SECONDS = 5;
const WAIT_MS = 60_000;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const mainEntry = fileURLToPath(new URL('../main.ts', import.meta.url));
const workerEntry = fileURLToPath(new URL('./test-worker-process.ts', import.meta.url));
const schema = `pgboss_crash_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** A child process whose stdout lines are kept; JSON lines are parsed (the test worker announces the jobs it runs). */
type Proc = { child: ChildProcess; lines: string[]; events: Record<string, any>[]; stderr: string[]; exited: Promise<number | null> };
const processes: Proc[] = [];

function startProcess(entry: string, args: string[], env: Record<string, string>): Proc {
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
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      proc.lines.push(line);
      if (line.startsWith('{"worker"')) proc.events.push(JSON.parse(line));
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => proc.stderr.push(chunk.toString()));
  processes.push(proc);
  return proc;
}

const alive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;
const diagnostics = (p: Proc) => `stdout: ${p.lines.slice(-20).join('\n')}\nstderr: ${p.stderr.join('').slice(-2000)}`;

async function waitForLine(p: Proc, what: string, match: (line: string) => boolean) {
  return waitUntil(`${what}\n${diagnostics(p)}`, async () => {
    if (!alive(p)) throw new Error(`the process exited before ${what}\n${diagnostics(p)}`);
    return p.lines.find(match);
  });
}

async function kill(p: Proc) {
  p.child.kill('SIGKILL');
  await p.exited;
}

function serverEnv(fake: FakeOverpass) {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl!,
    JOB_QUEUE_SCHEMA: schema,
    APP_SECRET: 'test-secret-test-secret-test-secret-0000',
    PUBLIC_URL: ORIGIN,
    DEV_OUTBOX: 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    WORKER_CONCURRENCY: '2',
    JOB_LEASE_SECONDS: String(LEASE_SECONDS),
    NOMINATIM_URL: `${fake.baseUrl}/nominatim`,
    OVERPASS_URL: `${fake.baseUrl}/overpass/api/interpreter`,
    GOOGLE_PLACES_URL: `${fake.baseUrl}/google`,
  };
}

async function startWorkerProcess(label: string, fake: FakeOverpass) {
  const worker = startProcess(workerEntry, [], { ...serverEnv(fake), TEST_WORKER_LABEL: label });
  await waitForLine(worker, `worker ${label} to start`, (l) => l.includes('"event":"ready"'));
  return worker;
}

/**
 * Overpass on 127.0.0.1: answers each query after `delayFor` its number (1, 2, …) with the places
 * `placesFor` gives for that number. Anything else answers 404 (a point search never geocodes).
 */
class FakeOverpass {
  requests = 0;
  baseUrl = '';
  private server!: Server;
  constructor(
    private readonly delayFor: (request: number) => number,
    private readonly placesFor: (request: number) => { id: number; name: string }[],
  ) {}

  async start() {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method !== 'POST' || !req.url?.startsWith('/overpass/api/interpreter')) return res.writeHead(404).end('not found');
        const request = ++this.requests;
        const places = this.placesFor(request);
        const elements = places.map((p, i) => ({
          type: 'node',
          id: p.id,
          lat: 24.7 + i / 1e5,
          lon: 46.7,
          tags: { amenity: 'dentist', name: p.name },
        }));
        setTimeout(() => {
          if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: 0.6, elements }));
        }, this.delayFor(request));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close() {
    this.server.closeAllConnections();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A signed-in browser stand-in speaking HTTP to the API process. */
class HttpClient {
  private cookies = new Map<string, string>();
  constructor(private readonly baseUrl: string) {}

  async request(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.baseUrl + url, {
      method,
      headers: {
        origin: ORIGIN,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
}

const runsOnPostgres = Boolean(testDatabaseUrl);
let api: Proc;
let apiUrl = '';
let pool: pg.Pool;
const fakes: FakeOverpass[] = [];

/** Signs up over HTTP (the person becomes OWNER of a new tenant) and moves the tenant to the Business plan for its larger limits. */
async function signUpOwner() {
  const client = new HttpClient(apiUrl);
  const email = `crash-${randomUUID().slice(0, 8)}@example.test`;
  const signUp = await client.request('POST', '/api/auth/sign-up/email', {
    name: 'Crash Tester',
    email,
    password: 'correct horse battery',
  });
  expect(signUp.status).toBe(200);
  const me = await client.request('GET', '/api/v1/me');
  const tenantId = me.body.memberships[0].tenantId as string;
  await pool.query(`update tenants set plan_code = 'business' where id = $1`, [tenantId]);
  return { client, tenantId };
}

const jobRow = async (jobId: string) =>
  (await pool.query(`select status, attempts, progress_done, result from jobs where id = $1`, [jobId])).rows[0] as {
    status: string;
    attempts: number;
    progress_done: number;
    result: Record<string, number> | null;
  };

const leadCounts = async (tenantId: string) =>
  (
    await pool.query(
      `select count(*)::int as leads, count(distinct source_id)::int as sources from leads where tenant_id = $1 and source = 'osm'`,
      [tenantId],
    )
  ).rows[0] as { leads: number; sources: number };

describe('job engine across worker processes (PostgreSQL)', () => {
  beforeAll(async () => {
    if (!runsOnPostgres) return;
    pool = new pg.Pool({ connectionString: testDatabaseUrl, max: 2 });
    const idle = await new FakeOverpass(
      () => 0,
      () => [],
    ).start();
    fakes.push(idle);
    api = startProcess(mainEntry, ['api'], serverEnv(idle));
    const ready = await waitForLine(api, 'the API to listen', (l) => l.includes('OpTarget is running at'));
    apiUrl = `http://127.0.0.1:${/:(\d+)/.exec(ready.slice(ready.indexOf('http')))![1]}`;
  }, 90_000);

  afterAll(async () => {
    for (const p of processes) if (alive(p)) await kill(p);
    await pool?.query(`drop schema if exists ${schema} cascade`);
    await pool?.end();
    for (const f of fakes) await f.close();
  }, 60_000);

  it.runIf(runsOnPostgres)(
    'a search whose worker is SIGKILLed (waiting on Overpass, then halfway through saving) finishes on another worker with no duplicate leads',
    async () => {
      const PLACES = 2000;
      const places = Array.from({ length: PLACES }, (_, i) => ({ id: 9_000_000_000 + i, name: `Crash Dental ${i + 1}` }));
      // The first query hangs well past a lease; the later ones answer after a few seconds.
      const overpass = await new FakeOverpass(
        (n) => (n === 1 ? 20_000 : 3000),
        () => places,
      ).start();
      fakes.push(overpass);
      const { client, tenantId } = await signUpOwner();

      const first = await startWorkerProcess('first', overpass);
      const created = await client.request('POST', `/api/v1/tenants/${tenantId}/searches`, {
        query: 'dentist',
        point: { lat: 24.7, lon: 46.7, radiusMeters: 3000 },
        limit: PLACES,
      });
      expect(created.status).toBe(202);
      const jobId = created.body.id as string;
      await waitUntil(
        'the first worker to query Overpass',
        async () => overpass.requests === 1 && (await jobRow(jobId)).status === 'RUNNING',
      );

      // 1. A live worker keeps its job: a second worker running beside it for two leases leaves it alone.
      const second = await startWorkerProcess('second', overpass);
      await sleep(2 * LEASE_SECONDS * 1000);
      expect(await jobRow(jobId)).toMatchObject({ status: 'RUNNING', attempts: 1 });
      expect(overpass.requests).toBe(1);

      // 2. Killed while the slow Overpass holds the request: nothing saved yet. Once its lease lapses,
      //    the second worker takes the job over; it is killed in turn once some batches are saved.
      await kill(first);
      expect(await leadCounts(tenantId)).toEqual({ leads: 0, sources: 0 });
      await waitUntil('the second worker to save a first batch', async () => {
        const row = await jobRow(jobId);
        return row.attempts === 2 && row.progress_done >= 100;
      });
      await kill(second);
      const savedBeforeCrash = (await leadCounts(tenantId)).leads;
      expect(savedBeforeCrash).toBeGreaterThan(0);
      expect(savedBeforeCrash).toBeLessThan(PLACES);

      // 3. A third worker finishes the job, merging what the second one saved.
      const third = await startWorkerProcess('third', overpass);
      const done = await waitUntil('the job to end', async () => {
        const row = await jobRow(jobId);
        return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(row.status) && row;
      });
      expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 3 });
      expect(done.result).toEqual({ found: PLACES, new: PLACES - savedBeforeCrash, merged: savedBeforeCrash, skipped: 0 });
      expect(await leadCounts(tenantId)).toEqual({ leads: PLACES, sources: PLACES });
      expect(overpass.requests).toBe(3);

      // Each process ran the handler once, on its own attempt.
      const runs = [first, second, third].flatMap((p) => p.events.filter((e) => e.event === 'run' && e.jobId === jobId));
      expect(runs.map((r) => [r.worker, r.attempt])).toEqual([
        ['first', 1],
        ['second', 2],
        ['third', 3],
      ]);

      // What the user sees: the job, and its log explaining each rerun.
      const job = await client.request('GET', `/api/v1/tenants/${tenantId}/jobs/${jobId}`);
      expect(job.body).toMatchObject({ status: 'SUCCEEDED', progress: { done: PLACES, total: PLACES }, error: null });
      const logs = await client.request('GET', `/api/v1/tenants/${tenantId}/jobs/${jobId}/logs?limit=100`);
      const messages = logs.body.items.map((l: any) => l.message as string);
      expect(messages.filter((m: string) => m.startsWith('The worker running this job stopped responding')).length).toBe(2);
      expect(messages.filter((m: string) => m.startsWith('Running again')).length).toBe(2);
      // The queue sent the job three times; the dead workers' deliveries stay with them until they expire.
      const queued = await pool.query(`select state from ${schema}.job where data->>'jobId' = $1 order by created_on`, [jobId]);
      expect(queued.rows.map((r) => r.state)).toEqual(['active', 'active', 'completed']);
      await kill(third);
    },
    180_000,
  );

  it.runIf(runsOnPostgres)(
    'two worker processes share 40 searches and run each exactly once',
    async () => {
      const JOBS = 40;
      const PER_JOB = 5;
      // Every Overpass request gets places of its own, so a search run twice would add leads and a request.
      const overpass = await new FakeOverpass(
        () => 50,
        (n) => Array.from({ length: PER_JOB }, (_, i) => ({ id: 8_000_000_000 + n * 100 + i, name: `Shared Dental ${n}-${i}` })),
      ).start();
      fakes.push(overpass);
      const { client, tenantId } = await signUpOwner();
      const workers = [await startWorkerProcess('left', overpass), await startWorkerProcess('right', overpass)];

      const jobIds: string[] = [];
      for (let i = 0; i < JOBS; i++) {
        const res = await client.request('POST', `/api/v1/tenants/${tenantId}/searches`, {
          query: 'dentist',
          point: { lat: 24 + i / 100, lon: 46.7, radiusMeters: 1000 },
          limit: 50,
        });
        expect(res.status).toBe(202);
        jobIds.push(res.body.id);
      }

      const rows = await waitUntil('all 40 searches to end', async () => {
        const { rows } = await pool.query(`select id, status, attempts, result from jobs where id = any($1::uuid[])`, [jobIds]);
        return rows.every((r) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status)) && rows;
      });
      for (const row of rows) {
        expect(row).toMatchObject({ status: 'SUCCEEDED', attempts: 1, result: { found: PER_JOB, new: PER_JOB, merged: 0, skipped: 0 } });
      }
      expect(overpass.requests).toBe(JOBS);
      expect(await leadCounts(tenantId)).toEqual({ leads: JOBS * PER_JOB, sources: JOBS * PER_JOB });

      const runs = workers.flatMap((w) => w.events.filter((e) => e.event === 'run' && jobIds.includes(e.jobId)));
      expect(runs).toHaveLength(JOBS);
      expect(new Set(runs.map((r) => r.jobId)).size).toBe(JOBS);
      const byWorker = { left: runs.filter((r) => r.worker === 'left').length, right: runs.filter((r) => r.worker === 'right').length };
      expect(byWorker.left).toBeGreaterThan(0);
      expect(byWorker.right).toBeGreaterThan(0);

      const queued = await pool.query(
        `select count(*)::int as n, max(retry_count)::int as retries from ${schema}.job where name = 'PROSPECT_SEARCH' and data->>'tenantId' = $1 and state = 'completed'`,
        [tenantId],
      );
      expect(queued.rows[0]).toEqual({ n: JOBS, retries: 0 });
      for (const w of workers) await kill(w);
    },
    120_000,
  );
});
