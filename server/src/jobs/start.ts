import type { JobInput, JobType } from '@optarget/shared';
import { jobs } from '../db/schema/index.js';
import { recordAudit, type AuditActor } from '../audit/record.js';
import type { TenantContext } from '../http/routes.js';
import { findJobDefinition } from './registry.js';

export type JobRow = typeof jobs.$inferSelect;

/** Who starts a job, in the transaction that creates it: a route's TenantContext is one, a running job another. */
export type JobStarter = Pick<TenantContext, 'tx' | 'tenantId' | 'services' | 'afterCommit'> & {
  actor: AuditActor;
  /** Where the job comes from, for its audit entry (the job that started it, the job it reruns). */
  origin?: { startedByJobId: string } | { rerunOf: string };
};

/**
 * The one way a job comes to exist, whoever starts it (a feature's endpoint, `POST …/jobs`, a
 * rerun, a running job): the type's prepare step (plan limits, usage, that referenced rows are the
 * tenant's), the PENDING row users see at once, its audit entry, and the queue message once the
 * transaction commits. The input is the validated one (the route's schema parsed it); it is stored
 * as the handler will receive it and is never parsed a second time. A job with `startAfter` waits
 * PENDING in the queue until then (a scheduled campaign).
 */
export async function startJob<T extends JobType>(
  by: JobStarter,
  type: T,
  input: JobInput<T>,
  options: { startAfter?: Date } = {},
): Promise<JobRow> {
  const def = findJobDefinition(type);
  if (!def) throw new Error(`No job definition is registered for ${type}.`);
  await def.prepare?.(by, input);
  const [row] = await by.tx
    .insert(jobs)
    .values({
      tenantId: by.tenantId,
      type,
      input: input as Record<string, unknown>,
      createdByUserId: by.actor.userId,
      queue: by.services.config.JOB_QUEUE_SCHEMA,
    })
    .returning();
  await recordAudit(by.tx, by.tenantId, by.actor, {
    action: 'job.created',
    targetType: 'job',
    targetId: row.id,
    metadata: { type, ...by.origin },
  });
  by.afterCommit(() => by.services.queue.send(type, { jobId: row.id, tenantId: by.tenantId }, options));
  return row;
}
