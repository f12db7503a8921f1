import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { fileURLToPath } from 'node:url';
import type { DatabaseTimeouts } from '../config/config.js';
import { EmbeddedPGlite } from './embedded.js';
import * as schema from './schema/index.js';

export type Db = ReturnType<typeof drizzlePg<typeof schema>>;

/** Raw SQL access for the job queue, which speaks plain SQL to either driver. */
export type RawSql = (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export type Database = {
  db: Db;
  /** node-postgres pool (server mode only). */
  pool?: pg.Pool;
  driver: 'pglite' | 'postgres';
  executeSql: RawSql;
  ping(): Promise<void>;
  close(): Promise<void>;
};

// From source the folder is two levels up (src/db/); from the bundle in dist/ it is one.
export const migrationsFolder = ['../../migrations', '../migrations']
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((dir) => existsSync(path.join(dir, 'meta', '_journal.json')))!;

/**
 * PGlite under `dataDir` (or in memory when dataDir is `memory://`) when no URL is given,
 * node-postgres otherwise, with `timeouts` (config.databaseTimeouts) on every pooled connection.
 */
export async function openDatabase(opts: {
  url?: string;
  dataDir: string;
  poolSize?: number;
  timeouts?: DatabaseTimeouts;
}): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, ...connectionOptions(opts.timeouts) });
    // A connection that dies (the server restarted, a backend was terminated, the network dropped)
    // emits `error` whether it is idle or checked out. The query it was running fails on its own,
    // and the pool discards the connection when it comes back, so the event needs no more than a
    // listener: without one it would end the process.
    pool.on('connect', (client) => client.on('error', () => undefined));
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema });
    return {
      db,
      pool,
      driver: 'postgres',
      executeSql: (text, values) => pool.query(text, values as unknown[]),
      ping: async () => void (await pool.query('select 1')),
      close: () => pool.end(),
    };
  }
  const dataDir = opts.dataDir === 'memory://' ? undefined : path.resolve(opts.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await EmbeddedPGlite.open({ dataDir, extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    // Statements without parameters may hold several commands; only exec() runs those on PGlite.
    executeSql: async (text, values) => {
      if (!values || values.length === 0) {
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const r = await client.query(text, values);
      return { rows: r.rows as Record<string, unknown>[] };
    },
    ping: async () => void (await client.query('select 1')),
    close: () => client.close(),
  };
}

// Any fixed number: it names the lock that serialises migrations between processes.
const MIGRATION_LOCK = 7_120_451;

export async function runMigrations(database: Database) {
  if (!database.pool) {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  // A connection of its own, without the pool's statement limits: a migration may rightly take long.
  const { connectionString, connectionTimeoutMillis } = database.pool.options;
  const client = new pg.Client({ connectionString, connectionTimeoutMillis });
  client.on('error', () => undefined); // the statement in progress fails and start-up stops with it
  await client.connect();
  try {
    // API instances and workers may start together; one migrates while the others wait.
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
  } finally {
    await client.end().catch(() => undefined); // ending the session releases the lock
  }
}

/**
 * node-postgres settings for `timeouts`: the connect timeout, PostgreSQL's own statement and
 * idle-in-transaction limits, and a read timeout a little longer than the statement limit for a
 * server that stopped answering altogether (a statement limit needs a server to enforce it).
 */
export function connectionOptions(timeouts: DatabaseTimeouts | undefined): pg.PoolConfig {
  if (!timeouts) return {};
  const { connectMs, statementMs, idleInTransactionMs } = timeouts;
  return {
    connectionTimeoutMillis: connectMs,
    keepAlive: true,
    ...(statementMs > 0 ? { statement_timeout: statementMs, query_timeout: statementMs + connectMs } : {}),
    ...(idleInTransactionMs > 0 ? { idle_in_transaction_session_timeout: idleInTransactionMs } : {}),
  };
}

/** True when every committed migration has been applied. */
export async function migrationsApplied(database: Database): Promise<boolean> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const expected = readMigrationFiles({ migrationsFolder }).length;
  try {
    const { rows } = await database.executeSql('select count(*)::int as n from drizzle.__drizzle_migrations', []);
    return Number(rows[0]?.n) >= expected;
  } catch {
    return false;
  }
}
