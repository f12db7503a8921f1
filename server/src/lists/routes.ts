import type { FastifyInstance } from 'fastify';
import {
  CreateListBody,
  LeadList,
  LeadPage,
  LeadParams,
  ListExportQuery,
  ListLeadsQuery,
  ListMembersBody,
  ListMembersResult,
  ListPage,
  ListParams,
  ListQuery,
  ListsOfLead,
  TenantParams,
  UpdateListBody,
} from '@optarget/shared';
import { answerAsCsvDownload, tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { exportLeadsOfList, findLeadsOfList } from './list-leads.js';
import { createList, deleteList, findList, findListsForTenant, updateList } from './lists.js';
import { addLeadsToList, findListsOfLead, removeLeadsFromList } from './members.js';

const tags = ['lists'];

export function registerListRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/lists',
    summary: "The tenant's lists by name with their lead counts; `q` keeps those whose name contains it",
    tags,
    permission: 'data.read',
    schema: { params: TenantParams, querystring: ListQuery, response: { 200: ListPage } },
    handler: ({ tx, tenantId }, { query }) => findListsForTenant(tx, tenantId, query),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/lists',
    summary: 'Create a list (names are unique in the tenant, in any letter case: 409 otherwise)',
    tags,
    permission: 'data.write',
    status: 201,
    schema: { params: TenantParams, body: CreateListBody, response: { 201: LeadList } },
    handler: (ctx, { body }) => createList(ctx, body),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/lists/:listId',
    summary: 'One list with its lead count',
    tags,
    permission: 'data.read',
    schema: { params: ListParams, response: { 200: LeadList } },
    handler: ({ tx, tenantId }, { params }) => findList(tx, tenantId, params.listId),
  });

  tenantRoute(app, services, {
    method: 'PATCH',
    url: '/api/v1/tenants/:tenantId/lists/:listId',
    summary: 'Rename or describe a list',
    tags,
    permission: 'data.write',
    schema: { params: ListParams, body: UpdateListBody, response: { 200: LeadList } },
    handler: (ctx, { params, body }) => updateList(ctx, params.listId, body),
  });

  tenantRoute(app, services, {
    method: 'DELETE',
    url: '/api/v1/tenants/:tenantId/lists/:listId',
    summary: 'Delete a list; its leads stay',
    tags,
    permission: 'data.write',
    status: 204,
    schema: { params: ListParams },
    handler: (ctx, { params }) => deleteList(ctx, params.listId),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/lists/:listId/leads',
    summary: "Add leads to a list; leads already on it and ids that are not this tenant's leads are ignored",
    tags,
    permission: 'data.write',
    schema: { params: ListParams, body: ListMembersBody, response: { 200: ListMembersResult } },
    handler: (ctx, { params, body }) => addLeadsToList(ctx, params.listId, body.leadIds),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/lists/:listId/leads/remove',
    summary: 'Take leads off a list (the leads stay)',
    tags,
    permission: 'data.write',
    schema: { params: ListParams, body: ListMembersBody, response: { 200: ListMembersResult } },
    handler: (ctx, { params, body }) => removeLeadsFromList(ctx, params.listId, body.leadIds),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/lists/:listId/leads',
    summary: "The list's leads, with the lead table's filters, sorts and cursor paging",
    tags,
    permission: 'data.read',
    schema: { params: ListParams, querystring: ListLeadsQuery, response: { 200: LeadPage } },
    handler: (ctx, { params, query }) => findLeadsOfList(ctx, params.listId, query),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/lists/:listId/export.csv',
    rateLimit: 'export',
    summary: "The list's leads as a CSV file, UTF-8 with BOM, in the same columns as the leads export (audited)",
    tags,
    permission: 'data.export',
    schema: { params: ListParams, querystring: ListExportQuery },
    handler: async (ctx, { params, query }) => {
      const exported = await exportLeadsOfList(ctx, params.listId, query);
      answerAsCsvDownload(ctx.reply, exported.filename);
      return exported.body;
    },
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/leads/:leadId/lists',
    summary: 'The lists a lead is on, by name',
    tags,
    permission: 'data.read',
    schema: { params: LeadParams, response: { 200: ListsOfLead } },
    handler: ({ tx, tenantId }, { params }) => findListsOfLead(tx, tenantId, params.leadId),
  });
}
