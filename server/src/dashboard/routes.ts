import type { FastifyInstance } from 'fastify';
import { OutreachQuery, OutreachStats, TenantParams } from '@optarget/shared';
import { tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { findOutreachStats } from './outreach.js';

export function registerDashboardRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/dashboard/outreach',
    summary:
      'WhatsApp outreach over the last 7, 30 or 90 days: leads messaged, delivered, replied, failed, opted out, awaiting a reply and whose report was viewed (each the `outreach` filter of the lead table), rates and daily results',
    tags: ['dashboard'],
    permission: 'data.read',
    schema: { params: TenantParams, querystring: OutreachQuery, response: { 200: OutreachStats } },
    handler: ({ tx, tenantId }, { query }) => findOutreachStats(tx, tenantId, query),
  });
}
