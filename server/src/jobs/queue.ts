import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Database } from '../db/client.js';
import { jobDefinitions } from './registry.js';

export type QueueMessage = { jobId: string; tenantId: string };

/** pg-boss, in the application's database: the API sends to it, workers consume from it with SKIP LOCKED. */
export type JobQueue = { boss: PgBoss; send(type: string, message: QueueMessage): Promise<void>; stop(): Promise<void> };

export async function startJobQueue(database: Database, config: Config, log: Logger): Promise<JobQueue> {
  const boss =
    database.driver === 'postgres'
      ? new PgBoss({ connectionString: config.DATABASE_URL!, max: config.WORKER_CONCURRENCY + 2 })
      : // PGlite is one connection: share it through pg-boss's executeSql hook.
        new PgBoss({ db: { executeSql: database.executeSql } as never });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  for (const def of jobDefinitions) {
    await boss.createQueue(def.type, {
      name: def.type,
      retryLimit: def.retry.limit,
      retryDelay: def.retry.delaySeconds,
      retryBackoff: def.retry.backoff,
    });
  }
  let stopped = false;
  return {
    boss,
    send: async (type, message) => {
      await boss.send(type, message);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
    },
  };
}
