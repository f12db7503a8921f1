import { and, eq, sql, type SQL } from 'drizzle-orm';
import { jobLogs, jobs } from '../db/schema/index.js';
import { inTenantTransaction } from '../db/transactions.js';
import type { Services } from '../http/services.js';
import { PermanentJobError, type JobDefinition, type JobRun } from './definitions.js';
import { keepLeaseAlive, leaseUntil, newLease, renewLease, takeable } from './lease.js';
import type { QueueMessage } from './queue.js';

/**
 * Runs one delivery of a queued job and keeps its `jobs` row (what users see) in step:
 * RUNNING while it works, SUCCEEDED with a result, CANCELLED when asked, FAILED with a readable
 * error once retries are used up. Rethrowing hands a transient failure back to pg-boss to retry.
 * The run holds the job by a lease (lease.ts) and writes to the row only while it holds it.
 */
export async function runQueuedJob(def: JobDefinition, message: QueueMessage, services: Services) {
  const { jobId, tenantId } = message;
  const inTenant: JobRun['inTenant'] = (fn) => inTenantTransaction(services.db, tenantId, fn);
  // Live event streams of the job read it again at once (they poll slowly otherwise).
  const announceChange = () => services.queue.signals.announceChanged(jobId).catch(() => undefined);
  const lease = newLease(services);
  const heldByThisRun = and(eq(jobs.id, jobId), eq(jobs.leaseToken, lease.token));

  const started = await inTenant(async (tx) => {
    const [row] = await tx
      .update(jobs)
      .set({
        status: 'RUNNING',
        attempts: sql`${jobs.attempts} + 1`,
        startedAt: sql`coalesce(${jobs.startedAt}, now())`,
        error: null,
        leaseToken: lease.token,
        leaseExpiresAt: leaseUntil(lease),
      })
      .where(and(eq(jobs.id, jobId), eq(jobs.tenantId, tenantId), takeable()))
      .returning();
    return row;
  });
  // Finished, cancelled before it started, deleted, or held by a live worker: a redelivery must not run it.
  if (!started) return;
  if (started.cancelRequestedAt) {
    await finish(services, tenantId, heldByThisRun, { status: 'CANCELLED' });
    await announceChange();
    return;
  }
  await announceChange();

  let lost = false;
  const stopRenewing = keepLeaseAlive(
    () => inTenant((tx) => renewLease(tx, jobId, lease)),
    lease,
    () => {
      lost = true;
      services.log.warn({ jobId, type: def.type }, 'job lease lost to another worker; this run stops at its next check');
    },
  );

  const log: JobRun['log'] = async (level, message, data) => {
    await inTenant((tx) => tx.insert(jobLogs).values({ tenantId, jobId, level, message, data: data ?? null }));
    await announceChange();
  };
  // Progress is written in the order it was reported: handlers that work on several units at once
  // report concurrently, and two updates racing on separate connections could commit the older one last.
  let progressWritten: Promise<unknown> = Promise.resolve();
  const writeProgress = (done: number, total?: number | null, step?: string | null) =>
    inTenant((tx) =>
      tx
        .update(jobs)
        .set({
          progressDone: done,
          ...(total !== undefined ? { progressTotal: total } : {}),
          ...(step !== undefined ? { currentStep: step } : {}),
        })
        .where(heldByThisRun),
    );
  const run: JobRun = {
    jobId,
    tenantId,
    createdByUserId: started.createdByUserId,
    attempt: started.attempts,
    services,
    inTenant,
    log,
    progress: async (done, total, step) => {
      const written = progressWritten.then(() => writeProgress(done, total, step));
      progressWritten = written.catch(() => undefined);
      await written;
      await announceChange();
    },
    isCancelled: async () => {
      if (lost) return true;
      const [row] = await inTenant((tx) =>
        tx.select({ at: jobs.cancelRequestedAt, token: jobs.leaseToken }).from(jobs).where(eq(jobs.id, jobId)),
      );
      if (row?.token !== lease.token) lost = true;
      return lost || Boolean(row?.at);
    },
  };

  try {
    const input = def.input.parse(started.input);
    const result = await def.run(run, input);
    const cancelled = await run.isCancelled();
    // A run that lost its lease leaves the job to the worker that took it over.
    if (lost) return;
    await finish(services, tenantId, heldByThisRun, { status: cancelled ? 'CANCELLED' : 'SUCCEEDED', result });
    if (cancelled) await log('info', 'Cancelled; work done before cancelling is kept.');
  } catch (err) {
    if (lost) return;
    const message = err instanceof Error ? err.message : String(err);
    const permanent = err instanceof PermanentJobError || (err as { name?: string }).name === 'ZodError';
    const retriesLeft = started.attempts <= def.retry.limit;
    if (!permanent && retriesLeft) {
      await log('warn', `Attempt ${started.attempts} failed; it will be retried.`, { error: message });
      // The queue owns the retry and its backoff from here; without a lease the job is not stalled.
      await inTenant((tx) =>
        tx.update(jobs).set({ status: 'PENDING', error: message, leaseToken: null, leaseExpiresAt: null }).where(heldByThisRun),
      );
      throw err;
    }
    services.log.warn({ jobId, type: def.type, err }, 'job failed');
    await log('error', message);
    await finish(services, tenantId, heldByThisRun, { status: 'FAILED', error: message });
  } finally {
    stopRenewing();
    await announceChange();
  }
}

async function finish(
  services: Services,
  tenantId: string,
  heldByThisRun: SQL | undefined,
  outcome: { status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; result?: Record<string, unknown>; error?: string },
) {
  await inTenantTransaction(services.db, tenantId, (tx) =>
    tx
      .update(jobs)
      .set({
        status: outcome.status,
        result: outcome.result ?? null,
        error: outcome.error ?? null,
        finishedAt: new Date(),
        leaseToken: null,
        leaseExpiresAt: null,
      })
      .where(heldByThisRun),
  );
}
