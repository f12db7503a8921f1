import type { FastifyInstance } from 'fastify';
import {
  CampaignPage,
  CampaignParams,
  CampaignPreview,
  CreateCampaignBody,
  PageQuery,
  RecipientPage,
  RecipientQuery,
  RecipientsCsvQuery,
  TenantParams,
  WhatsappCampaign,
} from '@optarget/shared';
import { answerAsCsvDownload, tenantRoute } from '../../http/routes.js';
import type { Services } from '../../http/services.js';
import { cancelCampaign, createCampaign, pauseCampaign, previewCampaign, resumeCampaign, startCampaign } from './campaigns.js';
import { beginRecipientsExport, streamRecipientsCsv } from './recipients-csv.js';
import { findCampaign, findCampaignPage, findRecipientPage } from './view.js';

const BASE = '/api/v1/tenants/:tenantId/whatsapp/campaigns';
const ONE = `${BASE}/:campaignId`;
const tags = ['whatsapp'];

/** Campaigns: create (a draft), preview, start, pause, resume, cancel, and what each achieved. */
export function registerCampaignRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'GET',
    url: BASE,
    summary: 'Campaigns, newest first, each with its stats (sent, delivered, read, failed, replied, opted out)',
    tags,
    permission: 'data.read',
    schema: { params: TenantParams, querystring: PageQuery, response: { 200: CampaignPage } },
    handler: ({ tx, tenantId }, { query }) => findCampaignPage(tx, tenantId, query),
  });
  tenantRoute(app, services, {
    method: 'POST',
    url: BASE,
    summary: 'Create a campaign as a draft: a list, an approved template, its variables from lead fields, a rate and a start time',
    tags,
    permission: 'data.write',
    status: 201,
    schema: { params: TenantParams, body: CreateCampaignBody, response: { 201: WhatsappCampaign } },
    handler: (ctx, { body }) => createCampaign(ctx, body),
  });
  tenantRoute(app, services, {
    method: 'GET',
    url: ONE,
    summary: 'One campaign with its status, stop reason and stats',
    tags,
    permission: 'data.read',
    schema: { params: CampaignParams, response: { 200: WhatsappCampaign } },
    handler: ({ tx, tenantId }, { params }) => findCampaign(tx, tenantId, params.campaignId),
  });
  tenantRoute(app, services, {
    method: 'GET',
    url: `${ONE}/preview`,
    summary: 'Who would receive the campaign now, how many are skipped for each reason, and the estimated cost',
    tags,
    permission: 'data.read',
    schema: { params: CampaignParams, response: { 200: CampaignPreview } },
    handler: (ctx, { params }) => previewCampaign(ctx, params.campaignId),
  });
  tenantRoute(app, services, {
    method: 'GET',
    url: `${ONE}/recipients`,
    summary: "The campaign's recipients in sending order with their result, optionally of one status",
    tags,
    permission: 'data.read',
    schema: { params: CampaignParams, querystring: RecipientQuery, response: { 200: RecipientPage } },
    handler: ({ tx, tenantId }, { params, query }) => findRecipientPage(tx, tenantId, params.campaignId, query),
  });
  tenantRoute(app, services, {
    method: 'GET',
    url: `${ONE}/recipients.csv`,
    rateLimit: 'export',
    summary: 'Every recipient with lead name, phone, outcome, the skip or failure reason in words and the times, as CSV (audited)',
    tags,
    permission: 'data.export',
    schema: { params: CampaignParams, querystring: RecipientsCsvQuery },
    handler: async ({ tx, tenantId, actor, reply }, { params, query }) => {
      const { filename } = await beginRecipientsExport(tx, tenantId, params.campaignId, actor);
      answerAsCsvDownload(reply, filename);
      return streamRecipientsCsv(services.db, tenantId, params.campaignId, query.lang);
    },
  });
  const actions = { start: startCampaign, pause: pauseCampaign, resume: resumeCampaign, cancel: cancelCampaign };
  for (const [action, run] of Object.entries(actions)) {
    tenantRoute(app, services, {
      method: 'POST',
      url: `${ONE}/${action}`,
      summary: `${action[0].toUpperCase()}${action.slice(1)} the campaign`,
      tags,
      permission: 'data.write',
      schema: { params: CampaignParams, response: { 200: WhatsappCampaign } },
      handler: (ctx, { params }) => run(ctx, params.campaignId),
    });
  }
}
