import type { FastifyInstance } from 'fastify';
import { LeadView, LeadViewList, LeadViewParams, SaveLeadViewBody, TenantParams } from '@optarget/shared';
import { tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { deleteLeadView, findLeadViews, saveLeadView } from './views.js';

const tags = ['lead views'];

export function registerLeadViewRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/lead-views',
    summary: "The caller's saved lead-table views and those teammates shared, by name",
    tags,
    permission: 'data.read',
    schema: { params: TenantParams, response: { 200: LeadViewList } },
    handler: ({ tx, actor }) => findLeadViews(tx, actor.userId),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/lead-views',
    summary: 'Save a named filter, sort and column layout (a name the caller already used is replaced); sharing needs write access',
    tags,
    permission: 'data.read',
    status: 201,
    schema: { params: TenantParams, body: SaveLeadViewBody, response: { 201: LeadView } },
    handler: (ctx, { body }) => saveLeadView(ctx, body),
  });

  tenantRoute(app, services, {
    method: 'DELETE',
    url: '/api/v1/tenants/:tenantId/lead-views/:viewId',
    summary: 'Delete one of your saved views',
    tags,
    permission: 'data.read',
    status: 204,
    schema: { params: LeadViewParams },
    handler: (ctx, { params }) => deleteLeadView(ctx, params.viewId),
  });
}
