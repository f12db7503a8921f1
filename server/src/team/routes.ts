import type { FastifyInstance } from 'fastify';
import { ChangeRoleBody, Member, MemberListQuery, MemberPage, MemberParams, TenantParams, TransferOwnershipBody } from '@optarget/shared';
import { tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { changeMemberRole, findMembersForTenant, leaveTenant, removeMember, transferOwnership } from './members.js';

const tags = ['team'];

export function registerTeamRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/members',
    summary: 'Members of the tenant with their roles, oldest first',
    tags,
    permission: 'team.read',
    schema: { params: TenantParams, querystring: MemberListQuery, response: { 200: MemberPage } },
    handler: ({ tx, tenantId }, { query }) => findMembersForTenant(tx, tenantId, query),
  });

  tenantRoute(app, services, {
    method: 'PATCH',
    url: '/api/v1/tenants/:tenantId/members/:userId',
    summary: "Change a member's role (never above your own; an admin cannot change an owner)",
    tags,
    permission: 'team.manage',
    schema: { params: MemberParams, body: ChangeRoleBody, response: { 200: Member } },
    handler: (ctx, { params, body }) => changeMemberRole(ctx, params.userId, body.role),
  });

  tenantRoute(app, services, {
    method: 'DELETE',
    url: '/api/v1/tenants/:tenantId/members/:userId',
    summary: 'Remove a member (an admin cannot remove an owner; the last owner stays)',
    tags,
    permission: 'team.manage',
    status: 204,
    schema: { params: MemberParams },
    handler: (ctx, { params }) => removeMember(ctx, params.userId),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/leave',
    summary: 'Leave the tenant (the last owner must transfer ownership first)',
    tags,
    permission: 'tenant.read',
    status: 204,
    schema: { params: TenantParams },
    handler: (ctx) => leaveTenant(ctx),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/transfer-ownership',
    summary: 'Make another member the owner; you become an admin',
    tags,
    permission: 'ownership.transfer',
    status: 204,
    schema: { params: TenantParams, body: TransferOwnershipBody },
    handler: (ctx, { body }) => transferOwnership(ctx, body.userId),
  });
}
