import { and, eq, sql, type SQL } from 'drizzle-orm';
import { jobs, jobLogs } from '../db/schema/index.js';
import { takeable, type Lease } from './lease.js';

/**
 * The statements a run keeps its `jobs` row in step with, each a single statement so that a step
 * of the run (start, progress, a log line, the end) is one round trip with its change signal (see
 * inTenantStatements); the start and the end cover every run of a tenant that starts or ends
 * together (see run-writes.ts). They are written out rather than built by drizzle's update
 * builder, which sets `updated_at` itself; here it is set in the statement.
 */

/** What a run learns of its job as it takes it: `token` names the run (its lease's token). */
export type TakenJob = { token: string; input: unknown; attempts: number; createdByUserId: string | null; cancelRequested: boolean };

/** A run's job and lease, as the statements below take them. */
export type RunOfJob = { jobId: string; lease: Lease };

/** The ids as one array value, which keeps the primary key's index in the plan of a statement joining a list. */
const idArray = (runs: readonly { jobId: string }[]) => sql`${`{${runs.map((r) => r.jobId).join(',')}}`}::uuid[]`;

/**
 * Marks the tenant's jobs RUNNING, each under its own run's lease, those that may be taken (see
 * takeable); a row for each job taken. Of two runs of one job, one takes it.
 */
export const takeJobs = (tenantId: string, runs: readonly RunOfJob[]): SQL => sql`
  update ${jobs} set status = 'RUNNING', attempts = ${jobs.attempts} + 1, started_at = coalesce(${jobs.startedAt}, now()),
    error = null, lease_token = r.token, lease_expires_at = now() + make_interval(secs => r.seconds), updated_at = now()
  from jsonb_to_recordset(${JSON.stringify(runs.map((r) => ({ id: r.jobId, token: r.lease.token, seconds: r.lease.seconds })))}::jsonb)
    as r(id uuid, token uuid, seconds int)
  where ${and(sql`${jobs.id} = any(${idArray(runs)})`, sql`${jobs.id} = r.id`, eq(jobs.tenantId, tenantId), takeable())}
  returning r.token as "token", ${jobs.input} as "input", ${jobs.attempts} as "attempts", ${jobs.createdByUserId} as "createdByUserId",
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
 * Ends runs whose handler returned: CANCELLED if someone asked meanwhile, SUCCEEDED otherwise,
 * with the result either way. A row with the status for each run that still held its job.
 */
export const finishRuns = (runs: readonly (RunOfJob & { result: Record<string, unknown> })[]): SQL => sql`
  update ${jobs} set status = (case when ${jobs.cancelRequestedAt} is null then 'SUCCEEDED' else 'CANCELLED' end)::job_status,
    result = r.result, error = null, error_text = null, finished_at = now(),
    lease_token = null, lease_expires_at = null, updated_at = now()
  from jsonb_to_recordset(${JSON.stringify(runs.map((r) => ({ id: r.jobId, token: r.lease.token, result: r.result })))}::jsonb)
    as r(id uuid, token uuid, result jsonb)
  where ${jobs.id} = any(${idArray(runs)}) and ${jobs.id} = r.id and ${jobs.leaseToken} = r.token
  returning r.token as "token", ${jobs.status} as "status"`;

export const insertLog = (
  jobId: string,
  tenantId: string,
  level: 'info' | 'warn' | 'error',
  message: string,
  data: Record<string, unknown> | null,
): SQL => sql`
  insert into ${jobLogs} (tenant_id, job_id, level, message, data)
  values (${tenantId}, ${jobId}, ${level}, ${message}, ${data === null ? null : JSON.stringify(data)}::jsonb)`;
