import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../test/harness.js';
import { killAll, serverEnv, signUpOverHttp, sleep, startProcess, startServer, waitForLine, waitUntil, kill } from '../test/processes.js';

/**
 * The job engine across processes, on PostgreSQL: the API and the workers run as separate
 * processes, as `npm run start:api` and `npm run start:worker` run them. On PGlite the embedded
 * database serves one process, so these tests do not apply there.
 *
 * A killed worker's job is taken up by another worker once the job's lease lapses; the workers
 * here run with JOB_LEASE_SECONDS=5 so that takes seconds, not the default minute. Everything
 * else is the real engine with its default settings.
 */
const LEASE_SECONDS = 5;
const workerEntry = fileURLToPath(new URL('./test-worker-process.ts', import.meta.url));
const schema = `pgboss_crash_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

function serverEnvFor(fake: FakeOverpass) {
  return serverEnv({
    DATABASE_URL: testDatabaseUrl!,
    JOB_QUEUE_SCHEMA: schema,
    WORKER_CONCURRENCY: '2',
    JOB_LEASE_SECONDS: String(LEASE_SECONDS),
    NOMINATIM_URL: `${fake.baseUrl}/nominatim`,
    OVERPASS_URL: `${fake.baseUrl}/overpass/api/interpreter`,
    GOOGLE_PLACES_URL: `${fake.baseUrl}/google`,
  });
}

async function startWorkerProcess(label: string, fake: FakeOverpass) {
  const worker = startProcess(workerEntry, [], { ...serverEnvFor(fake), TEST_WORKER_LABEL: label });
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
          // About 330 m apart: far enough that numbered names are not near-duplicates of each other.
          lat: 24.7 + (i % 40) * 0.003,
          lon: 46.7 + Math.floor(i / 40) * 0.003,
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

const runsOnPostgres = Boolean(testDatabaseUrl);
let apiUrl = '';
let pool: pg.Pool;
const fakes: FakeOverpass[] = [];

/** Signs up over HTTP and moves the tenant to the Business plan for its larger limits. */
async function signUpOwner() {
  const owner = await signUpOverHttp(apiUrl, 'crash');
  await pool.query(`update tenants set plan_code = 'business' where id = $1`, [owner.tenantId]);
  return owner;
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
    apiUrl = (await startServer('api', serverEnvFor(idle))).url;
  }, 90_000);

  afterAll(async () => {
    await killAll();
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
