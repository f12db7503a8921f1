import type { JobInput, JobStep, JobText, JobType } from '@optarget/shared';
import type { Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { logLine } from './texts.js';

/** What a running job's handler may do: report progress, write log lines, notice cancellation, touch its tenant's data. */
export type JobRun = {
  jobId: string;
  tenantId: string;
  createdByUserId: string | null;
  /** 1 on the first run; higher on retries (handlers use it to resume, never to duplicate). */
  attempt: number;
  services: Services;
  /** `step` is a job text's step code (`step.importingRows`), which the web app translates, or a name such as the lead's. */
  progress(done: number, total?: number | null, step?: JobStep | (string & {}) | null): Promise<void>;
  /** A job text (`shared/src/job-texts.ts`) reaches the user in their language; a plain string as it is. */
  log(level: 'info' | 'warn' | 'error', message: string | JobText, data?: Record<string, unknown>): Promise<void>;
  /**
   * True once someone asked to cancel; handlers check it between units of work and return early.
   * It throws when the worker is stopping, and the job goes back to the queue to resume elsewhere.
   */
  isCancelled(): Promise<boolean>;
  /** A short transaction in the job's tenant, under row-level security. */
  inTenant<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Starts another job on behalf of the same person (enrichment after a search), under the rules of
   * a job a person starts: its prepare step (plan limits, usage, references) runs first, and a
   * refusal is thrown for the caller to report. Returns the new job's id.
   */
  startFollowUp<T extends JobType>(type: T, input: JobInput<T>): Promise<string>;
};

/** What a job's handler returns: the result summary users see on the job. */
export type JobResult = Record<string, unknown>;

type Handler<Input> = { run(job: JobRun, input: Input): Promise<JobResult> };
/** The code that does the work of a job type, loaded on first use (see `JobDefinition.handler`). */
export type JobHandler<T extends JobType> = Handler<JobInput<T>>;

/** What a job's prepare step may use: the transaction that will create the job, in its tenant. */
export type PrepareContext = Pick<TenantContext, 'tx' | 'tenantId' | 'services'>;

/**
 * A background job type: its name, the checks before it exists, how to run it and how often to
 * retry. Its input schema is the shared table's (`jobInputSchemas`): the job stores and its handler
 * receives the validated input. Test and bench code define extra types with their own name and input.
 */
export type JobDefinition<Type extends string = JobType, Input = Type extends JobType ? JobInput<Type> : unknown> = {
  type: Type;
  /** Retries apply to transient failures only; throw PermanentJobError for the others. */
  retry: { limit: number; delaySeconds: number; backoff: boolean };
  /**
   * How long the queue waits on one delivery before it delivers the job again. A backstop only: a
   * crashed worker's job is taken up once its lease lapses (JOB_LEASE_SECONDS, see lease.ts), and a
   * redelivery never takes a job a live worker holds. Longer than the slowest honest run.
   */
  timeoutSeconds: number;
  /**
   * How many jobs of this type one worker process runs at once; WORKER_CONCURRENCY when unset.
   * Types whose jobs are short and mostly wait on the database or a remote service run more.
   */
  concurrency?: number;
  /**
   * Checks and bookkeeping before the job exists, in the transaction that creates it: plan limits,
   * usage counters, that every row the input names (list, lead, upload…) is the tenant's (404
   * otherwise). Every way of starting the job goes through it, so none can skip a check.
   */
  prepare?(ctx: PrepareContext, input: Input): Promise<void>;
  /**
   * Imports the handler when a job of this type first runs (`() => import('./job.js').then(…)`),
   * so a definition stays light: starting a job, the API's part, runs no handler code.
   */
  handler(): Promise<Handler<Input>>;
};

/** Any job definition, as the registry and the worker hold them. */
export type AnyJobDefinition = JobDefinition<string, any>;

/** A failure that retrying cannot fix (bad input, missing data): the job fails at once with this message. */
export class PermanentJobError extends Error {
  /** The message as a job text, shown in the user's language. */
  readonly text: JobText | null;
  constructor(message: string | JobText) {
    const line = logLine(message);
    super(line.message);
    this.text = line.text;
  }
}

/** A job type of the shared table; its prepare step and handler receive that type's validated input. */
export const defineJob = <T extends JobType>(def: JobDefinition<T>) => def;
