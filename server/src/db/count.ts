import { sql, type SQLWrapper } from 'drizzle-orm';
import type { RowCount } from '@optarget/shared';
import type { Tx } from './transactions.js';

/** Counting stops here; beyond it the planner's estimate answers at once however many rows match. */
export const EXACT_COUNT_LIMIT = 10_000;

/**
 * How many rows `matching` (a SELECT of the rows a table shows, without cursor or limit) returns:
 * exact up to EXACT_COUNT_LIMIT, above that the planner's estimate marked `exact: false`.
 */
export async function countRows(tx: Tx, matching: SQLWrapper): Promise<RowCount> {
  const counted = await tx.execute(sql`select count(*)::int as n from (${matching} limit ${EXACT_COUNT_LIMIT + 1}) as bounded`);
  const n = Number((counted.rows[0] as { n: number }).n);
  if (n <= EXACT_COUNT_LIMIT) return { count: n, exact: true };
  const plan = await tx.execute(sql`explain (format json) ${matching}`);
  const estimate = Number(planRows(plan.rows[0]));
  // The estimate is only ever shown as "about"; it never undercuts what was counted.
  return { count: Math.max(EXACT_COUNT_LIMIT + 1, Math.round(estimate) || 0), exact: false };
}

/** `Plan Rows` of EXPLAIN's JSON, which node-postgres hands over parsed and PGlite as text. */
function planRows(row: unknown): number {
  const value = (row as Record<string, unknown>)['QUERY PLAN'];
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as { Plan: { 'Plan Rows': number } }[];
  return parsed[0].Plan['Plan Rows'];
}

/** A table's total for the page a cursor names: counted for the first page only, whose total later pages keep. */
export function firstPageTotal(tx: Tx, cursor: string | undefined, matching: () => SQLWrapper): Promise<RowCount | null> {
  return cursor ? Promise.resolve(null) : countRows(tx, matching());
}
