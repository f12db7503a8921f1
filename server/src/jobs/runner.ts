import { sql, type SQL } from 'drizzle-orm';
import { jobLogs, jobs } from '../db/schema/index.js';
import { inBackground, inTenantStatements, inTenantTransaction } from '../db/transactions.js';
import type { JobText } from '@optarget/shared';
import type { Services } from '../http/services.js';
import { PermanentJobError, type AnyJobDefinition, type JobRun } from './definitions.js';
import { heldBy, insertLog, readCancel, writeProgress } from './bookkeeping.js';
import { keepLeaseAlive, newLease, renewLease } from './lease.js';
import type { QueueMessage } from './queue.js';
import type { RunWrites } from './run-writes.js';
import { startJob } from './start.js';
import { logLine } from './texts.js';

/**
 * Runs one delivery of a queued job and keeps its `jobs` row (what users see) in step:
 * RUNNING while it works, SUCCEEDED with a result, CANCELLED when asked, FAILED with a readable
 * error once retries are used up. Rethrowing hands a transient failure back to pg-boss to retry.
 * The run holds the job by a lease (lease.ts) and writes to the row only while it holds it. Its
 * start and end go through the worker's `writes`, together with other runs' (run-writes.ts).
 */
export async function runQueuedJob(
  def: AnyJobDefinition,
  delivery: QueueMessage,
  services: Services,
  worker: { stopping(): boolean; writes: RunWrites },
) {
  const { jobId, tenantId } = delivery;
  // A delivery fetched as the worker began to stop goes back to the queue untouched.
  if (worker.stopping()) return services.queue.send(def.type, delivery);
  // Urgent work of this process (a request on the embedded database, a webhook delivery) goes before the handler's (see inBackground);
  // the engine's own bookkeeping is a statement or two and goes straight on, so jobs start together.
  const inTenant: JobRun['inTenant'] = (fn) => inBackground(services.db, () => inTenantTransaction(services.db, tenantId, fn));
  // Live event streams of the job read it again at once (they poll slowly otherwise).
  const announceChange = () => services.queue.signals.announceChanged(jobId).catch(() => undefined);
  /**
   * Runs bookkeeping statements and announces the change, in one round trip on PostgreSQL; the
   * first statement's rows. Their commit does not wait for the disk: a crash of PostgreSQL that loses
   * it leaves the job as it was a moment before, which its lease and idempotent handler recover from.
   */
  const record = async (...queries: SQL[]) => {
    const notice = services.queue.signals.changedNotice([jobId]);
    const [rows] = await inTenantStatements(services.db, tenantId, queries, { afterCommitOnPostgres: notice, waitForFlush: false });
    if (!notice) await announceChange();
    return rows;
  };
  const lease = newLease(services);
  const held = heldBy(jobId, lease);

  const started = await worker.writes.take(tenantId, { jobId, lease });
  // Finished, cancelled before it started, deleted, or held by a live worker: a redelivery must not run it.
  if (!started) return;
  if (started.cancelRequested) {
    await finish(services, tenantId, held, { status: 'CANCELLED' });
    await announceChange();
    return;
  }

  let lost = false;
  const cancelRequested = async () => {
    if (lost) return true;
    const [row] = (await inTenantStatements(services.db, tenantId, [readCancel(jobId, lease)]))[0] as {
      cancelRequested: boolean;
      held: boolean;
    }[];
    if (!row?.held) lost = true;
    return lost || Boolean(row?.cancelRequested);
  };
  const stopRenewing = keepLeaseAlive(
    () => inTenant((tx) => renewLease(tx, jobId, lease)),
    lease,
    () => {
      lost = true;
      services.log.warn({ jobId, type: def.type }, 'job lease lost to another worker; this run stops at its next check');
    },
  );

  const log: JobRun['log'] = async (level, message, data) => {
    const line = logLine(message);
    const withText = line.text ? { ...data, text: line.text } : (data ?? null);
    await record(insertLog(jobId, tenantId, level, line.message, withText));
  };
  // Progress is written in the order it was reported: handlers that work on several units at once
  // report concurrently, and two updates racing on separate connections could commit the older one last.
  let progressWritten: Promise<unknown> = Promise.resolve();
  const run: JobRun = {
    jobId,
    tenantId,
    createdByUserId: started.createdByUserId,
    attempt: started.attempts,
    services,
    inTenant,
    log,
    progress: async (done, total, step) => {
      const written = progressWritten.then(() => record(writeProgress(held, done, total, step)));
      progressWritten = written.catch(() => undefined);
      await written;
    },
    startFollowUp: async (type, input) => {
      // The queue hears of the new job once the transaction that creates it has committed.
      const sends: (() => Promise<void>)[] = [];
      const actor = { userId: started.createdByUserId, email: null, ip: null, userAgent: null };
      const row = await inTenant((tx) =>
        startJob(
          { tx, tenantId, services, actor, afterCommit: (send) => sends.push(send), origin: { startedByJobId: jobId } },
          type,
          input,
        ),
      );
      for (const send of sends) await send();
      return row.id;
    },
    isCancelled: async () => {
      // Between two units of work is where a stopping worker can let go of the job without losing any.
      if (worker.stopping()) throw new WorkerStopping();
      return cancelRequested();
    },
  };

  try {
    // The stored input is the validated one the job was started with: handed over as it is.
    const handler = await def.handler();
    const result = await handler.run(run, started.input);
    // A run that lost its lease leaves the job to the worker that took it over.
    if (lost) return;
    const ended = await worker.writes.finish(tenantId, { jobId, lease, result });
    if (ended === 'CANCELLED') await log('info', { code: 'log.cancelled' });
  } catch (err) {
    if (lost) return;
    if (err instanceof WorkerStopping) return await handBack(services, def, delivery, held);
    const message = err instanceof Error ? err.message : String(err);
    const permanent = err instanceof PermanentJobError || (err as { name?: string }).name === 'ZodError';
    const retriesLeft = started.attempts <= def.retry.limit;
    if (!permanent && retriesLeft) {
      await log('warn', { code: 'log.attemptFailed', params: { attempt: started.attempts } }, { error: message });
      // The queue owns the retry and its backoff from here; without a lease the job is not stalled.
      await inTenant((tx) =>
        tx.update(jobs).set({ status: 'PENDING', error: message, errorText: null, leaseToken: null, leaseExpiresAt: null }).where(held),
      );
      await announceChange();
      throw err;
    }
    services.log.warn({ jobId, type: def.type, err }, 'job failed');
    // An error the job did not word itself is worded around its own (technical) text, which stays as the proof.
    const text: JobText = (err instanceof PermanentJobError && err.text) || { code: 'error.unexpected', params: { error: message } };
    await log('error', text);
    await finish(services, tenantId, held, { status: 'FAILED', error: message, errorText: text });
    await announceChange();
  } finally {
    stopRenewing();
  }
}

