import { and, eq, sql, type SQL } from 'drizzle-orm';
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import type { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { isUuid, roles, type Role } from '@optarget/shared';
import type { Db } from './client.js';
import { withTurnsBetweenStatements } from './embedded.js';
import { toLiteralSql } from './literal-sql.js';
import { isReadTimeout } from './unavailable.js';
import { memberships } from './schema/index.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

// The tenant, the non-owner role, and no parallel workers — these are short indexed queries,
// where a parallel plan only adds start-up cost under concurrency. All three vanish at commit.
// enter_tenant (migration 0009_tenant_entry) makes the same three for a request by a user.
const tenantSettings = (tenantId: string) =>
  `select set_config('app.tenant_id', '${tenantId}', true), set_config('role', 'optarget_app', true), set_config('max_parallel_workers_per_gather', '0', true)`;

/**
 * The caller's role in the tenant, read with the connection's own rights, and the settings, the
 * tenant named only when that role is one of `admitted` (see migration 0009_tenant_entry). The
 * roles come from the code, the ids are checked UUIDs.
 */
const enterTenant = (tenantId: string, userId: string, admitted: readonly Role[]) =>
  `select enter_tenant('${tenantId}', '${userId}', '{${admitted.join(',')}}') as role`;

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
  if (!isUuid(tenantId) || (userId !== undefined && !isUuid(userId))) throw new Error('tenant and user ids must be UUIDs');
  const pool = nodePgPool(db);
  if (!pool) {
    const inTransaction = async () => {
      const admitted = admit(userId === undefined ? null : await findRole(db, tenantId, userId));
      return db.transaction(async (tx) => {
        await tx.execute(sql.raw(tenantSettings(tenantId)));
        return fn(tx, admitted);
      });
    };
    return userId === undefined ? inTransaction() : asUrgent(db, inTransaction);
  }
  // A member's role is handed to `admit`, which refuses before `fn` runs, so the tenant is named for every role here.
  const entry = userId === undefined ? tenantSettings(tenantId) : enterTenant(tenantId, userId, roles);
  return inPgTransaction(db, pool, `begin; ${entry}`, async (tx, results) => {
    const role = userId === undefined ? null : roleIn(results[1]);
    return fn(tx, admit(role));
  });
}

/**
 * One SELECT in the tenant for a request by `userId`, whose role must be one of `roles` (the policy
 * table's answer for the route's permission). On node-postgres it is one round trip, where a read
 * in a transaction of its own takes three: BEGIN, the caller's role and the settings, the SELECT and
 * COMMIT go as one multi-statement query (the settings, local to the transaction, hold for the
 * SELECT and vanish at COMMIT). Such a query takes no parameters, so the SELECT's are written into
 * it as quoted literals (see toLiteralSql).
 *
 * BEGIN and COMMIT are spelled out although PostgreSQL would run the statements as one transaction
 * without them, because the server does less work that way (docs/decisions.md). A failing statement then leaves the
 * transaction open and aborted, so it is rolled back before the connection goes back to the pool.
 *
 * The SELECT runs before the caller sees the role, so the tenant setting names the path's tenant
 * only when the role read in the same statement is admitted; for anyone else it names no tenant,
 * and row-level security shows the SELECT no rows at all. The caller still checks the returned
 * role against the policy (404 / 403); `rows` is empty whenever that check would refuse.
 */
