import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Tx } from '../db/transactions.js';
import { rateCounters } from '../db/schema/index.js';

export type Hit = { count: number; retryAfterSeconds: number };

/**
 * Counts one more event under `key` in a fixed window of `windowMs` and answers the count so far,
 * in one statement: concurrent hits on the same key wait for each other's row lock, so each sees
 * its own number and no two callers can both believe they were under a limit.
 */
export async function hitCounter(db: Db | Tx, key: string, windowMs: number): Promise<Hit> {
  const expired = sql`${rateCounters.resetsAt} <= now()`;
  const [row] = await db
    .insert(rateCounters)
    .values({ key, count: 1, resetsAt: sql`now() + make_interval(secs => ${windowMs / 1000})` })
    .onConflictDoUpdate({
      target: rateCounters.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateCounters.count} + 1 end`,
        resetsAt: sql`case when ${expired} then excluded.resets_at else ${rateCounters.resetsAt} end`,
      },
    })
    .returning({
      count: rateCounters.count,
      retryAfterSeconds: sql<number>`greatest(1, ceil(extract(epoch from ${rateCounters.resetsAt} - now())))::int`,
    });
  if (Math.random() < 0.01) await db.delete(rateCounters).where(lte(rateCounters.resetsAt, sql`now() - interval '1 hour'`));
  return row;
}

/** Takes back one hit that turned out not to count (the window is left as it is). */
export async function unhitCounter(db: Db | Tx, key: string) {
  await db
    .update(rateCounters)
    .set({ count: sql`greatest(${rateCounters.count} - 1, 0)` })
    .where(and(eq(rateCounters.key, key), gt(rateCounters.resetsAt, sql`now()`)));
}

export async function resetCounters(db: Db | Tx, keys: string[]) {
  for (const key of keys) await db.delete(rateCounters).where(eq(rateCounters.key, key));
}
