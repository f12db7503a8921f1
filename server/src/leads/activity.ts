import { and, count, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { leadStatuses } from '@optarget/shared';
import { auditLogs, leadMerges, leads, lists, reportViews, reports, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';

const MAX_ITEMS = 100;

/**
 * The lead's own audit entries, the list changes that named it and the views of its shared reports
 * (`report.viewed`), newest first (bulk actions are recorded once per action, not per lead).
 */
export async function findLeadActivity(tx: Tx, tenantId: string, leadId: string) {
  // A lead merged into this one brought its history along.
  const merged = await tx
    .select({ id: leadMerges.mergedLeadId })
    .from(leadMerges)
    .where(and(eq(leadMerges.tenantId, tenantId), eq(leadMerges.keptLeadId, leadId), isNull(leadMerges.undoneAt)));
  const ids = [leadId, ...merged.map((m) => m.id)];
  const rows = await tx
    .select({ entry: auditLogs, actorName: users.name })
    .from(auditLogs)
    .leftJoin(users, eq(users.id, auditLogs.actorUserId))
    .where(
      and(
        eq(auditLogs.tenantId, tenantId),
        or(
          and(eq(auditLogs.targetType, 'lead'), inArray(auditLogs.targetId, ids)),
          and(
            eq(auditLogs.targetType, 'list'),
            inArray(auditLogs.action, ['list.leads_added', 'list.leads_removed']),
            or(...ids.map((id) => sql`${auditLogs.metadata} -> 'leadIds' @> to_jsonb(${id}::text)`)),
          ),
        ),
      ),
    )
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
    .limit(MAX_ITEMS);
  const views = await tx
    .select({ id: reportViews.id, reportId: reportViews.reportId, device: reportViews.device, viewedAt: reportViews.viewedAt })
    .from(reportViews)
    .innerJoin(reports, eq(reports.id, reportViews.reportId))
    .where(and(eq(reportViews.tenantId, tenantId), eq(reports.leadId, leadId)))
    .orderBy(desc(reportViews.viewedAt))
    .limit(MAX_ITEMS);
  const items = [
    ...rows.map(({ entry, actorName }) => ({
      id: entry.id,
      action: entry.action,
      actorName: actorName ?? entry.actorEmail,
      metadata: entry.metadata,
      at: entry.createdAt,
    })),
    ...views.map((v) => ({
      id: v.id,
      action: 'report.viewed',
      actorName: null,
      metadata: { reportId: v.reportId, device: v.device },
      at: v.viewedAt,
    })),
  ];
  items.sort((a, b) => b.at.getTime() - a.at.getTime());
  return { items: items.slice(0, MAX_ITEMS).map(({ at, ...item }) => ({ ...item, createdAt: at.toISOString() })) };
}

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