/** Thrown by `isCancelled` once the worker is stopping, so the handler ends after its last committed unit of work. */
class WorkerStopping extends Error {}

/**
 * Gives an interrupted job back: PENDING without a lease (this attempt does not count against its
 * retries), a log line saying why, and a new delivery for the next worker, which resumes it.
 */
async function handBack(services: Services, def: AnyJobDefinition, message: QueueMessage, heldByThisRun: SQL | undefined) {
  const { jobId, tenantId } = message;
  const released = await inTenantTransaction(services.db, tenantId, async (tx) => {
    const rows = await tx
      .update(jobs)
      .set({ status: 'PENDING', attempts: sql`${jobs.attempts} - 1`, leaseToken: null, leaseExpiresAt: null })
      .where(heldByThisRun)
      .returning({ id: jobs.id });
    if (rows.length)
      await tx.insert(jobLogs).values({
        tenantId,
        jobId,
        level: 'info',
        message: 'The server running this job is restarting; the job will continue where it stopped.',
      });
    return rows.length > 0;
  });
  if (released) await services.queue.send(def.type, message);
  await services.queue.signals.announceChanged(jobId).catch(() => undefined);
  services.log.info({ jobId, type: def.type }, 'job handed back to the queue: the worker is stopping');
}

async function finish(
  services: Services,
  tenantId: string,
  heldByThisRun: SQL | undefined,
  outcome: { status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; result?: Record<string, unknown>; error?: string; errorText?: JobText | null },
) {
  await inTenantTransaction(services.db, tenantId, (tx) =>
    tx
      .update(jobs)
      .set({
        status: outcome.status,
        result: outcome.result ?? null,
        error: outcome.error ?? null,
        errorText: outcome.errorText ?? null,
        finishedAt: new Date(),
        leaseToken: null,
        leaseExpiresAt: null,
      })
      .where(heldByThisRun),
  );
}
