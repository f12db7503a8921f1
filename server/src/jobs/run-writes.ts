import type { SQL } from 'drizzle-orm';
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
  return {
    take: gathered<RunOfJob, TakenJob | undefined>(
      async (tenantId, runs) => (await write(tenantId, runs, takeJobs(tenantId, runs))) as (TakenJob | undefined)[],
    ),
    finish: gathered(async (tenantId, runs: (RunOfJob & { result: Record<string, unknown> })[]) =>
      (await write(tenantId, runs, finishRuns(runs))).map((row) => row?.status as RunEnd),
    ),
  };
}

/**
 * Gathers calls into batches, one write per tenant: a batch is written once the calls of the
 * current turn are in, one batch at a time. Should a batch fail (a deadlock with another process
 * taking the same job, say), each of its calls is written on its own, so one bad call fails alone.
 */
function gathered<Item, Answer>(writeBatch: (tenantId: string, items: Item[]) => Promise<Answer[]>) {
  type Call = { tenantId: string; item: Item; resolve: (answer: Answer) => void; reject: (err: unknown) => void };
  let waiting: Call[] = [];
  let scheduled = false;
  let writing = false;
  const writeGroup = async (tenantId: string, calls: Call[]) => {
    try {
      const answers = await writeBatch(
        tenantId,
        calls.map((c) => c.item),
      );
      calls.forEach((c, i) => c.resolve(answers[i]));
    } catch (err) {
      if (calls.length === 1) return calls[0].reject(err);
      for (const call of calls) await writeGroup(tenantId, [call]);
    }
  };
  const flush = async () => {
    scheduled = false;
    if (writing || !waiting.length) return;
    writing = true;
    const batch = waiting;
    waiting = [];
    const byTenant = new Map<string, Call[]>();
    for (const call of batch) {
      const calls = byTenant.get(call.tenantId);
      if (calls) calls.push(call);
      else byTenant.set(call.tenantId, [call]);
    }
    await Promise.all([...byTenant].map(([tenantId, calls]) => writeGroup(tenantId, calls)));
    writing = false;
    if (waiting.length) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  };
  return (tenantId: string, item: Item) =>
    new Promise<Answer>((resolve, reject) => {
      waiting.push({ tenantId, item, resolve, reject });
      schedule();
    });
}
