import type { JobType } from '@optarget/shared';
import { jobs } from '../db/schema/index.js';
import { recordAudit } from '../audit/record.js';
import { PermanentJobError, type JobRun } from './definitions.js';
import { findJobDefinition } from './registry.js';

/**
 * Starts a job from inside another one (enrichment after a search), under the same rules as a
 * job a person starts: its input schema and its prepare step (plan limits, usage). Returns the
 * new job's id; a refusal (e.g. the plan's limit) is thrown for the caller to report.
 */
export async function startFollowUpJob(run: JobRun, type: JobType, input: unknown): Promise<string> {
  const def = findJobDefinition(type);
  if (!def) throw new PermanentJobError(`Jobs of type ${type} are not available.`);
  const parsed = def.input.parse(input);
  const jobId = await run.inTenant(async (tx) => {
    await def.prepare?.({ tx, tenantId: run.tenantId, services: run.services }, parsed);
    const [row] = await tx
      .insert(jobs)
      .values({
        tenantId: run.tenantId,
        type,
        input: parsed as Record<string, unknown>,
        createdByUserId: run.createdByUserId,
        queue: run.services.config.JOB_QUEUE_SCHEMA,
      })
      .returning({ id: jobs.id });
    await recordAudit(
      tx,
      run.tenantId,
      { userId: run.createdByUserId, email: null, ip: null, userAgent: null },
      { action: 'job.created', targetType: 'job', targetId: row.id, metadata: { type, startedByJobId: run.jobId } },
    );
    return row.id;
  });
  await run.services.queue.send(type, { jobId, tenantId: run.tenantId });
  return jobId;
}
