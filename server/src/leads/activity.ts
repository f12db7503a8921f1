import { count, eq, gte, sql } from 'drizzle-orm';
import { leadStatuses } from '@optarget/shared';
import { leads, lists } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';

const scoreBands = [
  { band: '0-24', min: 0, max: 24 },
  { band: '25-49', min: 25, max: 49 },
  { band: '50-74', min: 50, max: 74 },
  { band: '75-100', min: 75, max: 100 },
] as const;

/** The numbers on the dashboard, from one pass over the tenant's leads plus a list count. */
export async function findDashboard(tx: Tx, tenantId: string) {
  const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000);
  const byStatusRows = await tx
    .select({ status: leads.status, n: count() })
    .from(leads)
    .where(eq(leads.tenantId, tenantId))
    .groupBy(leads.status);
  const [totals] = await tx
    .select({
      total: count(),
      newThisWeek: sql<number>`count(*) filter (where ${gte(leads.createdAt, weekAgo)})`.mapWith(Number),
      ...Object.fromEntries(
        scoreBands.map((b) => [b.band, sql<number>`count(*) filter (where ${leads.score} between ${b.min} and ${b.max})`.mapWith(Number)]),
      ),
    })
    .from(leads)
    .where(eq(leads.tenantId, tenantId));
  const [listCount] = await tx.select({ n: count() }).from(lists).where(eq(lists.tenantId, tenantId));
  const band = totals as unknown as Record<string, number>;
  return {
    totalLeads: totals.total,
    newThisWeek: totals.newThisWeek,
    byStatus: leadStatuses.map((status) => ({ status, count: byStatusRows.find((r) => r.status === status)?.n ?? 0 })),
    byScoreBand: scoreBands.map((b) => ({ band: b.band, count: band[b.band] })),
    lists: listCount.n,
  };
}
