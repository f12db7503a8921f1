import type { FastifyInstance } from 'fastify';
import {
  BrandingPreviewQuery,
  CreatedShare,
  CreateShareBody,
  GenerateReportInput,
  LeadReportBundleQuery,
  ListLeadReportsBody,
  ListLeadReportsStarted,
  ListParams,
  Report,
  ReportListQuery,
  ReportPage,
  ReportParams,
  ReportShare,
  ReportShareParams,
  ReportViewList,
  RecommendationList,
  TenantParams,
  UpdateRecommendationBody,
  reportAuditActions,
} from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import { tenantOutsideCallRoute, tenantRoute, tenantStreamRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { leadReportBundle, startLeadReports } from './bundle.js';
import { brandingPreview } from './preview.js';
import { streamReportViews } from './events.js';
import { findReportFile, sendReportFile } from './files.js';
import { createReport, deleteReport, findReport, findReports, regenerateReport } from './reports.js';
import { findRecommendations, updateRecommendation } from './recommendations.js';
import { createShare, findViews, revokeShare } from './shares.js';

const tags = ['reports'];
const BASE = '/api/v1/tenants/:tenantId/reports';
const LIST = '/api/v1/tenants/:tenantId/lists/:listId';

export function registerReportRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'GET',
    url: BASE,
    summary: "The tenant's reports, newest first, with their views and share links",
    tags,
    permission: 'data.read',
    schema: { params: TenantParams, querystring: ReportListQuery, response: { 200: ReportPage } },
    handler: ({ tx, tenantId }, { query }) => findReports(tx, tenantId, query),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: BASE,
    summary: "Generate a report of a lead or a list (a GENERATE_REPORT job; 402 past the plan's monthly reports)",
    tags,
    permission: 'data.write',
    status: 201,
    rateLimit: 'reportStart',
    schema: { params: TenantParams, body: GenerateReportInput, response: { 201: Report } },
    handler: (ctx, { body }) => createReport(ctx, body),
  });

  tenantStreamRoute(app, services, {
    method: 'GET',
    url: `${BASE}/events`,
    summary: 'Live views of the reports you created, as server-sent events (viewed)',
    tags,
    permission: 'data.read',
    schema: { params: TenantParams },
    handler: (ctx) => streamReportViews(ctx),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${BASE}/:reportId`,
    summary: 'One report',
    tags,
    permission: 'data.read',
    schema: { params: ReportParams, response: { 200: Report } },
    handler: ({ tx, tenantId }, { params }) => findReport(tx, tenantId, params.reportId),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${BASE}/:reportId/file`,
    summary: "The report's PDF, streamed (named after the business, RFC 5987 for any script)",
    tags,
    permission: 'data.read',
    schema: { params: ReportParams },
    handler: async (ctx, { params }) => {
      const file = await findReportFile(ctx.tx, ctx.tenantId, params.reportId);
      await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
        action: reportAuditActions.downloaded,
        targetType: 'report',
        targetId: file.id,
      });
      return sendReportFile(ctx.reply, ctx.services.db, ctx.tenantId, file);
    },
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: `${BASE}/:reportId/regenerate`,
    summary: "Render the report again with today's data and branding (counts as a report); its share links stay",
    tags,
    permission: 'data.write',
    rateLimit: 'reportStart',
    schema: { params: ReportParams, response: { 200: Report } },
    handler: (ctx, { params }) => regenerateReport(ctx, params.reportId),
  });

  tenantRoute(app, services, {
    method: 'DELETE',
    url: `${BASE}/:reportId`,
    summary: 'Delete a report, its file, share links and views',
    tags,
    permission: 'data.write',
    status: 204,
    schema: { params: ReportParams },
    handler: (ctx, { params }) => deleteReport(ctx, params.reportId),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: `${BASE}/:reportId/shares`,
    summary: 'Create a public link to the report (the link is in this answer only; expires after 90 days unless told)',
    tags,
    permission: 'data.write',
    status: 201,
    schema: { params: ReportParams, body: CreateShareBody, response: { 201: CreatedShare } },
    handler: (ctx, { params, body }) => createShare(ctx, params.reportId, body.expiresInDays),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: `${BASE}/:reportId/shares/:shareId/revoke`,
    summary: 'Revoke a share link: it opens nothing from now on',
    tags,
    permission: 'data.write',
    schema: { params: ReportShareParams, response: { 200: ReportShare } },
    handler: (ctx, { params }) => revokeShare(ctx, params.reportId, params.shareId),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${BASE}/:reportId/views`,
    summary: 'Views of the report through its share links, newest first (time and coarse device)',
    tags,
    permission: 'data.read',
    schema: { params: ReportParams, response: { 200: ReportViewList } },
    handler: ({ tx, tenantId }, { params }) => findViews(tx, tenantId, params.reportId),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: `${LIST}/lead-reports`,
    summary: "Generate a report of every lead of the list (one job each, each counted; 402 starts none past the plan's monthly reports)",
    tags,
    permission: 'data.write',
    status: 202,
    rateLimit: 'reportStart',
    schema: { params: ListParams, body: ListLeadReportsBody, response: { 202: ListLeadReportsStarted } },
    handler: (ctx, { params, body }) => startLeadReports(ctx, params.listId, body.language),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${LIST}/lead-reports.zip`,
    summary:
      'The newest report PDF of each lead of the list as one ZIP, streamed; leads without a finished one are named in not-included.txt',
    tags,
    permission: 'data.read',
    schema: { params: ListParams, querystring: LeadReportBundleQuery },
    handler: (ctx, { params, query }) => leadReportBundle(ctx, params.listId, query.language),
  });

  // Renders with typst, so no transaction is held while it waits for the renderer.
  tenantOutsideCallRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/settings/branding/preview.svg',
    summary: "A report's cover as typst prints it with the saved branding (SVG), in the language asked or the default",
    tags,
    permission: 'settings.read',
    schema: { params: TenantParams, querystring: BrandingPreviewQuery },
    handler: (ctx, { query }) => brandingPreview(ctx, query.language),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/report-recommendations',
    summary: 'What reports recommend for each problem, in both languages (the tenant’s wording or the catalogue’s)',
    tags,
    permission: 'settings.read',
    schema: { params: TenantParams, response: { 200: RecommendationList } },
    handler: ({ tx, tenantId }) => findRecommendations(tx, tenantId),
  });

  tenantRoute(app, services, {
    method: 'PUT',
    url: '/api/v1/tenants/:tenantId/report-recommendations',
    summary: 'Reword one recommendation in one language (an empty text restores the catalogue’s); the next report uses it',
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, body: UpdateRecommendationBody, response: { 200: RecommendationList } },
    handler: (ctx, { body }) => updateRecommendation(ctx, body),
  });
}
