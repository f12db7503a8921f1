import type { FastifyInstance } from 'fastify';
import {
  CategoryQuery,
  CategorySuggestionList,
  GooglePlacesKeyBody,
  GooglePlacesKeyStatus,
  Job,
  ProspectSearchInput,
  TenantParams,
} from '@optarget/shared';
import { tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { createJob } from '../jobs/service.js';
import { suggestCategories } from './categories.js';
import { googlePlacesKeyStatus, removeGooglePlacesKey, saveGooglePlacesKey } from './google-key.js';

export function registerProspectingRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/searches',
    summary: 'Start a prospect search (a PROSPECT_SEARCH job)',
    tags: ['prospecting'],
    permission: 'data.write',
    status: 202,
    schema: { params: TenantParams, body: ProspectSearchInput, response: { 202: Job } },
    handler: (ctx, { body }) => createJob(ctx, 'PROSPECT_SEARCH', body),
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

  const keyUrl = '/api/v1/tenants/:tenantId/integrations/google-places';
  tenantRoute(app, services, {
    method: 'GET',
    url: keyUrl,
    summary: 'Whether a Google Places API key is saved (and its last four characters)',
    tags: ['prospecting'],
    permission: 'settings.manage',
    schema: { params: TenantParams, response: { 200: GooglePlacesKeyStatus } },
    handler: ({ tx, tenantId }) => googlePlacesKeyStatus(tx, tenantId, services.config.appSecret),
  });

  tenantRoute(app, services, {
    method: 'PUT',
    url: keyUrl,
    summary: 'Save the Google Places API key (stored encrypted, never returned)',
    tags: ['prospecting'],
    permission: 'settings.manage',
    schema: { params: TenantParams, body: GooglePlacesKeyBody, response: { 200: GooglePlacesKeyStatus } },
    handler: (ctx, { body }) => saveGooglePlacesKey(ctx, body.apiKey),
  });

  tenantRoute(app, services, {
    method: 'DELETE',
    url: keyUrl,
    summary: 'Remove the saved Google Places API key',
    tags: ['prospecting'],
    permission: 'settings.manage',
    status: 204,
    schema: { params: TenantParams },
    handler: (ctx) => removeGooglePlacesKey(ctx),
  });
}
