import { and, eq, gte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { outreachFilters, type OutreachDay, type OutreachFilter, type OutreachQuery, type OutreachStats } from '@optarget/shared';
import { leads, reportViews, whatsappMessages } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { outreachCondition, repliedTo, SENT_OUT } from '../leads/outreach-filter.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const o = alias(whatsappMessages, 'o');
const int = (expr: SQL) => sql<number>`(${expr})::int`.mapWith(Number);

/** Midnight UTC `days - 1` days ago: the period covers today and the days before it. */
export function periodStart(days: number, now = new Date()): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

/** The outreach dashboard: leads per outreach filter, the rates, report views and the daily results, for one tenant. */
export async function findOutreachStats(tx: Tx, tenantId: string, query: OutreachQuery): Promise<OutreachStats> {
  const from = periodStart(query.days);
  const fromIso = from.toISOString();
  const counts = Object.fromEntries(
    outreachFilters.map((kind) => [kind, int(sql`count(*) filter (where ${outreachCondition(tenantId, kind, fromIso)})`)]),
  ) as Record<OutreachFilter, SQL.Aliased<number> | SQL<number>>;
  const [byLead] = await tx.select(counts).from(leads).where(eq(leads.tenantId, tenantId));
  const [views] = await tx
    .select({ n: int(sql`count(*)`) })
    .from(reportViews)
    .where(and(eq(reportViews.tenantId, tenantId), gte(reportViews.viewedAt, from)));
  const rate = (part: number) => (byLead.messaged > 0 ? part / byLead.messaged : null);
  return {
    from: fromIso,
    days: query.days,
    leads: byLead,
    deliveryRate: rate(byLead.delivered),
    replyRate: rate(byLead.replied),
    reportViews: views.n,
    series: await outreachResultsByDay(tx, tenantId, from),
  };
}

/**
 * Messages sent per UTC day since `from`, with how many were delivered, read, failed and replied
 * to, every day present (zeros included). `scope` narrows the messages (a condition on `o`, the
 * message): campaign stats pass their campaign's messages to get the same series for them.
 */
export async function outreachResultsByDay(tx: Tx, tenantId: string, from: Date, scope: SQL = sql`true`): Promise<OutreachDay[]> {
  const day = sql<string>`to_char((${o.createdAt} at time zone 'UTC')::date, 'YYYY-MM-DD')`;
  const rows = await tx
    .select({
      day,
      sent: int(sql`count(*)`),
      delivered: int(sql`count(*) filter (where ${o.status} in ('DELIVERED', 'READ'))`),
      read: int(sql`count(*) filter (where ${o.status} = 'READ')`),
      failed: int(sql`count(*) filter (where ${o.status} = 'FAILED')`),
      replied: int(sql`count(*) filter (where ${repliedTo(tenantId)})`),
    })
    .from(o)
    .where(and(eq(o.tenantId, tenantId), SENT_OUT, gte(o.createdAt, from), scope))
    .groupBy(day);
  const found = new Map(rows.map((r) => [r.day, r]));
  const out: OutreachDay[] = [];
  for (let t = from.getTime(); t <= Date.now(); t += DAY_MS) {
    const key = new Date(t).toISOString().slice(0, 10);
    out.push(found.get(key) ?? { day: key, sent: 0, delivered: 0, read: 0, failed: 0, replied: 0 });
  }
  return out;
}
