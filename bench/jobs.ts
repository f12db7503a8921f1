import { randomUUID } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { CHANNELS } from '../server/src/jobs/signals.js';
import { APP_ORIGIN, signUpOwner, type BenchClient } from './http-client.js';
import { memoryOf, startProcess, stopAllProcesses, stopProcess, waitForLine, type BenchProcess } from './processes.js';
import type { Check } from './report.js';
import { startSiteFarm } from './site-farm.js';

/**
 * Issue 4's job-engine figures on PostgreSQL, with the API and the workers as separate processes
 * (as `npm run start:api` / `start:worker` run them, default settings):
 * - enrichment throughput and the worker's peak RSS against a farm of local sites (CRAWLER_ALLOW_PRIVATE=true
 *   is the only change, so the crawler may visit 127.0.0.1);
 * - queue throughput of a job that does nothing, with one and with two worker processes (targets:
 *   ≥ 1,000 jobs/s with one, ≥ 1.5× that with two, over at least 3,000 jobs);
 * - the time from POST of a job to its first progress event on the SSE stream (target: median < 50 ms).
 */
export type JobsBenchSettings = { databaseUrl: string; sites: number; queueJobs: number; firstEventRuns: number; skipEnrichment: boolean };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ENRICH_TIMEOUT_MS = 10 * 60_000;
const QUEUE_TIMEOUT_MS = 3 * 60_000;
// Issue 14.5's targets: the queue's own throughput over at least MIN_QUEUE_JOBS jobs, a second worker
// process (the two share the machine's two cores with PostgreSQL) adding half again, and progress shown at once.
const QUEUE_TARGET_PER_SECOND = 1000;
const TWO_WORKERS_TARGET = 1.5;
const MIN_QUEUE_JOBS = 3000;
const FIRST_EVENT_TARGET_MS = 50;

