import type { SQL } from 'drizzle-orm';
import { GroupCommit } from '../db/group-commit.js';
import { inTenantStatements } from '../db/transactions.js';
import type { Services } from '../http/services.js';
import { finishRuns, takeJobs, type RunOfJob, type TakenJob } from './bookkeeping.js';

/** How a run ended, or undefined when it no longer held its job. */
export type RunEnd = 'SUCCEEDED' | 'CANCELLED' | undefined;

/**
 * The start and the end of this process's runs, written together: the runs that start (or end)
 * in one turn of the event loop, or while the previous batch is being written, are written with
 * one statement per tenant, in one round trip with one change signal for all their jobs.
 */
export type RunWrites = {
  /** Takes the run's job (see takeJobs); undefined when it may not be taken. */
  take(tenantId: string, run: RunOfJob): Promise<TakenJob | undefined>;
  /** Ends the run with the handler's result (see finishRuns). */
  finish(tenantId: string, run: RunOfJob & { result: Record<string, unknown> }): Promise<RunEnd>;
};

/** The runs of a fetched batch start in one turn; a change signal lists at most 100 jobs (see signals.ts). */
const BATCHES = { gatherTurn: true, maxGroup: 100 };

export function createRunWrites(services: Services): RunWrites {
  /**
   * The statement and its signal in one round trip; commits that do not wait for the disk, as a
   * crash of PostgreSQL that loses them leaves the jobs as they were a moment before, which their
   * leases and idempotent handlers recover from.
   */
  const write = async (tenantId: string, runs: readonly RunOfJob[], statement: SQL) => {
    const ids = runs.map((r) => r.jobId);
    const notice = services.queue.signals.changedNotice(ids);
    const [rows] = await inTenantStatements(services.db, tenantId, [statement], { afterCommitOnPostgres: notice, waitForFlush: false });
    if (!notice) for (const id of ids) await services.queue.signals.announceChanged(id).catch(() => undefined);
    const byToken = new Map(rows.map((row) => [row.token as string, row]));
    return runs.map((r) => byToken.get(r.lease.token));
  };
  const takes = new GroupCommit<RunOfJob, TakenJob | undefined>(
    async (tenantId, runs) => (await write(tenantId, runs, takeJobs(tenantId, runs))) as (TakenJob | undefined)[],
    BATCHES,
  );
  const finishes = new GroupCommit<RunOfJob & { result: Record<string, unknown> }, RunEnd>(
    async (tenantId, runs) => (await write(tenantId, runs, finishRuns(runs))).map((row) => row?.status as RunEnd),
    BATCHES,
  );
  return { take: (tenantId, run) => takes.add(tenantId, run), finish: (tenantId, run) => finishes.add(tenantId, run) };
}
