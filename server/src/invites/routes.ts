import type { FastifyInstance } from 'fastify';
import {
  AcceptInviteResult,
  BulkInviteBody,
  BulkInviteResult,
  CreateInviteBody,
  Invite,
  InviteListQuery,
  InvitePage,
  InviteParams,
  InvitePreview,
  InvitePreviewQuery,
  InviteTokenBody,
  TenantParams,
} from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { inSystemTransaction } from '../db/transactions.js';
import { publicRoute, tenantRoute, userRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { acceptInviteForUser, previewInvite, requireUsableInvite } from './accept.js';
import { bulkInvite } from './bulk.js';
import { findInvitesForTenant } from './list.js';
import { createInvite, resendInvite, revokeInvite } from './manage.js';

const tags = ['invites'];

export function registerInviteRoutes(app: FastifyInstance, services: Services) {
  registerTenantInviteRoutes(app, services);
  registerInviteeRoutes(app, services);
}

function registerTenantInviteRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/invites',
    summary: 'Invitations of the tenant by status (default PENDING), newest first',
    tags,
    permission: 'team.read',
    schema: { params: TenantParams, querystring: InviteListQuery, response: { 200: InvitePage } },
    handler: ({ tx, tenantId }, { query }) => findInvitesForTenant(tx, tenantId, query),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/invites',
    summary: 'Invite someone by email with a role (never above your own); takes a seat',
    tags,
    permission: 'team.manage',
    status: 201,
    schema: { params: TenantParams, body: CreateInviteBody, response: { 201: Invite } },
    handler: (ctx, { body }) => createInvite(ctx, body.email, body.role),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/invites/bulk',
    summary: 'Invite up to 100 pasted addresses with one role; answers what happened to each',
    tags,
    permission: 'team.manage',
    schema: { params: TenantParams, body: BulkInviteBody, response: { 200: BulkInviteResult } },
    handler: (ctx, { body }) => bulkInvite(ctx, body.emails, body.role),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/invites/:inviteId/resend',
    summary: 'Send the invitation again with a new link and a new 7-day expiry; the old link stops working',
    tags,
    permission: 'team.manage',
    schema: { params: InviteParams, response: { 200: Invite } },
    handler: (ctx, { params }) => resendInvite(ctx, params.inviteId),
  });

  tenantRoute(app, services, {
    method: 'DELETE',
    url: '/api/v1/tenants/:tenantId/invites/:inviteId',
    summary: 'Revoke an invitation; its link stops working',
    tags,
    permission: 'team.manage',
    status: 204,
    schema: { params: InviteParams },
    handler: (ctx, { params }) => revokeInvite(ctx, params.inviteId),
  });
}

function registerInviteeRoutes(app: FastifyInstance, services: Services) {
  // The invitee is not a member yet, so both routes read the invite on the system path, by token only.
  publicRoute(app, services, {
    method: 'GET',
    url: '/api/v1/invites/preview',
    summary: 'What an invitation link offers: organization, role, inviter, expiry',
    tags,
    schema: { querystring: InvitePreviewQuery, response: { 200: InvitePreview } },
    handler: (_ctx, { query }) => inSystemTransaction(services.db, (tx) => previewInvite(tx, query.token)),
  });

  userRoute(app, services, {
    method: 'POST',
    url: '/api/v1/invites/accept',
    rateLimit: 'inviteAccept',
    summary: 'Accept an invitation as the signed-in user (the account email must be the invited one)',
    tags,
    schema: { body: InviteTokenBody, response: { 200: AcceptInviteResult } },
    handler: ({ session, actor }, { body }) =>
      inSystemTransaction(services.db, async (tx) => {
        const invite = await requireUsableInvite(tx, body.token);
        if (invite.email.toLowerCase() !== session.user.email.toLowerCase()) {
          throw new AppError(
            'INVITE_EMAIL_MISMATCH',
            `This invitation was sent to another email address. Sign in as that address to accept it.`,
          );
        }
        return acceptInviteForUser(tx, invite, actor);
      }),
  });
}
