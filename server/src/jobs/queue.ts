import { EventEmitter } from 'node:events';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Database } from '../db/client.js';
import { jobDefinitions } from './registry.js';

export type QueueMessage = { jobId: string; tenantId: string };

/** pg-boss, in the application's database: the API sends to it, workers consume from it with SKIP LOCKED. */
export type JobQueue = {
  boss: PgBoss;
  send(type: string, message: QueueMessage): Promise<void>;
  /** Calls `listener` with the type of every job sent from now on, by any process; see `jobSentSignal`. */
  onJobSent(listener: (type: string) => void): Promise<void>;
  stop(): Promise<void>;
};

const JOB_SENT_CHANNEL = 'optarget_job_sent';

export async function startJobQueue(database: Database, config: Config, log: Logger): Promise<JobQueue> {
  const boss =
    database.driver === 'postgres'
      ? new PgBoss({ connectionString: config.DATABASE_URL!, max: config.WORKER_CONCURRENCY + 2, schema: config.JOB_QUEUE_SCHEMA })
      : // PGlite is one connection: share it through pg-boss's executeSql hook.
        new PgBoss({ db: { executeSql: database.executeSql } as never, schema: config.JOB_QUEUE_SCHEMA });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  await boss.start();
  for (const def of jobDefinitions) {
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
  const signal = jobSentSignal(database, config, log);
  let stopped = false;
  return {
    boss,
    send: async (type, message) => {
      await boss.send(type, message);
      await signal.announce(type);
    },
    onJobSent: signal.listen,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await signal.close();
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
    },
  };
}

/**
 * Tells workers a job was just sent, so an idle one fetches it now rather than at its next poll.
 * On PostgreSQL this crosses processes with NOTIFY on one channel, heard by a connection that
 * LISTENs; the embedded database serves one process, where an event emitter does. Polling stays
 * the fallback, so a lost signal (the listening connection dropped) only costs latency.
 */
function jobSentSignal(database: Database, config: Config, log: Logger) {
  const local = new EventEmitter();
  if (database.driver === 'pglite') {
    return {
      announce: async (type: string) => void local.emit('sent', type),
      listen: async (listener: (type: string) => void) => void local.on('sent', listener),
      close: async () => void local.removeAllListeners(),
    };
  }
  let client: pg.Client | null = null;
  let closed = false;
  const connect = async () => {
    const next = new pg.Client({ connectionString: config.DATABASE_URL });
    next.on('notification', (n) => {
      const [schema, type] = (n.payload ?? '').split(':');
      if (schema === config.JOB_QUEUE_SCHEMA && type) local.emit('sent', type);
    });
    next.on('error', (err) => {
      log.warn({ err }, 'job signal connection lost; workers poll until it is back');
      client = null;
      void next.end().catch(() => undefined);
      if (!closed) setTimeout(() => void connect().catch(() => undefined), 5000).unref();
    });
    await next.connect();
    await next.query(`listen ${JOB_SENT_CHANNEL}`);
    client = next;
  };
  return {
    announce: async (type: string) => {
      // Processes of another queue schema share the channel (the payload names the schema).
      await database.executeSql(`select pg_notify('${JOB_SENT_CHANNEL}', $1)`, [`${config.JOB_QUEUE_SCHEMA}:${type}`]);
    },
    listen: async (listener: (type: string) => void) => {
      local.on('sent', listener);
      if (!client) await connect();
    },
    close: async () => {
      closed = true;
      local.removeAllListeners();
      await client?.end().catch(() => undefined);
      client = null;
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
