import type { FastifyInstance } from 'fastify';
import { CategoryQuery, CategorySuggestionList, Job, ProspectSearchInput, TenantParams } from '@optarget/shared';
import { tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { startedJobDto } from '../jobs/service.js';
import { startJob } from '../jobs/start.js';
import { suggestCategories } from './categories.js';

export function registerProspectingRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/searches',
    rateLimit: 'jobStart',
    summary: 'Start a prospect search (a PROSPECT_SEARCH job)',
    tags: ['prospecting'],
    permission: 'data.write',
    status: 202,
    schema: { params: TenantParams, body: ProspectSearchInput, response: { 202: Job } },
    handler: async (ctx, { body }) => startedJobDto(ctx, await startJob(ctx, 'PROSPECT_SEARCH', body)),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/searches/categories',
    summary: 'Business categories matching what the user typed (English and Arabic names)',
    tags: ['prospecting'],
    permission: 'data.read',
    schema: { params: TenantParams, querystring: CategoryQuery, response: { 200: CategorySuggestionList } },
    handler: async (_ctx, { query }) => ({ items: suggestCategories(query.q) }),
  });
}
