import { eq } from 'drizzle-orm';
import type { PlanCode } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { plans, tenants } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit, type AuditActor } from '../audit/record.js';
import { countUsage, limitOf, lockTenantPlan, metricLabel, type PlanRow } from './limits.js';

/** Limits a tenant must already fit in before moving to a plan; monthly counters simply start counting against the new limit. */
const storedMetrics = ['seats', 'leads'] as const;

/**
 * Moves the tenant to `planCode`. A downgrade that the tenant's current seats or stored leads
 * would overflow is refused before anything changes; choosing the current plan changes nothing.
 */
export async function changeTenantPlan(tx: Tx, tenantId: string, planCode: PlanCode, actor: AuditActor): Promise<PlanRow> {
  const current = await lockTenantPlan(tx, tenantId);
  if (current.code === planCode) return current;
  const [next] = await tx.select().from(plans).where(eq(plans.code, planCode));
  if (!next) throw new AppError('NOT_FOUND', `There is no plan called "${planCode}".`);

  for (const metric of storedMetrics) {
    const limit = limitOf(next, metric);
    const used = await countUsage(tx, tenantId, metric);
    if (used > limit) {
      throw new AppError(
        'PLAN_LIMIT_EXCEEDED',
        `The ${next.name} plan includes ${limit} ${metricLabel[metric]}, but this organization has ${used}. Bring ${metricLabel[metric]} down to ${limit} before switching.`,
        { metric, limit, used, planCode: next.code },
      );
    }
  }

  await tx.update(tenants).set({ planCode: next.code }).where(eq(tenants.id, tenantId));
  await recordAudit(tx, tenantId, actor, {
    action: 'plan.changed',
    targetType: 'tenant',
    targetId: tenantId,
    metadata: { before: { planCode: current.code }, after: { planCode: next.code } },
  });
  return next;
}
