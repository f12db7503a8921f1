import { sql } from 'drizzle-orm';
import type { LeadCount, LeadFilter } from '@optarget/shared';
import { leads } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { leadConditions } from './query.js';

/** Counting stops here; beyond it the planner's estimate answers at once however many rows match. */
export const EXACT_COUNT_LIMIT = 10_000;

/** The number of the tenant's leads matching the filter, as the table's total and bulk confirmations show it. */
export async function countLeads(tx: Tx, tenantId: string, filter: LeadFilter): Promise<LeadCount> {
  const where = leadConditions(tenantId, filter);
  const counted = await tx.execute(
    sql`select count(*)::int as n from (select 1 from ${leads} where ${where} limit ${EXACT_COUNT_LIMIT + 1}) as bounded`,
  );
  const n = Number((counted.rows[0] as { n: number }).n);
  if (n <= EXACT_COUNT_LIMIT) return { count: n, exact: true };
  const plan = await tx.execute(sql`explain (format json) select 1 from ${leads} where ${where}`);
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
