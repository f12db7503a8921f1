import { sql } from 'drizzle-orm';
import type { Db } from './client.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Runs `fn` in a transaction as the non-owner `optarget_app` role with `app.tenant_id` set,
 * so row-level security hides every other tenant's rows even if a query forgets its filter.
 * Both settings are transaction-local and vanish at commit.
 */
export async function inTenantTransaction<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // One round trip: the tenant, the non-owner role, and no parallel workers — these are short
    // indexed queries, where a parallel plan only adds start-up cost under concurrency.
    await tx.execute(
      sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', 'optarget_app', true), set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    return fn(tx);
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