export async function selectAsMember<Row>(
  db: Db,
  access: { tenantId: string; userId: string; roles: readonly Role[] },
  query: SQL,
): Promise<{ role: Role | null; rows: Row[] }> {
  const { tenantId, userId, roles } = access;
  if (!isUuid(tenantId) || !isUuid(userId)) throw new Error('tenant and user ids must be UUIDs');
  const pool = nodePgPool(db);
  if (!pool)
    return asUrgent(db, async () => {
      const role = await findRole(db, tenantId, userId);
      if (!role || !roles.includes(role)) return { role, rows: [] };
      return { role, rows: await inTenantTransaction(db, tenantId, async (tx) => (await tx.execute(query)).rows as Row[]) };
    });
  const text = `begin;\n${enterTenant(tenantId, userId, roles)};\n${toLiteralSql(query)};\ncommit`;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const [, settings, select] = (await queryOnClient(client, { text, types: textTimes })) as unknown as pg.QueryResult[];
    return { role: roleIn(settings), rows: select.rows as Row[] };
  } catch (error) {
    broken = await rollBack(client, error);
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Statements run in order in one transaction in the tenant, as inTenantTransaction runs them, for
 * bookkeeping that must not wait on round trips (a job's start, progress and end): on node-postgres
 * BEGIN, the settings, the statements and COMMIT travel as one multi-statement query, their values
 * written in as literals (see toLiteralSql). Returns each statement's rows.
 * - `afterCommitOnPostgres` runs after COMMIT in the same round trip, in a transaction of its own
 *   (a NOTIFY there keeps its commit-time lock off this transaction's commit);
 * - `waitForFlush: false` commits without waiting for the write-ahead log to reach the disk: only for
 *   writes whose loss in a crash of PostgreSQL itself the caller recovers from.
 */
export async function inTenantStatements(
  db: Db,
  tenantId: string,
  queries: readonly SQL[],
  opts: { afterCommitOnPostgres?: SQL | null; waitForFlush?: boolean } = {},
): Promise<Record<string, unknown>[][]> {
  if (!isUuid(tenantId)) throw new Error('tenant ids must be UUIDs');
  const setup = opts.waitForFlush === false ? [noFlushWait] : [];
  const pool = nodePgPool(db);
  if (!pool)
    return inTenantTransaction(db, tenantId, async (tx) => {
      const rows: Record<string, unknown>[][] = [];
      for (const query of [...setup, ...queries]) rows.push((await tx.execute(query)).rows);
      return rows.slice(setup.length);
    });
  const after = opts.afterCommitOnPostgres ? `;\n${toLiteralSql(opts.afterCommitOnPostgres)}` : '';
  const statements = [...setup, ...queries].map((q) => `${toLiteralSql(q)};\n`).join('');
  const text = `begin;\n${tenantSettings(tenantId)};\n${statements}commit${after}`;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = (await queryOnClient(client, { text, types: textTimes })) as unknown as pg.QueryResult[];
    const first = 2 + setup.length;
    return results.slice(first, first + queries.length).map((r) => r.rows as Record<string, unknown>[]);
  } catch (error) {
    broken = await rollBack(client, error);
    throw error;
  } finally {
    client.release(broken);
  }
}

const noFlushWait = sql`select set_config('synchronous_commit', 'off', true)`;

/** The member's role as the statement entering the tenant read it (null: not a member). */
const roleIn = (result: pg.QueryResult): Role | null => (result.rows as { role: Role | null }[])[0]?.role ?? null;

// As drizzle reads them: times stay PostgreSQL's text, which the answers turn into ISO strings.
const keepText = (value: string) => value;
const timeTypes = new Set<number>([
  pg.types.builtins.TIMESTAMPTZ,
  pg.types.builtins.TIMESTAMP,
  pg.types.builtins.DATE,
  pg.types.builtins.INTERVAL,
]);
const textTimes = {
  getTypeParser: (oid: number, format?: string) =>
    timeTypes.has(oid) ? keepText : (pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown),
};

/**
 * Runs `fn` in a transaction with the connection's own rights. Reserved for work that is not
 * scoped to one tenant: provisioning a tenant at sign-up, resolving memberships, accepting an
 * invite by token, and auth events. Every query here filters by user or token explicitly.
 */
export async function inSystemTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const pool = nodePgPool(db);
  if (pool) return inPgTransaction(db, pool, 'begin', (tx) => fn(tx));
  return db.transaction(fn);
}

/**
 * Work someone is waiting on goes before this process's jobs. The embedded database takes one
 * transaction at a time, in turn: a job writing batch after batch would put a request's queries
 * behind one of its transactions for each step of the request (the role, then the transaction), so
 * there members' requests count as urgent. On either database a webhook delivery does, whose sender
 * wants its answer at once while applying it can wait a moment. `inBackground` holds a job's next
 * transaction while urgent work is in progress (and for the pause after it that the work asked
 * for), but no longer than URGENT_FIRST_MS, so that a steady stream of it cannot stall jobs.
 */
type UrgentGate = { inProgress: number; quietFrom: number; waiting: Set<() => void>; recheck?: NodeJS.Timeout };
const urgentGates = new WeakMap<Db, UrgentGate>();
const URGENT_FIRST_MS = 1000;

/**
 * Runs `work` as urgent: this process's jobs start no transaction on `db` until it is done and,
 * with `pauseAfterMs`, until no urgent work has come for that long (work that arrives in bursts).
 */
export async function asUrgent<T>(db: Db, work: () => Promise<T>, options: { pauseAfterMs?: number } = {}): Promise<T> {
  let gate = urgentGates.get(db);
  if (!gate) urgentGates.set(db, (gate = { inProgress: 0, quietFrom: 0, waiting: new Set() }));
  gate.inProgress++;
  try {
    return await work();
  } finally {
    gate.inProgress--;
    gate.quietFrom = Math.max(gate.quietFrom, performance.now() + (options.pauseAfterMs ?? 0));
    releaseWhenQuiet(gate);
  }
}

/** Whether a job starting a transaction now would run beside urgent work (it may then do less per transaction). */
export function urgentWorkInProgress(db: Db): boolean {
  const gate = urgentGates.get(db);
  return gate !== undefined && !isQuiet(gate);
}

const isQuiet = (gate: UrgentGate) => gate.inProgress === 0 && performance.now() >= gate.quietFrom;

function releaseWhenQuiet(gate: UrgentGate) {
  if (gate.inProgress > 0 || gate.waiting.size === 0 || gate.recheck) return;
  const left = gate.quietFrom - performance.now();
  if (left > 0) {
    gate.recheck = setTimeout(() => {
      gate.recheck = undefined;
      releaseWhenQuiet(gate);
    }, left);
    return;
  }
  const release = [...gate.waiting];
  gate.waiting.clear();
  for (const go of release) go();
}

/**
 * `work` as background work (a job's): it starts once no urgent work is in progress in this
 * process (see asUrgent), and on the embedded database the event loop turns between its statements.
 */
export async function inBackground<T>(db: Db, work: () => Promise<T>): Promise<T> {
  await afterUrgentWork(db);
  return withTurnsBetweenStatements(work);
}

/** Resolves once urgent work is done and its pause over, or after URGENT_FIRST_MS. */
function afterUrgentWork(db: Db): Promise<void> {
  const gate = urgentGates.get(db);
  if (!gate || isQuiet(gate)) return Promise.resolve();
  return new Promise((resolve) => {
    const go = () => {
      clearTimeout(timer);
      gate.waiting.delete(go);
      resolve();
    };
    const timer = setTimeout(go, URGENT_FIRST_MS);
    gate.waiting.add(go);
    releaseWhenQuiet(gate);
  });
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
 * drizzle's own pool transaction, made here so that every query in it goes through queryOnClient
 * and `setup` (BEGIN, for a tenant with the role lookup and settings) travels as one simple query,
 * COMMIT straight to the connection. The transaction object is the one drizzle builds for
 * `db.transaction`, so handlers (and their savepoints) behave the same.
 */
async function inPgTransaction<T>(db: Db, pool: pg.Pool, setup: string, fn: (tx: Tx, results: pg.QueryResult[]) => Promise<T>): Promise<T> {
  const parts = db._.session as unknown as PgSessionParts;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const session = new NodePgSession(new CallbackQueries(client) as unknown as pg.PoolClient, parts.dialect, parts.schema, parts.options);
    const tx = new NodePgTransaction(parts.dialect, session, parts.schema) as unknown as Tx;
    try {
      const results = (await queryOnClient(client, { text: setup })) as unknown as pg.QueryResult[];
      const result = await fn(tx, results);
      await queryOnClient(client, { text: 'commit' });
      return result;
    } catch (error) {
      broken = await rollBack(client, error);
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

/**
 * Rolls back after a failure. Returns why the connection must be closed rather than handed to the
 * next caller: it was lost, it could not even roll back, or a statement that outlived the read
 * timeout may still be running on it (its ROLLBACK would only queue behind it).
 */
async function rollBack(client: pg.PoolClient, failure: unknown): Promise<Error | undefined> {
  if (isReadTimeout(failure)) return failure as Error;
  return queryOnClient(client, { text: 'rollback' }).then(
    () => undefined,
    (error: Error) => error,
  );
}

/**
 * A query on a checked-out client through node-postgres's callback form, wrapped in a promise of
 * our own, as `pool.query` makes its queries: node-postgres's promise form keeps a page read's
 * answers alive into V8's old generation, which slows collection under load (docs/decisions.md).
 */
function queryOnClient(client: pg.PoolClient, config: pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
  return new Promise<pg.QueryResult>((resolve, reject) => {
    client.query(values === undefined ? config : { ...config, values }, (error: Error | null, result: pg.QueryResult) =>
      error ? reject(error) : resolve(result),
    );
  }).catch((error: Error) => {
    // As node-postgres does: the stack then leads back to the code that sent the query, not to the socket.
    Error.captureStackTrace(error);
    throw error;
  });
}

/** A checked-out client as drizzle's session sees it (it only calls `query`), its queries made by queryOnClient. */
class CallbackQueries {
  constructor(private readonly client: pg.PoolClient) {}

  query(config: pg.QueryConfig | string, values?: unknown[]): Promise<pg.QueryResult> {
    return queryOnClient(this.client, typeof config === 'string' ? { text: config } : config, values);
  }
}
