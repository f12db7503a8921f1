import type { FastifyInstance } from 'fastify';
import { asc } from 'drizzle-orm';
import { ChangePlanBody, Plan, PlanCatalogue, TenantParams, Usage, usageMetrics } from '@optarget/shared';
import { plans } from '../db/schema/index.js';
import { publicRoute, tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { changeTenantPlan } from './change-plan.js';
import { countUsage, currentPeriod, findTenantPlan, isMonthly, limitOf } from './limits.js';
import { toPlanDto } from './plan-dto.js';

const tags = ['plans'];

export function registerPlanRoutes(app: FastifyInstance, services: Services) {
  publicRoute(app, services, {
    method: 'GET',
    url: '/api/v1/plans',
    summary: 'The plan catalogue, cheapest first',
    tags,
    schema: { response: { 200: PlanCatalogue } },
    handler: async () => {
      const rows = await services.db.select().from(plans).orderBy(asc(plans.sortOrder));
      return { items: rows.map(toPlanDto) };
    },
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/plan',
    summary: "The tenant's current plan",
    tags,
    permission: 'tenant.read',
    schema: { params: TenantParams, response: { 200: Plan } },
    handler: async ({ tx, tenantId }) => toPlanDto(await findTenantPlan(tx, tenantId)),
  });

  tenantRoute(app, services, {
    method: 'PUT',
    url: '/api/v1/tenants/:tenantId/plan',
    summary: 'Change the plan (owner only); a downgrade the tenant does not fit in is refused with 402',
    tags,
    permission: 'plan.change',
    schema: { params: TenantParams, body: ChangePlanBody, response: { 200: Plan } },
    handler: async ({ tx, tenantId, actor }, { body }) => toPlanDto(await changeTenantPlan(tx, tenantId, body.planCode, actor)),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/usage',
    summary: "This month's usage against the plan's limits",
    tags,
    permission: 'usage.read',
    schema: { params: TenantParams, response: { 200: Usage } },
    handler: async ({ tx, tenantId }) => {
      const plan = await findTenantPlan(tx, tenantId);
      const period = currentPeriod();
      const metrics = [];
      for (const metric of usageMetrics) {
        metrics.push({
          metric,
          used: await countUsage(tx, tenantId, metric, period),
          limit: limitOf(plan, metric),
          monthly: isMonthly(metric),
        });
      }
      return { period, plan: toPlanDto(plan), metrics };
    },
  });
}
