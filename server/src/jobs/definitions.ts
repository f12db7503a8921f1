import type { z } from 'zod';
import type { JobType } from '@optarget/shared';
import type { Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';
import type { Services } from '../http/services.js';

/** What a running job's handler may do: report progress, write log lines, notice cancellation, touch its tenant's data. */
export type JobRun = {
  jobId: string;
  tenantId: string;
  createdByUserId: string | null;
  /** 1 on the first run; higher on retries (handlers use it to resume, never to duplicate). */
  attempt: number;
  services: Services;
  progress(done: number, total?: number | null, step?: string | null): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>): Promise<void>;
  /** True once someone asked to cancel; handlers check it between units of work and return early. */
  isCancelled(): Promise<boolean>;
  /** A short transaction in the job's tenant, under row-level security. */
  inTenant<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
};

/** A background job type: its name, the shape of its input, how to run it and how often to retry. */
export type JobDefinition<Input extends z.ZodType = z.ZodType> = {
  type: JobType;
  input: Input;
  /** Retries apply to transient failures only; throw PermanentJobError for the others. */
  retry: { limit: number; delaySeconds: number; backoff: boolean };
  /**
   * How long the queue waits on one delivery before it delivers the job again. A backstop only: a
   * crashed worker's job is taken up once its lease lapses (JOB_LEASE_SECONDS, see lease.ts), and a
   * redelivery never takes a job a live worker holds. Longer than the slowest honest run.
   */
  timeoutSeconds: number;
  /**
   * Checks and bookkeeping before the job exists, in the request's transaction: plan limits,
   * usage counters, that referenced rows are the tenant's. Every way of starting the job (its own
   * endpoint or POST …/jobs) goes through it, so none can skip a limit.
   */
  prepare?(ctx: PrepareContext, input: z.infer<Input>): Promise<void>;
  run(job: JobRun, input: z.infer<Input>): Promise<Record<string, unknown>>;
};

/** What a job's prepare step may use: the transaction that will create the job, in its tenant. */
export type PrepareContext = Pick<TenantContext, 'tx' | 'tenantId' | 'services'>;

/** A failure that retrying cannot fix (bad input, missing data): the job fails at once with this message. */
export class PermanentJobError extends Error {}

export const defineJob = <Input extends z.ZodType>(def: JobDefinition<Input>) => def as unknown as JobDefinition;
