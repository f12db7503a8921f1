import type { Services } from '../http/services.js';
import type { QueueMessage } from './queue.js';
import { jobDefinitions } from './registry.js';
import { runQueuedJob } from './runner.js';

export type Worker = { stop(): Promise<void> };

/** Consumes every job type from the queue, WORKER_CONCURRENCY jobs of each type at a time. */
export async function startWorker(services: Services): Promise<Worker> {
  const { boss } = services.queue;
  for (const def of jobDefinitions) {
    for (let i = 0; i < services.config.WORKER_CONCURRENCY; i++) {
      // One job per fetch: a failure then retries only that job, not a whole batch.
      await boss.work<QueueMessage>(def.type, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) =>
        runQueuedJob(def, job.data, services),
      );
    }
  }
  services.log.info({ jobTypes: jobDefinitions.map((d) => d.type), concurrency: services.config.WORKER_CONCURRENCY }, 'worker started');
  return {
    stop: async () => {
      for (const def of jobDefinitions) await boss.offWork(def.type);
      services.log.info('worker stopped');
    },
  };
}
