import { and, eq, sql } from 'drizzle-orm';
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import type { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Role } from '@optarget/shared';
import type { Db } from './client.js';
import { memberships } from './schema/index.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The tenant, the non-owner role, and no parallel workers — these are short indexed queries,
// where a parallel plan only adds start-up cost under concurrency. All three vanish at commit.
const tenantSettings = (tenantId: string) =>
  `select set_config('app.tenant_id', '${tenantId}', true), set_config('role', 'optarget_app', true), set_config('max_parallel_workers_per_gather', '0', true)`;

/**
 * Runs `fn` in a transaction as the non-owner `optarget_app` role with `app.tenant_id` set,
 * so row-level security hides every other tenant's rows even if a query forgets its filter.
 * Both settings are transaction-local and vanish at commit.
 */
export async function inTenantTransaction<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inMemberTransaction(db, { tenantId }, () => undefined, fn);
}

/**
 * As inTenantTransaction, for a request by `userId`: their role in the tenant is read (with the
 * connection's own rights, before the role switch) and handed to `admit`, which returns normally
 * to go on or throws to refuse — then the transaction is rolled back before `fn` runs. On
 * node-postgres, BEGIN, the role lookup and the settings travel in one round trip.
 */
export async function inMemberTransaction<T, A>(
  db: Db,
  access: { tenantId: string; userId?: string },
  admit: (role: Role | null) => A,
  fn: (tx: Tx, admitted: A) => Promise<T>,
): Promise<T> {
  const { tenantId, userId } = access;
  // The ids are written into the statement text (a multi-statement query takes no parameters), so only exact UUIDs pass.
  if (!UUID.test(tenantId) || (userId !== undefined && !UUID.test(userId))) throw new Error('tenant and user ids must be UUIDs');
  const pool = nodePgPool(db);
  if (!pool) {
    const admitted = admit(userId === undefined ? null : await findRole(db, tenantId, userId));
    return db.transaction(async (tx) => {
      await tx.execute(sql.raw(tenantSettings(tenantId)));
      return fn(tx, admitted);
    });
  }
  const roleLookup = userId === undefined ? '' : `select role from memberships where tenant_id = '${tenantId}' and user_id = '${userId}'; `;
  return inPgTransaction(db, pool, `begin; ${roleLookup}${tenantSettings(tenantId)}`, async (tx, results) => {
    const role = userId === undefined ? null : ((results[1].rows[0]?.role as Role | undefined) ?? null);
    return fn(tx, admit(role));
  });
}

/**
 * Runs `fn` in a transaction with the connection's own rights. Reserved for work that is not
 * scoped to one tenant: provisioning a tenant at sign-up, resolving memberships, accepting an
 * invite by token, and auth events. Every query here filters by user or token explicitly.
 */
export async function inSystemTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

/** The caller's role in the tenant, read on the system path with the tenant and user in the query itself. */
export async function findRole(db: Db, tenantId: string, userId: string): Promise<Role | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}

type PgSessionParts = { client: unknown; schema: ConstructorParameters<typeof NodePgSession>[2]; options: object; dialect: PgDialect };

/** The pool behind a node-postgres drizzle instance; null on PGlite. */
function nodePgPool(db: Db): pg.Pool | null {
  const { client } = db._.session as unknown as PgSessionParts;
  return client instanceof pg.Pool ? client : null;
}

/**
 * drizzle's own pool transaction, less two round trips: `setup` (which starts with BEGIN) is sent
 * as one simple query and COMMIT goes straight to the connection. The transaction object is the one
 * drizzle builds for `db.transaction`, so handlers (and their savepoints) behave the same.
 */
async function inPgTransaction<T>(db: Db, pool: pg.Pool, setup: string, fn: (tx: Tx, results: pg.QueryResult[]) => Promise<T>): Promise<T> {
  const parts = db._.session as unknown as PgSessionParts;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const session = new NodePgSession(client, parts.dialect, parts.schema, parts.options);
    const tx = new NodePgTransaction(parts.dialect, session, parts.schema) as unknown as Tx;
    try {
      const results = (await client.query(setup)) as unknown as pg.QueryResult[];
      const result = await fn(tx, results);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch((err: Error) => void (broken = err));
      throw error;
    }
  } finally {
    // A connection that could not even roll back is closed rather than handed to the next caller.
    client.release(broken);
  }
}
