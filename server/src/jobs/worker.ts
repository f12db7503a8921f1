import type { Services } from '../http/services.js';
import { requeueStalledJobs } from './lease.js';
import type { QueueMessage } from './queue.js';
import { jobDefinitions } from './registry.js';
import { runQueuedJob } from './runner.js';

export type Worker = { stop(): Promise<void> };

/**
 * Consumes every job type from the queue, WORKER_CONCURRENCY jobs of each type at a time, and
 * looks for jobs whose worker died (their lease lapsed) every half lease, to queue them again.
 */
export async function startWorker(services: Services): Promise<Worker> {
  const { boss } = services.queue;
  // The embedded database serves this process alone: a job still RUNNING at start-up was left by
  // a previous run of it and can be taken up at once instead of after its lease.
  await requeueStalledJobs(services, { everyRunning: services.database.driver === 'pglite' });
  const consumers = new Map<string, string[]>();
  for (const def of jobDefinitions) {
    const ids: string[] = [];
    for (let i = 0; i < services.config.WORKER_CONCURRENCY; i++) {
      // One job per fetch: a failure then retries only that job, not a whole batch.
      const id: string = await boss.work<QueueMessage>(def.type, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
        await runQueuedJob(def, job.data, services);
        // Fetch again at once: more jobs may be waiting. An empty fetch falls back to polling.
        boss.notifyWorker(id);
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
  services.log.info({ jobTypes: jobDefinitions.map((d) => d.type), concurrency: services.config.WORKER_CONCURRENCY }, 'worker started');
  return {
    stop: async () => {
      clearInterval(sweep);
      await sweeping;
      for (const def of jobDefinitions) await boss.offWork(def.type);
      services.log.info('worker stopped');
    },
  };
}
