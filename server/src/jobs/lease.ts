import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { jobLogs, jobs } from '../db/schema/index.js';
import { inSystemTransaction, type Tx } from '../db/transactions.js';
import type { Services } from '../http/services.js';
import type { JobText } from '@optarget/shared';
import { findJobDefinition, registeredJobs } from './registry.js';
import { renderJobText } from './texts.js';

/**
 * A running job is held by a lease: a token naming the run and a time it holds until. The worker
 * renews it every third of JOB_LEASE_SECONDS while the handler works. A worker that dies (SIGKILL,
 * a crashed machine) stops renewing; once the lease lapses, `requeueStalledJobs` puts the job back
 * on the queue and the next delivery takes it over. A delivery never takes a job whose lease is
 * live, so a job never runs twice at once, however the queue redelivers.
 */
export type Lease = { token: string; seconds: number };

export const newLease = (services: Services): Lease => ({ token: randomUUID(), seconds: services.config.JOB_LEASE_SECONDS });

export const leaseUntil = (lease: Pick<Lease, 'seconds'>) => sql`now() + make_interval(secs => ${lease.seconds})`;

/** Who may take a job: a pending one, or a running one whose worker stopped renewing its lease. */
export const takeable = () =>
  or(eq(jobs.status, 'PENDING'), and(eq(jobs.status, 'RUNNING'), sql`coalesce(${jobs.leaseExpiresAt}, '-infinity') < now()`));

/** Extends the lease; false when the run lost it (the job was handed to another worker). */
export async function renewLease(tx: Tx, jobId: string, lease: Lease): Promise<boolean> {
  const renewed = await tx
    .update(jobs)
    .set({ leaseExpiresAt: leaseUntil(lease) })
    .where(and(eq(jobs.id, jobId), eq(jobs.leaseToken, lease.token), eq(jobs.status, 'RUNNING')))
    .returning({ id: jobs.id });
  return renewed.length > 0;
}

/** Keeps renewing a lease until stopped; `onLost` is told once if another worker has taken the job. */
export function keepLeaseAlive(renew: () => Promise<boolean>, lease: Lease, onLost: () => void) {
  let renewing: Promise<void> | null = null;
  const timer = setInterval(
    () => {
      if (renewing) return;
      renewing = renew()
        .then((held) => {
          if (!held) {
            clearInterval(timer);
            onLost();
          }
        })
        // A failed renewal (database briefly away) is retried at the next tick; the lease has slack for two.
        .catch(() => undefined)
        .finally(() => {
          renewing = null;
        });
    },
    (lease.seconds * 1000) / 3,
  );
  timer.unref();
  return () => clearInterval(timer);
}

const STALLED_BATCH = 100;

/**
 * Hands back jobs whose worker stopped renewing their lease: each is queued again (its handler
 * resumes idempotently), cancelled if someone asked for that, or failed once it has used every
 * attempt its type allows, so a job that kills its worker cannot loop forever. `everyRunning`
 * treats all RUNNING jobs as stalled: the embedded database serves one process, so at start-up
 * nothing else can be running them. Returns how many jobs were handled.
 */
export async function requeueStalledJobs(services: Services, opts: { everyRunning?: boolean } = {}): Promise<number> {
  const lease = newLease(services);
  const requeue: { jobId: string; tenantId: string; type: string }[] = [];
  const changed: string[] = [];
  const handled = await inSystemTransaction(services.db, async (tx) => {
    const lapsed = and(isNotNull(jobs.leaseExpiresAt), lt(jobs.leaseExpiresAt, sql`now()`));
    const stalled = await tx
      .select({
        id: jobs.id,
        tenantId: jobs.tenantId,
        type: jobs.type,
        status: jobs.status,
        attempts: jobs.attempts,
        cancelRequestedAt: jobs.cancelRequestedAt,
      })
      .from(jobs)
      .where(
        and(
          // Only jobs of this worker's queue and types: it sends them back to its own queue.
          eq(jobs.queue, services.config.JOB_QUEUE_SCHEMA),
          inArray(
            jobs.type,
            registeredJobs().map((d) => d.type),
          ),
          inArray(jobs.status, ['PENDING', 'RUNNING']),
          opts.everyRunning ? or(eq(jobs.status, 'RUNNING'), lapsed) : lapsed,
        ),
      )
      .limit(STALLED_BATCH)
      .for('update', { skipLocked: true });
    for (const job of stalled) {
      changed.push(job.id);
      const maxAttempts = findJobDefinition(job.type)!.retry.limit + 1;
      if (job.cancelRequestedAt) {
        await endStalledJob(tx, job, 'CANCELLED', { code: 'log.cancelledWorkerStopped' });
      } else if (job.status === 'RUNNING' && job.attempts >= maxAttempts) {
        await endStalledJob(tx, job, 'FAILED', { code: 'error.workerStopped', params: { attempts: job.attempts } });
      } else {
        // PENDING here means an earlier requeue was not picked up within a lease: send it again.
        await tx
          .update(jobs)
          .set({ status: 'PENDING', leaseToken: null, leaseExpiresAt: leaseUntil(lease) })
          .where(eq(jobs.id, job.id));
        if (job.status === 'RUNNING')
          await tx
            .insert(jobLogs)
            .values({ tenantId: job.tenantId, jobId: job.id, level: 'warn', ...logRow({ code: 'log.workerStopped' }) });
        requeue.push({ jobId: job.id, tenantId: job.tenantId, type: job.type });
      }
    }
    return stalled.length;
  });
  for (const job of requeue) await services.queue.send(job.type, { jobId: job.jobId, tenantId: job.tenantId });
  for (const jobId of changed) await services.queue.signals.announceChanged(jobId);
  if (handled) services.log.warn({ handled, requeued: requeue.length }, 'stalled jobs handled');
  return handled;
}

async function endStalledJob(tx: Tx, job: { id: string; tenantId: string }, status: 'CANCELLED' | 'FAILED', why: JobText) {
  const failed = status === 'FAILED';
  const line = logRow(why);
  await tx
    .update(jobs)
    .set({
      status,
      error: failed ? line.message : null,
      errorText: failed ? why : null,
      leaseToken: null,
      leaseExpiresAt: null,
      finishedAt: new Date(),
    })
    .where(eq(jobs.id, job.id));
  await tx.insert(jobLogs).values({ tenantId: job.tenantId, jobId: job.id, level: failed ? 'error' : 'info', ...line });
}

/** A log row of a job text: its English for the API and operators, the text itself for the user's language. */
function logRow(text: JobText) {
  return { message: renderJobText(text), data: { text } };
}
