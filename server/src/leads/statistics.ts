import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';

const FIRST_ANALYZE_AT = 1000;
/**
 * The embedded database analyses in the server's own thread, where a request waits for it: there
 * a sample of 3,000 rows (300 × this target) is read instead of 30,000, which is enough for the
 * planner to see that the tenant has many leads and to choose the lookups' indexes.
 */
const EMBEDDED_STATISTICS_TARGET = 10;

/**
 * Refreshes the planner's statistics of `leads` while a tenant's lead count grows fast (an import),
 * each time its new leads have doubled. Until autovacuum catches up the planner believes a new
 * tenant has no leads, and then answers the dedupe lookups of every batch by reading all the
 * tenant's leads through whichever tenant index comes first, which makes an import quadratic.
 * Only the columns those lookups filter on are analysed: ANALYZE reads a sample sized by the
 * largest statistics target among its columns, and search_text's is three times the default
 * (migration 0010), which on a table of two million leads took 1.5 s instead of 0.2 s.
 */
export function keepLeadStatisticsFresh({ db, driver }: Database) {
  let analyzedAt = 0;
  const analyze = sql`analyze leads (tenant_id, source, source_id, phone, domain)`;
  return async (createdSoFar: number) => {
    if (createdSoFar < FIRST_ANALYZE_AT || createdSoFar < 2 * analyzedAt) return;
    analyzedAt = createdSoFar;
    if (driver === 'postgres') {
      await db.execute(analyze);
      return;
    }
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local default_statistics_target = ${EMBEDDED_STATISTICS_TARGET}`));
      await tx.execute(analyze);
    });
  };
}