export async function runJobsBenchmark(settings: JobsBenchSettings, log: (line: string) => void) {
  const { databaseUrl } = settings;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const farm = await startSiteFarm(settings.sites);
  const env = {
    NODE_ENV: 'test', // better-auth's per-address rate limit off, as in the lead bench
    DATABASE_URL: databaseUrl,
    APP_SECRET: 'bench-secret-bench-secret-bench-secret-00',
    PUBLIC_URL: APP_ORIGIN,
    DEV_OUTBOX: 'true',
    TRUST_PROXY: 'true', // see bench/app.ts
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    CRAWLER_ALLOW_PRIVATE: 'true',
  };
  let boss: PgBoss | null = null;
  try {
    const api = startProcess('../server/src/main.ts', ['api'], env);
    const ready = await waitForLine(api, 'the API to listen', (l) => l.includes('OpTarget is running at'));
    const baseUrl = `http://127.0.0.1:${/localhost:(\d+)/.exec(ready)![1]}`;
    const owner = await signUpOwner(baseUrl, 'Jobs Bench Owner', `jobs-bench-${randomUUID().slice(0, 8)}@example.test`);
    await pool.query(`update tenants set plan_code = 'business' where id = $1`, [owner.tenantId]);
    const startWorkers = async (n: number) => {
      const workers: BenchProcess[] = [];
      for (let i = 0; i < n; i++) workers.push(startProcess('./job-worker.ts', [], env));
      for (const w of workers) await waitForLine(w, 'a worker to start', (l) => l.includes('bench worker ready'));
      return workers;
    };

    // Enrichment: 200 leads whose websites are the farm's sites (inserted directly: the API refuses IP-address websites).
    log(
      settings.skipEnrichment
        ? `Adding ${settings.sites} leads for the first-event runs (enrichment skipped)…`
        : `Enriching ${settings.sites} local sites…`,
    );
    const leadIds = (
      await pool.query(
        `insert into leads (tenant_id, name, website, source) select $1, 'Farm Site ' || n, url, 'manual'
         from unnest($2::text[]) with ordinality as t(url, n) returning id`,
        [owner.tenantId, farm.urls],
      )
    ).rows.map((r) => r.id as string);
    const [enrichWorker] = await startWorkers(1);
    const before = memoryOf(enrichWorker.child.pid!);
    const postedAt = Date.now();
    const enriched = settings.skipEnrichment
      ? { status: 'skipped', result: null, startedAt: '', finishedAt: '' }
      : await waitForJob(
          owner.client,
          owner.tenantId,
          (await owner.client.expect(202, 'POST', `/api/v1/tenants/${owner.tenantId}/enrichments`, { leadIds })).id,
          ENRICH_TIMEOUT_MS,
        );
    const wallSeconds = (Date.now() - postedAt) / 1000;
    const after = memoryOf(enrichWorker.child.pid!);
    const jobSeconds = (Date.parse(enriched.finishedAt) - Date.parse(enriched.startedAt)) / 1000;
    const enrichment = {
      sites: settings.sites,
      status: enriched.status,
      result: enriched.result,
      jobSeconds,
      wallSeconds,
      sitesPerMinute: (settings.sites / jobSeconds) * 60,
      farmRequests: farm.requests(),
      workerRssBeforeMb: before?.rssMb ?? null,
      workerPeakRssMb: after?.peakRssMb ?? null,
    };

    // Time from POST to the first progress event, one small enrichment at a time, with the worker idle.
    log(`Timing the first progress event of ${settings.firstEventRuns} jobs…`);
    const firstEventMs: number[] = [];
    for (let i = 0; i < settings.firstEventRuns; i++) {
      firstEventMs.push(await timeToFirstProgress(owner.client, owner.tenantId, { leadIds: [leadIds[i % leadIds.length]] }));
    }
    await stopProcess(enrichWorker);

    // Queue throughput: BENCH_NOOP jobs queued in one go, with one and then two worker processes.
    boss = new PgBoss({ connectionString: databaseUrl, max: 2, supervise: false, schedule: false });
    boss.on('error', () => {});
    await boss.start();
    const queue: { workers: number; jobs: number; completed: number; seconds: number; jobsPerSecond: number }[] = [];
    for (const workers of [1, 2]) {
      log(`Queue throughput with ${workers} worker process${workers > 1 ? 'es' : ''}…`);
      const procs = await startWorkers(workers);
      queue.push(await measureQueue(pool, boss, owner.tenantId, settings.queueJobs, workers));
      for (const p of procs) await stopProcess(p);
    }

    const sorted = [...firstEventMs].sort((a, b) => a - b);
    const firstEvent = { runs: sorted.length, medianMs: sorted[Math.floor(sorted.length / 2)], maxMs: sorted.at(-1)!, allMs: firstEventMs };
    const fmt = (n: number | null, d = 1) => (n === null || !Number.isFinite(n) ? '—' : n.toFixed(d));
    const checks: Check[] = [
      {
        measure: `enrichment, ${settings.sites} local sites (1 worker, default crawler settings)`,
        value: enriched.status === 'SUCCEEDED' ? `${fmt(enrichment.sitesPerMinute)} sites/min` : enriched.status,
        target: '—',
        pass: null,
      },
      { measure: 'enrichment: worker peak RSS', value: `${fmt(enrichment.workerPeakRssMb, 0)} MB`, target: '—', pass: null },
      ...queue.map((q): Check => {
        const complete = q.completed === q.jobs;
        const one = queue[0];
        const value = complete ? `${fmt(q.jobsPerSecond)} jobs/s` : `${q.completed}/${q.jobs} in ${fmt(q.seconds)} s`;
        if (q.workers === 1)
          return {
            measure: `queue throughput, ${q.jobs} no-op jobs, 1 worker process`,
            value,
            target: `≥ ${QUEUE_TARGET_PER_SECOND} jobs/s`,
            pass: complete && q.jobs >= MIN_QUEUE_JOBS && q.jobsPerSecond >= QUEUE_TARGET_PER_SECOND,
          };
        return {
          measure: `queue throughput, ${q.jobs} no-op jobs, ${q.workers} worker processes`,
          value: complete ? `${value} (${fmt(q.jobsPerSecond / one.jobsPerSecond, 2)}× one)` : value,
          target: `≥ ${TWO_WORKERS_TARGET}× one`,
          pass: complete && q.jobs >= MIN_QUEUE_JOBS && q.jobsPerSecond >= TWO_WORKERS_TARGET * one.jobsPerSecond,
        };
      }),
      {
        measure: `job POST → first progress event (SSE), median / max of ${firstEvent.runs}`,
        value: `${fmt(firstEvent.medianMs, 0)} / ${fmt(firstEvent.maxMs, 0)} ms`,
        target: `median < ${FIRST_EVENT_TARGET_MS} ms`,
        pass: firstEvent.medianMs < FIRST_EVENT_TARGET_MS,
      },
    ];
    log(
      `Enrichment: ${enriched.status} in ${fmt(jobSeconds)} s (job) / ${fmt(wallSeconds)} s (from POST), result ${JSON.stringify(enriched.result)}, ` +
        `${enrichment.farmRequests} requests to the farm; worker RSS ${fmt(enrichment.workerRssBeforeMb, 0)} MB before, peak ${fmt(enrichment.workerPeakRssMb, 0)} MB.`,
    );
    log(`Queue: ${queue.map((q) => `${q.workers} worker(s) ${q.completed}/${q.jobs} jobs in ${fmt(q.seconds)} s`).join('; ')}.`);
    log(`First progress event (ms): ${firstEventMs.map((ms) => fmt(ms, 0)).join(', ')}.`);
    return { checks, results: { enrichment, queue, firstEvent, settings } };
  } finally {
    await stopAllProcesses();
    await boss?.stop({ graceful: false, wait: true });
    await farm.close();
    await pool.end();
  }
}

