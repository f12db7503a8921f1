import type { Services } from '../http/services.js';
import { startConsumer, type Consumer } from './consumer.js';
import { requeueStalledJobs } from './lease.js';
import type { QueueMessage } from './queue.js';
import { registeredJobs } from './registry.js';
import { runQueuedJob } from './runner.js';
import { createRunWrites } from './run-writes.js';

/** How often an idle consumer looks at the queue, should the signal of a job sent be lost. */
const POLL_MS = 2000;

/** `stop` waits up to `waitMs` for the running jobs to let go of their leases. */
export type Worker = { stop(waitMs?: number): Promise<void> };

/**
 * Consumes every job type from the queue, as many jobs of each type at a time as the type's
 * `concurrency` (WORKER_CONCURRENCY unless it says), fetched in batches (see consumer.ts), and
 * looks for jobs whose worker died (their lease lapsed) every half lease, to queue them again.
 * `stop` takes no more jobs and waits (a bounded time) for the running ones to reach their next
 * check, where they let go of their lease and go back to the queue.
 */
export async function startWorker(services: Services): Promise<Worker> {
  const { boss } = services.queue;
  // The embedded database serves this process alone: a job still RUNNING at start-up was left by
  // a previous run of it and can be taken up at once instead of after its lease.
  await requeueStalledJobs(services, { everyRunning: services.database.driver === 'pglite' });
  const definitions = registeredJobs();
  let stopping = false;
  const running = new Set<Promise<unknown>>();
  const runContext = { stopping: () => stopping, writes: createRunWrites(services) };
  const consumers = new Map<string, Consumer>();
  for (const def of definitions) {
    const run = async (message: QueueMessage) => {
      const job = runQueuedJob(def, message, services, runContext);
      running.add(job);
      try {
        await job;
      } finally {
        running.delete(job);
      }
    };
    const slots = def.concurrency ?? services.config.WORKER_CONCURRENCY;
    consumers.set(def.type, startConsumer(boss, def.type, slots, run, { pollMs: POLL_MS, log: services.log }));
  }
  // A job just sent wakes this process's consumer of its type instead of waiting for its poll.
  await services.queue.signals.onSent((type) => consumers.get(type)?.wake());
  let sweeping: Promise<unknown> | null = null;
  const sweep = setInterval(
    () => {
      if (sweeping) return;
      sweeping = requeueStalledJobs(services)
        .catch((err) => services.log.error({ err }, 'looking for stalled jobs failed'))
        .finally(() => {
          sweeping = null;
        });
    },
    (services.config.JOB_LEASE_SECONDS * 1000) / 2,
  );
  sweep.unref();
  services.log.info({ jobTypes: definitions.map((d) => d.type), concurrency: services.config.WORKER_CONCURRENCY }, 'worker started');
  return {
    stop: async (waitMs = 0) => {
      stopping = true;
      clearInterval(sweep);
      await sweeping;
      await Promise.all([...consumers.values()].map((c) => c.stop()));
      // Running jobs stop at their next check between units of work and are handed back to the queue;
      // one that does not reach a check in time keeps its lease, which lapses once the process is gone.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(running),
        new Promise((resolve) => {
          timer = setTimeout(resolve, waitMs);
        }),
      ]);
      clearTimeout(timer);
      services.log.info('worker stopped');
    },
  };
}
