import type { FastifyInstance } from 'fastify';
import {
  AssignConversationBody,
  CreateTemplateBody,
  ConversationPage,
  ConversationQuery,
  LeadParams,
  MessagePage,
  PageQuery,
  RecordConsentBody,
  SendMessageBody,
  TemplateParams,
  TemplateSyncResult,
  TenantParams,
  WhatsappConnectionCheck,
  WhatsappConsent,
  WhatsappMessage,
  WhatsappTemplate,
  WhatsappTemplateList,
  WhatsappThread,
} from '@optarget/shared';
import { tenantOutsideCallRoute, tenantRoute, tenantStreamRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { checkConnection } from './connection.js';
import { recordConsent } from './record-consent.js';
import { assignConversation, findConversationPage, findOlderMessages, findThread, markRead } from './conversations.js';
import { streamWhatsappChanges } from './live-stream.js';
import { sendToLead } from './send.js';
import { createTemplate, deleteTemplate } from './template-editing.js';
import { listTemplateRows, syncTemplates, toTemplateDto } from './templates.js';

const TENANT = '/api/v1/tenants/:tenantId/whatsapp';
const LEAD = '/api/v1/tenants/:tenantId/leads/:leadId/whatsapp';
const tags = ['whatsapp'];

export function registerWhatsappRoutes(app: FastifyInstance, services: Services) {
  tenantOutsideCallRoute(app, services, {
    method: 'POST',
    url: `${TENANT}/connection-check`,
    summary: "Test connection: reads the number's display name, quality rating and messaging limit from Meta",
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, response: { 200: WhatsappConnectionCheck } },
    handler: (ctx) => checkConnection(ctx),
  });
  tenantRoute(app, services, {
    method: 'GET',
    url: `${TENANT}/templates`,
    summary: 'Message templates as last synced from Meta, with their status and variables',
    tags,
    permission: 'data.read',
    schema: { params: TenantParams, response: { 200: WhatsappTemplateList } },
    handler: async ({ tx, tenantId }) => ({ items: (await listTemplateRows(tx, tenantId)).map(toTemplateDto) }),
  });
  tenantOutsideCallRoute(app, services, {
    method: 'POST',
    url: `${TENANT}/templates/sync`,
    summary: "Read every template of the business account from Meta (following its pages) and store Meta's status",
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, response: { 200: TemplateSyncResult } },
    handler: (ctx) => syncTemplates(ctx),
  });
  tenantOutsideCallRoute(app, services, {
    method: 'POST',
    url: `${TENANT}/templates`,
    summary: 'Submit a new template to Meta (an example per variable); it is PENDING until Meta approves or rejects it',
    tags,
    permission: 'settings.manage',
    status: 201,
    schema: { params: TenantParams, body: CreateTemplateBody, response: { 201: WhatsappTemplate } },
    handler: (ctx, { body }) => createTemplate(ctx, body),
  });
  tenantOutsideCallRoute(app, services, {
    method: 'DELETE',
    url: `${TENANT}/templates/:templateId`,
    summary: 'Delete a template at Meta (this language only) and here; kept when Meta refuses',
    tags,
    permission: 'settings.manage',
    status: 204,
    schema: { params: TemplateParams },
    handler: (ctx, { params }) => deleteTemplate(ctx, params.templateId),
  });
  tenantRoute(app, services, {
    method: 'GET',
    url: `${TENANT}/conversations`,
    summary: 'The inbox: conversations by latest activity, with unread counts, consent and window',
    tags,
    permission: 'data.read',
    schema: { params: TenantParams, querystring: ConversationQuery, response: { 200: ConversationPage } },
    handler: (ctx, { query }) => findConversationPage(ctx, query),
  });
  tenantStreamRoute(app, services, {
    method: 'GET',
    url: `${TENANT}/events`,
    summary: "Server-sent events: `changed` whenever the tenant's conversations change (read them again)",
    tags,
    permission: 'data.read',
    schema: { params: TenantParams },
    handler: (ctx) => streamWhatsappChanges(ctx),
  });
  registerLeadRoutes(app, services);
}

/** One lead's conversation: the thread, sending, consent, reading and assignment. */
function registerLeadRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'GET',
    url: LEAD,
    summary: "The lead's WhatsApp thread, consent, window and what stops each kind of message",
    tags,
    permission: 'data.read',
    schema: { params: LeadParams, response: { 200: WhatsappThread } },
    handler: (ctx, { params }) => findThread(ctx, params.leadId),
  });
  tenantRoute(app, services, {
    method: 'GET',
    url: `${LEAD}/messages`,
    summary: "Older messages of the lead's thread, newest of them first, from the thread's olderCursor",
    tags,
    permission: 'data.read',
    schema: { params: LeadParams, querystring: PageQuery, response: { 200: MessagePage } },
    handler: (ctx, { params, query }) => findOlderMessages(ctx, params.leadId, query),
  });
  tenantRoute(app, services, {
    method: 'POST',
    url: `${LEAD}/messages`,
    summary: 'Send free text (inside the 24-hour window) or an approved template (to opted-in leads only); 202 while queued',
    tags,
    permission: 'data.write',
    status: 202,
    schema: { params: LeadParams, body: SendMessageBody, response: { 202: WhatsappMessage } },
    handler: (ctx, { params, body }) => sendToLead(ctx, params.leadId, body),
  });
  tenantRoute(app, services, {
    method: 'POST',
    url: `${LEAD}/consent`,
    summary: 'Record an opt-in (with proof) or an opt-out (with the reason); a new opt-in after an opt-out needs an admin',
    tags,
    permission: 'data.write',
    schema: { params: LeadParams, body: RecordConsentBody, response: { 200: WhatsappConsent } },
    handler: (ctx, { params, body }) => recordConsent(ctx, params.leadId, body),
  });
  tenantRoute(app, services, {
    method: 'POST',
    url: `${LEAD}/read`,
    summary: 'Mark the conversation read by the team',
    tags,
    permission: 'data.write',
    schema: { params: LeadParams, response: { 200: WhatsappThread } },
    handler: (ctx, { params }) => markRead(ctx, params.leadId),
  });
  tenantRoute(app, services, {
    method: 'PUT',
    url: `${LEAD}/assignee`,
    summary: 'Assign the conversation to a member, or to nobody',
    tags,
    permission: 'data.write',
    schema: { params: LeadParams, body: AssignConversationBody, response: { 200: WhatsappThread } },
    handler: (ctx, { params, body }) => assignConversation(ctx, params.leadId, body.assignedUserId),
  });
}
