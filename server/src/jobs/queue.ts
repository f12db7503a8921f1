import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Database } from '../db/client.js';
import { createJobSignals, type JobSignals } from './signals.js';

export type QueueMessage = { jobId: string; tenantId: string };

/** What the queue needs to know of a job type: its name and its retry policy. */
export type QueuePolicy = { type: string; retry: { limit: number; delaySeconds: number; backoff: boolean }; timeoutSeconds: number };

/** pg-boss, in the application's database: the API sends to it, workers consume from it with SKIP LOCKED. */
export type JobQueue = {
  boss: PgBoss;
  /** Queues the job and signals idle workers of its type; `startAfter` holds it back until then. */
  send(type: string, message: QueueMessage, options?: { startAfter?: Date }): Promise<void>;
  signals: JobSignals;
  stop(): Promise<void>;
};

/** Starts pg-boss and creates or updates one queue per job type, with the type's retry policy. */
export async function startJobQueue(database: Database, config: Config, log: Logger, types: readonly QueuePolicy[]): Promise<JobQueue> {
  // pg-boss hands its options to its own node-postgres pool, which takes the connect timeout.
  const poolOptions: PgBoss.ConstructorOptions & Pick<pg.PoolConfig, 'connectionTimeoutMillis'> = {
    connectionString: config.DATABASE_URL!,
    max: config.WORKER_CONCURRENCY + 2,
    schema: config.JOB_QUEUE_SCHEMA,
    connectionTimeoutMillis: config.databaseTimeouts.connectMs,
  };
  const boss =
    database.driver === 'postgres'
      ? new PgBoss(poolOptions)
      : // PGlite is one connection: share it through pg-boss's executeSql hook.
        new PgBoss({ db: { executeSql: database.executeSql }, schema: config.JOB_QUEUE_SCHEMA });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  for (const def of types) {
    const policy = {
      name: def.type,
      retryLimit: def.retry.limit,
      retryDelay: def.retry.delaySeconds,
      retryBackoff: def.retry.backoff,
      expireInSeconds: def.timeoutSeconds,
    };
    await withDeadlockRetry(async () => {
      if (await boss.getQueue(def.type)) await boss.updateQueue(def.type, policy);
      else await boss.createQueue(def.type, policy);
    });
  }
  const signals = createJobSignals(database, config, log);
  let stopped = false;
  return {
    boss,
    send: async (type, message, options) => {
      await boss.send(type, message, options?.startAfter ? { startAfter: options.startAfter } : {});
      await signals.announceSent(type);
    },
    signals,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await signals.close();
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
    },
  };
}

/** Processes starting together may race to create the same queues; PostgreSQL resolves that with a deadlock error, so try again. */
async function withDeadlockRetry(fn: () => Promise<void>, attempts = 5) {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (i >= attempts || (code !== '40P01' && code !== '23505')) throw err;
      await new Promise((r) => setTimeout(r, 50 * i + Math.random() * 100));
    }
  }
}
