import { and, eq, sql, type SQL } from 'drizzle-orm';
import { jobs, jobLogs } from '../db/schema/index.js';
import { leaseUntil, takeable, type Lease } from './lease.js';

/**
 * The statements a run keeps its `jobs` row in step with, each a single statement so that a step
 * of the run (start, progress, a log line, the end) is one round trip with its change signal (see
 * inTenantStatements). They are written out rather than built by drizzle's update builder, which
 * sets `updated_at` itself; here it is set in the statement.
 */

/** What a run learns of its job as it takes it. */
export type TakenJob = { input: unknown; attempts: number; createdByUserId: string | null; cancelRequested: boolean };

/** Marks the job RUNNING under this run's lease, if it may be taken (see takeable); one row, or none. */
export const takeJob = (jobId: string, tenantId: string, lease: Lease): SQL => sql`
  update ${jobs} set status = 'RUNNING', attempts = ${jobs.attempts} + 1, started_at = coalesce(${jobs.startedAt}, now()),
    error = null, lease_token = ${lease.token}, lease_expires_at = ${leaseUntil(lease)}, updated_at = now()
  where ${and(eq(jobs.id, jobId), eq(jobs.tenantId, tenantId), takeable())}
  returning ${jobs.input} as "input", ${jobs.attempts} as "attempts", ${jobs.createdByUserId} as "createdByUserId",
    ${jobs.cancelRequestedAt} is not null as "cancelRequested"`;

/** The job, while this run still holds it. */
export const heldBy = (jobId: string, lease: Lease) => and(eq(jobs.id, jobId), eq(jobs.leaseToken, lease.token))!;

export const writeProgress = (held: SQL, done: number, total?: number | null, step?: string | null): SQL => sql`
  update ${jobs} set progress_done = ${done}
    ${total !== undefined ? sql`, progress_total = ${total}` : sql``}
    ${step !== undefined ? sql`, current_step = ${step}` : sql``}, updated_at = now()
  where ${held}`;

/** Whether someone asked to cancel, and whether this run still holds the job (no row: the job is gone). */
export const readCancel = (jobId: string, lease: Lease): SQL => sql`
  select ${jobs.cancelRequestedAt} is not null as "cancelRequested", ${jobs.leaseToken} is not distinct from ${lease.token} as "held"
  from ${jobs} where ${eq(jobs.id, jobId)}`;

/**
 * Ends a run whose handler returned: CANCELLED if someone asked meanwhile, SUCCEEDED otherwise,
 * with the result either way. Returns the status, or no row when the run had lost the job.
 */
export const finishRun = (held: SQL, result: Record<string, unknown>): SQL => sql`
  update ${jobs} set status = (case when ${jobs.cancelRequestedAt} is null then 'SUCCEEDED' else 'CANCELLED' end)::job_status,
    result = ${JSON.stringify(result)}::jsonb, error = null, error_text = null, finished_at = now(),
    lease_token = null, lease_expires_at = null, updated_at = now()
  where ${held}
  returning ${jobs.status} as "status"`;

export const insertLog = (
  jobId: string,
  tenantId: string,
  level: 'info' | 'warn' | 'error',
  message: string,
  data: Record<string, unknown> | null,
): SQL => sql`
  insert into ${jobLogs} (tenant_id, job_id, level, message, data)
  values (${tenantId}, ${jobId}, ${level}, ${message}, ${data === null ? null : JSON.stringify(data)}::jsonb)`;
