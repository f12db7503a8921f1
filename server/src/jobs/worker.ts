import type { Services } from '../http/services.js';
import { requeueStalledJobs } from './lease.js';
import type { QueueMessage } from './queue.js';
import { registeredJobs } from './registry.js';
import { runQueuedJob } from './runner.js';

/** `stop` waits up to `waitMs` for the running jobs to let go of their leases. */
export type Worker = { stop(waitMs?: number): Promise<void> };

/**
 * Consumes every job type from the queue, WORKER_CONCURRENCY jobs of each type at a time, and
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
  const consumers = new Map<string, string[]>();
  let stopping = false;
  const running = new Set<Promise<unknown>>();
  const stopSignal = { stopping: () => stopping };
  for (const def of definitions) {
    const ids: string[] = [];
    for (let i = 0; i < services.config.WORKER_CONCURRENCY; i++) {
      // One job per fetch: a failure then retries only that job, not a whole batch.
      const id: string = await boss.work<QueueMessage>(def.type, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
        const run = runQueuedJob(def, job.data, services, stopSignal);
        running.add(run);
        try {
          await run;
        } finally {
          running.delete(run);
        }
        // Fetch again at once: more jobs may be waiting. An empty fetch falls back to polling.
        if (!stopping) boss.notifyWorker(id);
      });
      ids.push(id);
    }
    consumers.set(def.type, ids);
  }
  // A job just sent wakes this process's consumers of its type instead of waiting for their poll.
  await services.queue.signals.onSent((type) => {
    for (const id of consumers.get(type) ?? []) boss.notifyWorker(id);
  });
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
      for (const def of definitions) await boss.offWork(def.type);
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
