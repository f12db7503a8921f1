import { and, count, eq, gt, isNull, sql } from 'drizzle-orm';
import type { UsageMetric } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { invites, leads, memberships, plans, tenants, usageCounters } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';

export type PlanRow = typeof plans.$inferSelect;

export const currentPeriod = (now = new Date()) => now.toISOString().slice(0, 7);

const monthlyMetrics = ['searches', 'enrichments', 'reports', 'whatsappMessages'] as const satisfies readonly UsageMetric[];
type MonthlyMetric = (typeof monthlyMetrics)[number];

export const isMonthly = (m: UsageMetric): m is MonthlyMetric => (monthlyMetrics as readonly string[]).includes(m);

export function limitOf(plan: PlanRow, metric: UsageMetric): number {
  switch (metric) {
    case 'seats':
      return plan.seats;
    case 'leads':
      return plan.leadsStored;
    case 'searches':
      return plan.searchesPerMonth;
    case 'enrichments':
      return plan.enrichmentsPerMonth;
    case 'reports':
      return plan.reportsPerMonth;
    case 'whatsappMessages':
      return plan.whatsappMessagesPerMonth;
  }
}

export async function findTenantPlan(tx: Tx, tenantId: string): Promise<PlanRow> {
  const [row] = await tx
    .select({ plan: plans })
    .from(tenants)
    .innerJoin(plans, eq(plans.code, tenants.planCode))
    .where(eq(tenants.id, tenantId));
  return row.plan;
}

/**
 * Like findTenantPlan, but holds the tenant row until the transaction ends, so checks against a
 * limit and plan changes of one tenant take turns: two concurrent invites cannot both take the
 * last seat, and a downgrade cannot slip past an invite that is being created.
 */
export async function lockTenantPlan(tx: Tx, tenantId: string): Promise<PlanRow> {
  const [row] = await tx
    .select({ plan: plans })
    .from(tenants)
    .innerJoin(plans, eq(plans.code, tenants.planCode))
    .where(eq(tenants.id, tenantId))
    .for('update', { of: tenants });
  return row.plan;
}

/** Seats are members plus open invitations: an invite reserves its seat until it is accepted, revoked or expires. */
export async function countSeats(tx: Tx, tenantId: string): Promise<number> {
  const [m] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.tenantId, tenantId));
  const [i] = await tx
    .select({ n: count() })
    .from(invites)
    .where(and(eq(invites.tenantId, tenantId), isNull(invites.acceptedAt), isNull(invites.revokedAt), gt(invites.expiresAt, new Date())));
  return m.n + i.n;
}

export async function countUsage(tx: Tx, tenantId: string, metric: UsageMetric, period = currentPeriod()): Promise<number> {
  if (metric === 'seats') return countSeats(tx, tenantId);
  if (metric === 'leads') {
    const [r] = await tx.select({ n: count() }).from(leads).where(eq(leads.tenantId, tenantId));
    return r.n;
  }
  const [r] = await tx
    .select({ n: usageCounters.count })
    .from(usageCounters)
    .where(and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.period, period), eq(usageCounters.metric, metric)));
  return r?.n ?? 0;
}

export const metricLabel: Record<UsageMetric, string> = {
  seats: 'seats',
  leads: 'stored leads',
  searches: 'searches this month',
  enrichments: 'enrichments this month',
  reports: 'reports this month',
  whatsappMessages: 'WhatsApp messages this month',
};

/** Refuses with 402 before any work starts when `adding` more would pass the plan's limit. */
export async function assertWithinPlan(tx: Tx, tenantId: string, metric: UsageMetric, adding = 1) {
  const plan = await lockTenantPlan(tx, tenantId);
  const limit = limitOf(plan, metric);
  const used = await countUsage(tx, tenantId, metric);
  if (used + adding > limit) {
    throw new AppError(
      'PLAN_LIMIT_EXCEEDED',
      `The ${plan.name} plan includes ${limit} ${metricLabel[metric]}; ${used} are in use. Upgrade the plan or free some up.`,
      { metric, limit, used, planCode: plan.code },
    );
  }
  return { plan, limit, used };
}

/** Adds to this month's counter of a monthly metric (searches, enrichments, reports, messages). */
export async function incrementUsage(tx: Tx, tenantId: string, metric: MonthlyMetric, by = 1) {
  const period = currentPeriod();
  await tx
    .insert(usageCounters)
    .values({ tenantId, period, metric, count: by })
    .onConflictDoUpdate({
      target: [usageCounters.tenantId, usageCounters.period, usageCounters.metric],
      set: { count: sql`${usageCounters.count} + ${by}` },
    });
}
