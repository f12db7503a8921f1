import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Services } from '../http/services.js';
import { sessionCacheFor } from './session-cache.js';

const CHANNEL = 'optarget_session_changes';
const ECHO_WAIT_MS = 1000;

type Listener = { connected: boolean; echoes: Map<string, () => void>; stop(): Promise<void> };
const listeners = new WeakMap<object, Listener>();

/**
 * Keeps this API process's session cache honest when another process signs someone out, revokes a
 * session or changes a password. On PostgreSQL every API process LISTENs on one channel and empties
 * its cache when told; while its listening connection is down (a restart of the database) it uses no
 * cache at all, since it could miss a message. The embedded database serves one process, which
 * empties its own cache.
 */
export async function startSessionInvalidation(services: Pick<Services, 'auth' | 'config' | 'log'>): Promise<() => Promise<void>> {
  const url = services.config.DATABASE_URL;
  if (!url) return async () => undefined;
  const cache = sessionCacheFor(services.auth);
  const listener: Listener = { connected: false, echoes: new Map(), stop: async () => undefined };
  listeners.set(services.auth, listener);
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = 250;

  const lost = (log: Logger, err?: unknown) => {
    if (!listener.connected && !client) return;
    listener.connected = false;
    cache.suspend();
    if (client) void retire(client);
    client = null;
    if (stopped) return;
    log.warn({ err }, 'session change listener lost its connection; sessions are checked on every request until it is back');
    retry = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, 10_000);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: services.config.databaseTimeouts.connectMs });
    client = next;
    next.on('error', (err) => lost(services.log, err));
    next.on('end', () => lost(services.log));
    next.on('notification', (message) => {
      cache.clear();
      const echo = message.payload ? listener.echoes.get(message.payload) : undefined;
      echo?.();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      if (client !== next) return;
      listener.connected = true;
      delay = 250;
      cache.resume();
    } catch (err) {
      lost(services.log, err);
    }
  };

  cache.suspend();
  await connect();
  listener.stop = async () => {
    stopped = true;
    clearTimeout(retry);
    const current = client;
    client = null;
    listener.connected = false;
    if (current) await retire(current);
  };
  return () => listener.stop();
}

/** Closes a listening connection; a late error from it must not go unheard (it would end the process). */
async function retire(client: pg.Client) {
  client.removeAllListeners();
  client.on('error', () => undefined);
  await client.end().catch(() => undefined);
}

/**
 * Called after any auth call that may have changed a session or its user. This process forgets its
 * cached sessions at once; on PostgreSQL every other API process is told, and the answer waits
 * (up to a second) until this process hears its own message back, by which time PostgreSQL has
 * sent it to every listener.
 */
export async function invalidateSessions(services: Pick<Services, 'auth' | 'db' | 'log'>) {
  sessionCacheFor(services.auth).clear();
  const listener = listeners.get(services.auth);
  if (!listener) return;
  const id = randomUUID();
  const heard = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ECHO_WAIT_MS);
    listener.echoes.set(id, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  try {
    await services.db.execute(sql`select pg_notify(${CHANNEL}, ${id})`);
    if (listener.connected) await heard;
  } catch (err) {
    // The database is out of reach, so every other process has lost its listener and uses no cache.
    services.log.warn({ err }, 'could not announce a session change');
  } finally {
    listener.echoes.delete(id);
  }
}
