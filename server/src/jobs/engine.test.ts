import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { jobs } from '../db/schema/index.js';
import { signUp, startTestApp, type TestApp } from '../test/harness.js';
import { PermanentJobError, type JobDefinition } from './definitions.js';
import { keepLeaseAlive, requeueStalledJobs } from './lease.js';
import { registerJobs } from './registry.js';

// A job type that exists only in this test file: it exercises the engine, not a feature.
const TEST_JOB = 'ENGINE_TEST';
const TestInput = z.object({ mode: z.enum(['ok', 'flaky', 'failing', 'broken', 'wait', 'burst']), steps: z.number().int().default(3) });
const seen = new Map<string, number>();
const gates = new Map<string, () => void>();

const engineTestJob: JobDefinition<typeof TEST_JOB, unknown> = {
  type: TEST_JOB,
  retry: { limit: 2, delaySeconds: 0, backoff: false },
  timeoutSeconds: 60,
  handler: async () => ({
    async run(job, stored) {
      // Rows are inserted straight into the table here, so the handler reads its input itself.
      const input = TestInput.parse(stored);
      const attempts = (seen.get(job.jobId) ?? 0) + 1;
      seen.set(job.jobId, attempts);
      if (input.mode === 'broken') throw new PermanentJobError('The input names a list that does not exist.');
      if (input.mode === 'flaky' && attempts === 1) throw new Error('connection reset by peer');
      if (input.mode === 'failing') throw new Error('socket hang up');
      if (input.mode === 'burst') {
        // Units of work finishing together, as enrichment's do, each reporting without waiting for the others.
        await Promise.all(Array.from({ length: input.steps }, (_, i) => job.progress(i + 1, input.steps, `step ${i + 1}`)));
        return { steps: input.steps, attempt: job.attempt };
      }
      for (let i = 1; i <= input.steps; i++) {
        if (input.mode === 'wait' && i === 2) await new Promise<void>((resolve) => gates.set(job.jobId, resolve));
        if (await job.isCancelled()) return { stoppedAt: i };
        await job.progress(i, input.steps, `step ${i}`);
        await job.log('info', `did step ${i}`);
      }
      return { steps: input.steps, attempt: job.attempt };
    },
  }),
};

// A second test type that runs several jobs at once in one worker, to watch how many run together.
const BATCH_JOB = 'ENGINE_BATCH_TEST';
const BATCH_CONCURRENCY = 4;
const batch = { active: 0, peak: 0, runs: new Map<string, number>() };
const batchTestJob: JobDefinition<typeof BATCH_JOB, unknown> = {
  type: BATCH_JOB,
  concurrency: BATCH_CONCURRENCY,
  retry: { limit: 1, delaySeconds: 0, backoff: false },
  timeoutSeconds: 60,
  handler: async () => ({
    async run(job, stored) {
      const runs = (batch.runs.get(job.jobId) ?? 0) + 1;
      batch.runs.set(job.jobId, runs);
      batch.active++;
      batch.peak = Math.max(batch.peak, batch.active);
      await new Promise((r) => setTimeout(r, 50));
      batch.active--;
      if ((stored as { flaky?: boolean }).flaky && runs === 1) throw new Error('connection reset by peer');
      await job.progress(1, 1, 'done');
      return { runs };
    },
  }),
};
registerJobs([engineTestJob, batchTestJob]);

const t = await startTestApp();

async function enqueue(t: TestApp, tenantId: string, input: Record<string, unknown>) {
  const [row] = await t.database.db.insert(jobs).values({ tenantId, type: TEST_JOB, input, queue: t.config.JOB_QUEUE_SCHEMA }).returning();
  await t.services.queue.send(TEST_JOB, { jobId: row.id, tenantId });
  return row.id;
}

/**
 * A job as a worker that died mid-run leaves it: RUNNING, held by a lease nobody renews, its queue
 * message stuck with the dead process. `leaseSeconds` < 0 means the lease has already lapsed.
 */
async function leftByDeadWorker(t: TestApp, tenantId: string, opts: { attempts: number; leaseSeconds: number; cancelRequested?: boolean }) {
  const [row] = await t.database.db
    .insert(jobs)
    .values({
      tenantId,
      type: TEST_JOB,
      input: { mode: 'ok', steps: 2 },
      queue: t.config.JOB_QUEUE_SCHEMA,
      status: 'RUNNING',
      attempts: opts.attempts,
      startedAt: new Date(),
      leaseToken: randomUUID(),
      leaseExpiresAt: sql`now() + make_interval(secs => ${opts.leaseSeconds})`,
      cancelRequestedAt: opts.cancelRequested ? new Date() : null,
    })
    .returning();
  return row.id;
}

