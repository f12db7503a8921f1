import { EventEmitter } from 'node:events';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Database } from '../db/client.js';

/**
 * Signals between the processes of one installation, so nobody waits for a poll:
 * - `sent`: a job of this type was queued; idle workers of the type fetch at once.
 * - `changed`: this job's row or log changed; its live event streams read it at once.
 * On PostgreSQL they cross processes with NOTIFY, heard by one connection per process that
 * LISTENs to the channels someone in the process listens to (a worker alone hears no `changed`);
 * the embedded database serves one process, where an event emitter does. They are hints: polling
 * stays the fallback, so a lost signal (the listening connection dropped) only costs latency.
 * Payloads start with the queue schema, so installations sharing a database (each test file)
 * ignore each other's.
 */
export type JobSignals = {
  announceSent(type: string): Promise<void>;
  onSent(listener: (type: string) => void): Promise<void>;
  announceChanged(jobId: string): Promise<void>;
  /**
   * On PostgreSQL, one statement announcing that all these jobs changed, to send along with the
   * change's own statements after they commit (see inTenantStatements); null on the embedded database.
   */
  changedNotice(jobIds: readonly string[]): SQL | null;
  /** Calls `listener` whenever the job changes, until the returned function is called. */
  onChanged(jobId: string, listener: () => void): Promise<() => void>;
  close(): Promise<void>;
};

/** The NOTIFY channels; a payload is `<queue schema>:<job type or id>`, `changed` ones may list several keys apart by spaces. */
export const CHANNELS = { sent: 'optarget_job_sent', changed: 'optarget_job_changed' } as const;
type Kind = keyof typeof CHANNELS;

export function createJobSignals(database: Database, config: Config, log: Logger): JobSignals {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  // `sent` listeners hear every type; `changed` listeners hear their own job only.
  const emit = (kind: Kind, key: string) => void (kind === 'sent' ? local.emit('sent', key) : local.emit(`changed:${key}`));
  const channel = database.driver === 'postgres' ? listeningConnection(config, log, emit) : null;

  const announce = async (kind: Kind, key: string) => {
    if (!channel) return void emit(kind, key);
    await database.executeSql(`select pg_notify('${CHANNELS[kind]}', $1)`, [`${config.JOB_QUEUE_SCHEMA}:${key}`]);
  };
  const payloads = (keys: readonly string[]) => {
    const chunks: string[] = [];
    for (let i = 0; i < keys.length; i += KEYS_PER_NOTICE)
      chunks.push(`${config.JOB_QUEUE_SCHEMA}:${keys.slice(i, i + KEYS_PER_NOTICE).join(' ')}`);
    return chunks;
  };
  return {
    announceSent: (type) => announce('sent', type),
    onSent: async (listener) => {
      local.on('sent', listener);
      await channel?.open('sent');
    },
    announceChanged: (jobId) => announce('changed', jobId),
    changedNotice: (jobIds) =>
      channel && jobIds.length
        ? sql`select ${sql.join(
            payloads(jobIds).map((payload) => sql`pg_notify(${CHANNELS.changed}, ${payload})`),
            sql`, `,
          )}`
        : null,
    onChanged: async (jobId, listener) => {
      local.on(`changed:${jobId}`, listener);
      await channel?.open('changed');
      return () => void local.off(`changed:${jobId}`, listener);
    },
    close: async () => {
      local.removeAllListeners();
      await channel?.close();
    },
  };
}

/** Keys a `changed` payload lists at most: 100 job ids stay well below NOTIFY's 8,000-byte payload. */
const KEYS_PER_NOTICE = 100;

/**
 * One LISTEN connection for the channels asked for so far, opened on first use and reopened
 * (listening to them again) after a loss.
 */
function listeningConnection(config: Config, log: Logger, emit: (kind: Kind, key: string) => void) {
  let client: pg.Client | null = null;
  let opening: Promise<void> | null = null;
  let closed = false;
  const wanted = new Set<Kind>();
  const listened = new Set<Kind>();
  const connect = async () => {
    const next = new pg.Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: config.databaseTimeouts.connectMs });
    next.on('notification', (n) => {
      const kind = (Object.keys(CHANNELS) as Kind[]).find((k) => CHANNELS[k] === n.channel);
      const at = (n.payload ?? '').indexOf(':');
      if (!kind || at < 0 || n.payload!.slice(0, at) !== config.JOB_QUEUE_SCHEMA) return;
      for (const key of n.payload!.slice(at + 1).split(' ')) emit(kind, key);
    });
    next.on('error', (err) => {
      log.warn({ err }, 'job signal connection lost; polling until it is back');
      client = null;
      void next.end().catch(() => undefined);
      if (!closed) setTimeout(() => void open().catch(() => undefined), 5000).unref();
    });
    await next.connect();
    listened.clear();
    client = next;
  };
  // One at a time: a second caller waits for the first's connection, then listens to its own channel on it.
  let ready: Promise<void> = Promise.resolve();
  const open = (kind?: Kind) => {
    if (kind) wanted.add(kind);
    const step = ready.then(async () => {
      if (closed) return;
      if (!client) {
        opening = connect();
        await opening.finally(() => {
          opening = null;
        });
      }
      for (const name of wanted) {
        if (listened.has(name)) continue;
        await client!.query(`listen ${CHANNELS[name]}`);
        listened.add(name);
      }
    });
    ready = step.catch(() => undefined);
    return step;
  };
  return {
    open,
    close: async () => {
      closed = true;
      await opening?.catch(() => undefined);
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
