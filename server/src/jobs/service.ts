import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Job, JobType } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { jobLogs, jobs, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit } from '../audit/record.js';
import type { TenantContext } from '../http/routes.js';
import { findJobDefinition } from './registry.js';

export type JobRow = typeof jobs.$inferSelect;

/**
 * Records a job for the tenant (PENDING, visible at once on the Jobs page) and queues it once the
 * transaction commits. Input is validated by the job type's own schema: 400 naming `input.<field>`.
 */
export async function createJob(ctx: TenantContext, type: JobType, input: unknown): Promise<Job> {
  const def = findJobDefinition(type);
  if (!def)
    throw new AppError('VALIDATION_FAILED', `Jobs of type ${type} are not available yet.`, {
      fields: [{ field: 'type', message: 'unknown job type' }],
    });
  const parsed = def.input.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: ['input', ...i.path].join('.'), message: i.message }));
    throw new AppError('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
  }
  await def.prepare?.(ctx, parsed.data);
  const [row] = await ctx.tx
    .insert(jobs)
    .values({
      tenantId: ctx.tenantId,
      type,
      input: parsed.data as Record<string, unknown>,
      createdByUserId: ctx.actor.userId,
      queue: ctx.services.config.JOB_QUEUE_SCHEMA,
    })
    .returning();
  await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, { action: 'job.created', targetType: 'job', targetId: row.id, metadata: { type } });
  ctx.afterCommit(() => ctx.services.queue.send(type, { jobId: row.id, tenantId: ctx.tenantId }));
  return toJobDto(row, { id: ctx.session.user.id, name: ctx.session.user.name });
}

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
  if (job.status !== 'PENDING' && job.status !== 'RUNNING') throw new AppError('CONFLICT', `The job has already ended (${job.status}).`);
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

export function toJobDto(row: JobRow, createdBy: { id: string; name: string } | null): Job {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    input: row.input,
    progress: { done: row.progressDone, total: row.progressTotal, step: row.currentStep },
    result: row.result ?? null,
    error: row.error,
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
