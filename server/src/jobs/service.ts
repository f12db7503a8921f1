import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Job, JobInput, JobType } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { jobLogs, jobs, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit } from '../audit/record.js';
import type { TenantContext } from '../http/routes.js';
import { findJobDefinition } from './registry.js';
import { startJob, type JobRow } from './start.js';

/** A job as the API answers it to the person who just started it. */
export const startedJobDto = (ctx: Pick<TenantContext, 'session'>, row: JobRow): Job =>
  toJobDto(row, { id: ctx.session.user.id, name: ctx.session.user.name });

export async function findJobForTenant(tx: Tx, tenantId: string, jobId: string): Promise<Job> {
  const [row] = await tx
    .select({ job: jobs, creatorName: users.name })
    .from(jobs)
    .leftJoin(users, eq(users.id, jobs.createdByUserId))
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, jobId)));
  if (!row) throw new AppError('NOT_FOUND', 'No such job.');
  return toJobDto(row.job, row.job.createdByUserId ? { id: row.job.createdByUserId, name: row.creatorName ?? '' } : null);
}

/** Asks a job to stop: a pending one is cancelled at once, a running one at its next check. */
export async function requestCancel(ctx: TenantContext, jobId: string): Promise<Job> {
  const job = await findJobForTenant(ctx.tx, ctx.tenantId, jobId);
  if (job.status !== 'PENDING' && job.status !== 'RUNNING')
    throw new AppError('CONFLICT', `The job has already ended (${job.status}).`, { reason: 'jobEnded', jobStatus: job.status });
  await ctx.tx
    .update(jobs)
    .set({
      cancelRequestedAt: sql`coalesce(${jobs.cancelRequestedAt}, now())`,
      ...(job.status === 'PENDING' ? { status: 'CANCELLED' as const, finishedAt: new Date() } : {}),
    })
    .where(and(eq(jobs.tenantId, ctx.tenantId), eq(jobs.id, jobId), isNull(jobs.finishedAt)));
  ctx.afterCommit(() => ctx.services.queue.signals.announceChanged(jobId));
  await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
    action: 'job.cancelled',
    targetType: 'job',
    targetId: jobId,
    metadata: { type: job.type },
  });
  return findJobForTenant(ctx.tx, ctx.tenantId, jobId);
}

/**
 * Starts a new job of an ended job's type with its stored input: the input as the handler received
 * it, so it is not validated again as wire input. The prepare step runs as for any start.
 */
export async function rerunJob(ctx: TenantContext, jobId: string): Promise<Job> {
  const [row] = await ctx.tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenantId, ctx.tenantId), eq(jobs.id, jobId)));
  if (!row) throw new AppError('NOT_FOUND', 'No such job.');
  if (!row.finishedAt)
    throw new AppError('CONFLICT', `The job has not ended yet (${row.status}).`, { reason: 'jobNotEnded', jobStatus: row.status });
  if (!findJobDefinition(row.type))
    throw new AppError('CONFLICT', `Jobs of type ${row.type} can no longer be started.`, { reason: 'jobTypeRetired', jobType: row.type });
  const type = row.type as JobType;
  return startedJobDto(ctx, await startJob({ ...ctx, origin: { rerunOf: row.id } }, type, row.input as JobInput<typeof type>));
}

export function toJobDto(row: JobRow, createdBy: { id: string; name: string } | null): Job {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    input: row.input,
    progress: { done: row.progressDone, total: row.progressTotal, step: row.currentStep },
    result: row.result ?? null,
    error: row.error,
    errorText: row.errorText ?? null,
    attempts: row.attempts,
    createdBy,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export const toJobLogDto = (l: typeof jobLogs.$inferSelect) => ({
  id: l.id,
  level: l.level,
  message: l.message,
  data: l.data ?? null,
  createdAt: l.createdAt.toISOString(),
});