async function waitForJob(client: BenchClient, tenantId: string, jobId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.expect(200, 'GET', `/api/v1/tenants/${tenantId}/jobs/${jobId}`);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
    if (Date.now() > deadline) return { ...job, status: `still ${job.status} after ${timeoutMs / 1000} s` };
    await sleep(250);
  }
}

/** POSTs an enrichment, opens its event stream at once, and returns the ms until a `job` event shows progress (a step or done > 0). */
async function timeToFirstProgress(client: BenchClient, tenantId: string, body: unknown): Promise<number> {
  const postedAt = performance.now();
  const job = await client.expect(202, 'POST', `/api/v1/tenants/${tenantId}/enrichments`, body);
  const res = await fetch(`${client.baseUrl}/api/v1/tenants/${tenantId}/jobs/${job.id}/events`, {
    headers: { cookie: client.cookie, origin: APP_ORIGIN },
    signal: AbortSignal.timeout(60_000),
  });
  const ms = await readUntilProgress(res.body!, postedAt);
  await waitForJob(client, tenantId, job.id, 60_000);
  return ms;
}

async function readUntilProgress(body: ReadableStream<Uint8Array>, since: number): Promise<number> {
  const decoder = new TextDecoder();
  let buffer = '';
  // Leaving the loop cancels the stream, which closes the connection.
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(message)?.[1];
      const data = /^data: (.*)$/m.exec(message)?.[1];
      if (event === 'end') throw new Error('the job ended before any progress event');
      if (event !== 'job' || !data) continue;
      const { progress } = JSON.parse(data) as { progress: { done: number; step: string | null } };
      if (progress.step !== null || progress.done > 0) return performance.now() - since;
    }
  }
  throw new Error('the event stream closed before any progress event');
}

/**
 * Queues `count` BENCH_NOOP jobs (rows as the API writes them, then one pg-boss insert and its
 * signal) and times until the last has SUCCEEDED, by its own finish time: the polling that waits for
 * it reads this batch's rows by their shared creation time, a few times a second, so that it takes
 * little of the database the workers are measured on.
 */
async function measureQueue(pool: pg.Pool, boss: PgBoss, tenantId: string, count: number, workers: number) {
  const rows = (
    await pool.query<{ id: string; created_at: string }>(
      // The time as text: a JavaScript Date would drop its microseconds.
      `insert into jobs (tenant_id, type, input) select $1, 'BENCH_NOOP', '{}'::jsonb from generate_series(1, $2)
       returning id, created_at::text as created_at`,
      [tenantId, count],
    )
  ).rows;
  const startedAt = Date.now();
  await boss.insert(rows.map((r) => ({ name: 'BENCH_NOOP', data: { jobId: r.id, tenantId } })));
  // As the queue's send does: idle workers hear of the jobs at once rather than at their next poll.
  await pool.query('select pg_notify($1, $2)', [CHANNELS.sent, 'pgboss:BENCH_NOOP']);
  const deadline = Date.now() + QUEUE_TIMEOUT_MS;
  let completed = 0;
  let lastFinished = startedAt;
  while (completed < count && Date.now() < deadline) {
    await sleep(250);
    const { rows: polled } = await pool.query<{ n: number; last: Date | null }>(
      `select count(*)::int as n, max(finished_at) as last from jobs
        where tenant_id = $1 and created_at = $2::timestamptz and type = 'BENCH_NOOP' and status = 'SUCCEEDED'`,
      [tenantId, rows[0].created_at],
    );
    completed = polled[0].n;
    lastFinished = polled[0].last?.getTime() ?? lastFinished;
  }
  const seconds = ((completed === count ? lastFinished : Date.now()) - startedAt) / 1000;
  return { workers, jobs: count, completed, seconds, jobsPerSecond: completed / seconds };
}
