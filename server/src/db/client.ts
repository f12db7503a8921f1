import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { fileURLToPath } from 'node:url';
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

/** PGlite under `dataDir` (or in memory when dataDir is `memory://`) when no URL is given, node-postgres otherwise. */
export async function openDatabase(opts: { url?: string; dataDir: string; poolSize?: number }): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    pool.on('error', () => {
      // Idle connections dropped by the server are replaced by the pool on next use.
    });
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
  const client = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    // Statements without parameters may hold several commands; only exec() runs those on PGlite.
    executeSql: async (text, values) => {
      if (!values || values.length === 0) {
        const results = await client.exec(text);
        return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
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
  // API instances and workers may start together; one migrates while the others wait.
  const client = await database.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
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
