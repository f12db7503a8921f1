import { and, eq, inArray, sql } from 'drizzle-orm';
import { jobLogs, jobs } from '../db/schema/index.js';
import { inTenantTransaction } from '../db/transactions.js';
import type { Services } from '../http/services.js';
import { PermanentJobError, type JobDefinition, type JobRun } from './definitions.js';
import type { QueueMessage } from './queue.js';

/**
 * Runs one delivery of a queued job and keeps its `jobs` row (what users see) in step:
 * RUNNING while it works, SUCCEEDED with a result, CANCELLED when asked, FAILED with a readable
 * error once retries are used up. Rethrowing hands a transient failure back to pg-boss to retry.
 */
export async function runQueuedJob(def: JobDefinition, message: QueueMessage, services: Services) {
  const { jobId, tenantId } = message;
  const inTenant: JobRun['inTenant'] = (fn) => inTenantTransaction(services.db, tenantId, fn);

  const started = await inTenant(async (tx) => {
    const [row] = await tx
      .update(jobs)
      .set({ status: 'RUNNING', attempts: sql`${jobs.attempts} + 1`, startedAt: sql`coalesce(${jobs.startedAt}, now())`, error: null })
      .where(and(eq(jobs.id, jobId), eq(jobs.tenantId, tenantId), inArray(jobs.status, ['PENDING', 'RUNNING'])))
      .returning();
    return row;
  });
  // Finished, cancelled before it started, or deleted: nothing to do (a redelivery must not rerun it).
  if (!started) return;
  if (started.cancelRequestedAt) {
    await finish(services, tenantId, jobId, { status: 'CANCELLED' });
    return;
  }

  const log: JobRun['log'] = async (level, message, data) => {
    await inTenant((tx) => tx.insert(jobLogs).values({ tenantId, jobId, level, message, data: data ?? null }));
  };
  const run: JobRun = {
    jobId,
    tenantId,
    createdByUserId: started.createdByUserId,
    attempt: started.attempts,
    services,
    inTenant,
    log,
    progress: async (done, total, step) => {
      await inTenant((tx) =>
        tx
          .update(jobs)
          .set({
            progressDone: done,
            ...(total !== undefined ? { progressTotal: total } : {}),
            ...(step !== undefined ? { currentStep: step } : {}),
          })
          .where(eq(jobs.id, jobId)),
      );
    },
    isCancelled: async () => {
      const [row] = await inTenant((tx) => tx.select({ at: jobs.cancelRequestedAt }).from(jobs).where(eq(jobs.id, jobId)));
      return Boolean(row?.at);
    },
  };

  try {
    const input = def.input.parse(started.input);
    const result = await def.run(run, input);
    const cancelled = await run.isCancelled();
    await finish(services, tenantId, jobId, { status: cancelled ? 'CANCELLED' : 'SUCCEEDED', result });
    if (cancelled) await log('info', 'Cancelled; work done before cancelling is kept.');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const permanent = err instanceof PermanentJobError || (err as { name?: string }).name === 'ZodError';
    const retriesLeft = started.attempts <= def.retry.limit;
    if (!permanent && retriesLeft) {
      await log('warn', `Attempt ${started.attempts} failed; it will be retried.`, { error: message });
      await inTenant((tx) => tx.update(jobs).set({ status: 'PENDING', error: message }).where(eq(jobs.id, jobId)));
      throw err;
    }
    services.log.warn({ jobId, type: def.type, err }, 'job failed');
    await log('error', message);
    await finish(services, tenantId, jobId, { status: 'FAILED', error: message });
  }
}

async function finish(
  services: Services,
  tenantId: string,
  jobId: string,
  outcome: { status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; result?: Record<string, unknown>; error?: string },
) {
  await inTenantTransaction(services.db, tenantId, (tx) =>
    tx
      .update(jobs)
      .set({ status: outcome.status, result: outcome.result ?? null, error: outcome.error ?? null, finishedAt: new Date() })
      .where(eq(jobs.id, jobId)),
  );
}
