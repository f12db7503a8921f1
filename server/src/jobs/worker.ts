import PgBoss from 'pg-boss';
import type { Services } from '../http/services.js';
import { jobDefinitions } from './definitions.js';

export type Worker = { stop(): Promise<void> };

/**
 * Starts the queue (pg-boss, in the same database) and a consumer for every job definition.
 * On PostgreSQL it connects with its own pool; on PGlite it shares the embedded connection.
 */
export async function startWorker(services: Services): Promise<Worker> {
  const { config, database, log } = services;
  const boss =
    database.driver === 'postgres'
      ? new PgBoss({ connectionString: config.DATABASE_URL!, max: config.WORKER_CONCURRENCY + 2 })
      : new PgBoss({ db: { executeSql: database.executeSql } as never });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  for (const def of jobDefinitions) {
    await boss.createQueue(def.type, {
      name: def.type,
      retryLimit: def.retry.limit,
      retryDelay: def.retry.delaySeconds,
      retryBackoff: def.retry.backoff,
    });
    await boss.work<{ jobId: string; tenantId: string; input: unknown }>(
      def.type,
      { batchSize: config.WORKER_CONCURRENCY, pollingIntervalSeconds: 1 },
      async (batch) => {
        for (const job of batch)
          await def.run({ jobId: job.data.jobId, tenantId: job.data.tenantId, services }, def.input.parse(job.data.input));
      },
    );
  }
  log.info({ jobTypes: jobDefinitions.map((d) => d.type) }, 'worker started');
  return {
    stop: async () => {
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
      log.info('worker stopped');
    },
  };
}