const jobRow = async (jobId: string) => (await t.database.db.select().from(jobs).where(eq(jobs.id, jobId)))[0];

async function waitFor(client: Awaited<ReturnType<typeof signUp>>['client'], url: string, done: (job: any) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await client.get(url);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Lets a 'wait' job go on past step 1, once it is waiting there: it reports step 1 a moment before. */
async function openGate(jobId: string) {
  const deadline = Date.now() + 10_000;
  while (!gates.has(jobId)) {
    if (Date.now() > deadline) throw new Error('the job never reached its gate');
    await new Promise((r) => setTimeout(r, 20));
  }
  gates.get(jobId)!();
}

const ended = (job: any) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status);

describe('the job engine', () => {
  it('runs a job to completion with progress, log lines and a result users can read', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await enqueue(t, tenantId, { mode: 'ok', steps: 3 });
    const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      progress: { done: 3, total: 3, step: 'step 3' },
      result: { steps: 3, attempt: 1 },
      attempts: 1,
    });
    expect(job.startedAt).not.toBeNull();
    expect(job.finishedAt).not.toBeNull();
    const logs = await client.get(`/api/v1/tenants/${tenantId}/jobs/${jobId}/logs`);
    expect(logs.body.items.map((l: any) => l.message)).toEqual(['did step 1', 'did step 2', 'did step 3']);
    const list = await client.get(`/api/v1/tenants/${tenantId}/jobs`);
    expect(list.body.items.map((j: any) => j.id)).toContain(jobId);
  });

  it('keeps the last progress reported when units of work report at the same time', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await enqueue(t, tenantId, { mode: 'burst', steps: 20 });
    const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    expect(job).toMatchObject({ status: 'SUCCEEDED', progress: { done: 20, total: 20, step: 'step 20' } });
  });

  it('retries a transient failure and says so in the log', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await enqueue(t, tenantId, { mode: 'flaky', steps: 1 });
    const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    expect(job).toMatchObject({ status: 'SUCCEEDED', attempts: 2, error: null, result: { attempt: 2 } });
    const logs = await client.get(`/api/v1/tenants/${tenantId}/jobs/${jobId}/logs`);
    expect(logs.body.items[0]).toMatchObject({ level: 'warn', message: 'Attempt 1 failed; it will be retried.' });
  });

  it('fails at once on a permanent error, with the reason', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await enqueue(t, tenantId, { mode: 'broken' });
    const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    expect(job).toMatchObject({ status: 'FAILED', attempts: 1, error: 'The input names a list that does not exist.' });
    expect(seen.get(jobId)).toBe(1);
  });

  it('fails after its last attempt on an error it did not word, worded around that error for the user', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await enqueue(t, tenantId, { mode: 'failing' });
    const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    // The error's own text stays as it was (the API's `error`); the sentence around it is a code the web words.
    expect(job).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      error: 'socket hang up',
      errorText: { code: 'error.unexpected', params: { error: 'socket hang up' } },
    });
    const logs = await client.get(`/api/v1/tenants/${tenantId}/jobs/${jobId}/logs`);
    expect(logs.body.items.at(-1)).toMatchObject({
      level: 'error',
      message: 'The job stopped on an unexpected error: socket hang up',
      data: { text: { code: 'error.unexpected', params: { error: 'socket hang up' } } },
    });
  });

  it('stops a running job between units of work when cancelled, keeping what was done', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await enqueue(t, tenantId, { mode: 'wait', steps: 5 });
    await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, (j) => j.progress.done === 1);
    const cancel = await client.post(`/api/v1/tenants/${tenantId}/jobs/${jobId}/cancel`);
    expect(cancel.status).toBe(200);
    await openGate(jobId);
    const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    expect(job).toMatchObject({ status: 'CANCELLED', progress: { done: 1 }, result: { stoppedAt: 2 } });
    const again = await client.post(`/api/v1/tenants/${tenantId}/jobs/${jobId}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: 'jobEnded', jobStatus: 'CANCELLED' });
  });

  it("shows another tenant's job as missing on every job endpoint", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const jobId = await enqueue(t, a.tenantId, { mode: 'ok', steps: 1 });
    await waitFor(a.client, `/api/v1/tenants/${a.tenantId}/jobs/${jobId}`, ended);
    expect((await b.client.get(`/api/v1/tenants/${a.tenantId}/jobs/${jobId}`)).status).toBe(404);
    expect((await b.client.get(`/api/v1/tenants/${b.tenantId}/jobs/${jobId}`)).status).toBe(404);
    expect((await b.client.post(`/api/v1/tenants/${b.tenantId}/jobs/${jobId}/cancel`)).status).toBe(404);
    expect((await b.client.get(`/api/v1/tenants/${b.tenantId}/jobs/${jobId}/logs`)).status).toBe(404);
  });

  it("counts the jobs matching the filter with the first page, never another tenant's", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const finished = (tenantId: string, status: 'SUCCEEDED' | 'FAILED', n: number) =>
      t.database.db
        .insert(jobs)
        .values(
          Array.from({ length: n }, () => ({ tenantId, type: TEST_JOB, input: { mode: 'ok' }, queue: t.config.JOB_QUEUE_SCHEMA, status })),
        );
    await finished(a.tenantId, 'SUCCEEDED', 3);
    await finished(a.tenantId, 'FAILED', 2);
    await finished(b.tenantId, 'SUCCEEDED', 4);
    const list = (who: typeof a, query: string) => who.client.get(`/api/v1/tenants/${who.tenantId}/jobs?type=${TEST_JOB}&${query}`);

    const first = await list(a, 'status=SUCCEEDED&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toEqual({ count: 3, exact: true });
    // A later page adds rows the first page's total already counted.
    const next = await list(a, `status=SUCCEEDED&limit=2&cursor=${first.body.nextCursor}`);
    expect(next.body).toMatchObject({ nextCursor: null, total: null });
    expect(next.body.items).toHaveLength(1);
    expect((await list(a, 'status=FAILED')).body.total).toEqual({ count: 2, exact: true });
    expect((await list(a, '')).body.total).toEqual({ count: 5, exact: true });
    expect((await list(b, '')).body.total).toEqual({ count: 4, exact: true });
  });

  it('streams progress, log lines and the end of a job as server-sent events', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await enqueue(t, tenantId, { mode: 'wait', steps: 3 });
    await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, (j) => j.progress.done === 1);
    // The stream ends when the job does, so the whole event log arrives as one answer here.
    const streamed = client.get(`/api/v1/tenants/${tenantId}/jobs/${jobId}/events`);
    await new Promise((r) => setTimeout(r, 300));
    await openGate(jobId);
    const res = await streamed;
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = res.text
      .trim()
      .split('\n\n')
      .map((block) => ({ event: block.match(/^event: (\w+)/)![1], data: JSON.parse(block.match(/\ndata: (.*)$/)![1]) }));
    const progress = events.filter((e) => e.event === 'job').map((e) => e.data.progress.done);
    expect(progress[0]).toBe(1);
    expect(progress.at(-1)).toBe(3);
    expect(events.filter((e) => e.event === 'log').map((e) => e.data.message)).toEqual(['did step 1', 'did step 2', 'did step 3']);
    expect(events.at(-1)).toEqual({ event: 'end', data: { status: 'SUCCEEDED' } });
  });

  it("answers 404 for the event stream of another tenant's job", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const jobId = await enqueue(t, a.tenantId, { mode: 'ok', steps: 1 });
    expect((await b.client.get(`/api/v1/tenants/${b.tenantId}/jobs/${jobId}/events`)).status).toBe(404);
    expect((await b.client.get(`/api/v1/tenants/${a.tenantId}/jobs/${jobId}/events`)).status).toBe(404);
  });

  it('refuses unknown job types with 400 naming the field', async () => {
    const { client, tenantId } = await signUp(t);
    const res = await client.post(`/api/v1/tenants/${tenantId}/jobs`, { type: 'MINE_BITCOIN', input: {} });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: any) => f.field)).toContain('type');
    const [{ n }] = (await t.database.executeSql('select count(*)::int as n from jobs where tenant_id = $1', [tenantId])).rows as any;
    expect(n).toBe(0);
  });

  it('never reruns a finished job when the queue delivers it again', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await enqueue(t, tenantId, { mode: 'ok', steps: 1 });
    await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    await t.services.queue.send(TEST_JOB, { jobId, tenantId });
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.get(jobId)).toBe(1);
    const [row] = await t.database.db.select().from(jobs).where(eq(jobs.id, jobId));
    expect(row.attempts).toBe(1);
  });

  it('takes up a job whose worker died once its lease lapses, and tells the user why it ran again', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await leftByDeadWorker(t, tenantId, { attempts: 1, leaseSeconds: -1 });
    expect(await requeueStalledJobs(t.services)).toBeGreaterThanOrEqual(1);
    const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    expect(job).toMatchObject({ status: 'SUCCEEDED', attempts: 2, result: { steps: 2, attempt: 2 } });
    const logs = await client.get(`/api/v1/tenants/${tenantId}/jobs/${jobId}/logs`);
    expect(logs.body.items[0]).toMatchObject({
      level: 'warn',
      message: 'The worker running this job stopped responding; the job will run again and continue where it can.',
    });
    expect(await jobRow(jobId)).toMatchObject({ leaseToken: null, leaseExpiresAt: null });
  });

  it('leaves alone a job a live worker holds, whether the queue delivers it again or the sweep looks at it', async () => {
    const { tenantId } = await signUp(t);
    const jobId = await leftByDeadWorker(t, tenantId, { attempts: 1, leaseSeconds: 60 });
    const before = await jobRow(jobId);
    await t.services.queue.send(TEST_JOB, { jobId, tenantId });
    await requeueStalledJobs(t.services);
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.get(jobId)).toBeUndefined();
    expect(await jobRow(jobId)).toMatchObject({ status: 'RUNNING', attempts: 1, leaseToken: before.leaseToken });
  });

  it('fails a job that has stopped its worker as many times as its type allows attempts, instead of looping', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await leftByDeadWorker(t, tenantId, { attempts: 3, leaseSeconds: -1 });
    await requeueStalledJobs(t.services);
    const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(/stopped 3 times, so it will not be tried again/);
    expect(job.errorText).toEqual({ code: 'error.workerStopped', params: { attempts: 3 } });
    expect(seen.get(jobId)).toBeUndefined();
  });

  it('ends a stalled job as CANCELLED when someone asked to cancel it', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await leftByDeadWorker(t, tenantId, { attempts: 1, leaseSeconds: -1, cancelRequested: true });
    await requeueStalledJobs(t.services);
    const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    expect(job).toMatchObject({ status: 'CANCELLED', attempts: 1 });
    expect(seen.get(jobId)).toBeUndefined();
  });

  it('stops a run that lost its job to another worker, without overwriting what that worker records', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await enqueue(t, tenantId, { mode: 'wait', steps: 3 });
    await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, (j) => j.progress.done === 1);
    // Another worker takes the job over (as after a stall it misjudged): a new token and lease.
    const takenBy = randomUUID();
    await t.database.db
      .update(jobs)
      .set({ leaseToken: takenBy, leaseExpiresAt: sql`now() + interval '1 hour'` })
      .where(eq(jobs.id, jobId));
    await openGate(jobId);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await jobRow(jobId)).toMatchObject({ status: 'RUNNING', leaseToken: takenBy, progressDone: 1, result: null, finishedAt: null });
  });

  it('renews a lease every third of its length and reports once when it is lost', async () => {
    let renewals = 0;
    let lost = 0;
    const stop = keepLeaseAlive(
      async () => {
        renewals++;
        if (renewals === 2) throw new Error('database briefly away');
        return renewals < 4;
      },
      { token: randomUUID(), seconds: 0.3 },
      () => lost++,
    );
    const deadline = Date.now() + 5000;
    while (lost === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(renewals).toBe(4);
    expect(lost).toBe(1);
  });

  it('at start-up of the embedded database takes up every RUNNING job at once: no other process can hold it', async () => {
    const { client, tenantId } = await signUp(t);
    const jobId = await leftByDeadWorker(t, tenantId, { attempts: 1, leaseSeconds: 60 });
    await requeueStalledJobs(t.services, { everyRunning: true });
    const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    expect(job).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
  });

  it("runs up to its type's concurrency of jobs at once, each once, retrying only the one that failed", async () => {
    const { client, tenantId } = await signUp(t);
    const rows = await t.database.db
      .insert(jobs)
      .values(
        Array.from({ length: 20 }, (_, i) => ({ tenantId, type: BATCH_JOB, input: { flaky: i === 7 }, queue: t.config.JOB_QUEUE_SCHEMA })),
      )
      .returning();
    // All queued in one go, as a burst of webhooks or a campaign's sends would be.
    await t.services.queue.boss.insert(rows.map((r) => ({ name: BATCH_JOB, data: { jobId: r.id, tenantId } })));
    await t.services.queue.signals.announceSent(BATCH_JOB);
    for (const row of rows) {
      const job = await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${row.id}`, ended);
      expect(job).toMatchObject({ status: 'SUCCEEDED', progress: { done: 1, total: 1, step: 'done' } });
    }
    expect(rows.map((r) => batch.runs.get(r.id))).toEqual(rows.map((_, i) => (i === 7 ? 2 : 1)));
    // The first fetch takes four of the twenty at once; no more ever run together.
    expect(batch.peak).toBe(BATCH_CONCURRENCY);
  });

  it('announces every job sent, so idle workers fetch it at once instead of at their next poll', async () => {
    const heard: string[] = [];
    await t.services.queue.signals.onSent((type) => heard.push(type));
    const { client, tenantId } = await signUp(t);
    const jobId = await enqueue(t, tenantId, { mode: 'ok', steps: 1 });
    await waitFor(client, `/api/v1/tenants/${tenantId}/jobs/${jobId}`, ended);
    expect(heard).toContain(TEST_JOB);
  });
});
