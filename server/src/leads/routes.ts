import type { FastifyInstance } from 'fastify';
import {
  BulkLeadBody,
  BulkLeadResult,
  CreateLeadBody,
  Dashboard,
  Lead,
  LeadActivity,
  LeadCount,
  LeadFilter,
  LeadListQuery,
  LeadPage,
  LeadParams,
  LeadSort,
  TenantParams,
  UpdateLeadBody,
  DuplicateCandidateList,
  LeadSourceList,
  MergeLeadsBody,
  MergePreview,
  MergeResult,
  DuplicatePairParams,
  LeadMergeList,
  MergeUndoParams,
  MergeUndoResult,
  PageQuery,
} from '@optarget/shared';
import { answerAsCsvDownload, tenantRoute, tenantSelectRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { findDashboard } from './activity.js';
import { findLeadTimeline } from './timeline.js';
import { countLeads } from './count.js';
import { runBulkAction } from './bulk.js';
import { findLeadRow } from './dto.js';
import { beginLeadExport, streamLeadCsv } from './export.js';
import { leadConditions, leadPageAnswer, leadPageQuery, readCursor, toLeadsOnPage, type PageRow } from './query.js';
import { createLead, deleteLead, updateLead } from './write.js';
import { findDuplicateCandidates } from './duplicates.js';
import { mergeLeads } from './merge.js';
import { previewMerge } from './merge-plan.js';
import { findLeadMerges, findLeadOrMergedInto, undoMerge } from './merge-undo.js';
import { dismissDuplicate, restoreDuplicate } from './duplicate-dismissals.js';
import { findLeadSources } from './sources.js';

const tags = ['leads'];
const base = '/api/v1/tenants/:tenantId/leads';

export function registerLeadRoutes(app: FastifyInstance, services: Services) {
  tenantSelectRoute(app, services, {
    method: 'GET',
    url: base,
    summary: 'Leads matching the filters, sorted, paginated by cursor',
    tags,
    permission: 'data.read',
    schema: { params: TenantParams, querystring: LeadListQuery, response: { 200: LeadPage } },
    select: (tenantId, { query }) => {
      const { sort, cursor, limit, ...filter } = query;
      // One extra row tells whether another page exists without a count.
      return leadPageQuery(leadConditions(tenantId, filter), sort, limit + 1, readCursor(cursor, sort));
    },
    answer: (rows: PageRow[], { query }) => leadPageAnswer(toLeadsOnPage(rows, query.sort), query.limit),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${base}/count`,
    summary: 'How many leads match the filters: exact up to 10,000, above that an estimate marked `exact: false`',
    tags,
    permission: 'data.read',
    schema: { params: TenantParams, querystring: LeadFilter, response: { 200: LeadCount } },
    handler: ({ tx, tenantId }, { query }) => countLeads(tx, tenantId, query),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: base,
    summary: 'Create a lead by hand (409 with the existing lead when its phone or domain is already known)',
    tags,
    permission: 'data.write',
    status: 201,
    schema: { params: TenantParams, body: CreateLeadBody, response: { 201: Lead } },
    handler: (ctx, { body }) => createLead(ctx, body),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: `${base}/bulk`,
    rateLimit: 'jobStart',
    summary: 'Apply one action to selected leads or to every lead matching a filter (over 10,000 runs as a job)',
    tags,
    permission: 'data.write',
    schema: { params: TenantParams, body: BulkLeadBody, response: { 200: BulkLeadResult } },
    handler: (ctx, { body }) => runBulkAction(ctx, body),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${base}/export.csv`,
    rateLimit: 'export',
    summary: 'Every lead matching the filters as a CSV file, UTF-8 with BOM (the export is itself audited)',
    tags,
    permission: 'data.export',
    schema: { params: TenantParams, querystring: LeadFilter.extend({ sort: LeadSort.default('-score') }) },
    handler: async ({ tx, tenantId, actor, reply }, { query }) => {
      const { sort, ...filter } = query;
      const exported = await beginLeadExport(tx, tenantId, filter, actor);
      answerAsCsvDownload(reply, exported.filename);
      return streamLeadCsv(services.db, tenantId, filter, sort);
    },
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: `${base}/merge/preview`,
    summary: 'What merging leads would keep, field by field, and how many rows would move to the kept lead (changes nothing)',
    tags,
    permission: 'data.write',
    schema: { params: TenantParams, body: MergeLeadsBody, response: { 200: MergePreview } },
    handler: ({ tx, tenantId }, { body }) => previewMerge(tx, tenantId, body),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: `${base}/merge`,
    summary:
      'Merge leads into the kept one: chosen fields, all tags, notes, evidence, lists, reports and messages; the others then answer 404',
    tags,
    permission: 'data.write',
    schema: { params: TenantParams, body: MergeLeadsBody, response: { 200: MergeResult } },
    handler: (ctx, { body }) => mergeLeads(ctx, body),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${base}/:leadId/sources`,
    summary: 'Every source that found or gave the lead, with its id there and the fields it filled',
    tags,
    permission: 'data.read',
    schema: { params: LeadParams, response: { 200: LeadSourceList } },
    handler: ({ tx, tenantId }, { params }) => findLeadSources(tx, tenantId, params.leadId),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${base}/:leadId/duplicates`,
    summary: 'Leads that may be the same business (same website with another phone, or a similar name nearby)',
    tags,
    permission: 'data.read',
    schema: { params: LeadParams, response: { 200: DuplicateCandidateList } },
    handler: ({ tx, tenantId }, { params }) => findDuplicateCandidates(tx, tenantId, params.leadId),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: `${base}/:leadId/duplicates/:otherLeadId/dismiss`,
    summary: 'Mark two leads as different businesses: neither is flagged as a duplicate of the other again (until reverted)',
    tags,
    permission: 'data.write',
    status: 204,
    schema: { params: DuplicatePairParams },
    handler: (ctx, { params }) => dismissDuplicate(ctx, params.leadId, params.otherLeadId),
  });

  tenantRoute(app, services, {
    method: 'DELETE',
    url: `${base}/:leadId/duplicates/:otherLeadId/dismiss`,
    summary: 'Revert "not a duplicate": the flags come back and the pair can be flagged again',
    tags,
    permission: 'data.write',
    status: 204,
    schema: { params: DuplicatePairParams },
    handler: (ctx, { params }) => restoreDuplicate(ctx, params.leadId, params.otherLeadId),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${base}/:leadId/merges`,
    summary: 'The merges into the lead that were not undone, newest first, each with until when it can be undone',
    tags,
    permission: 'data.read',
    schema: { params: LeadParams, response: { 200: LeadMergeList } },
    handler: ({ tx, tenantId }, { params }) => findLeadMerges(tx, tenantId, params.leadId),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: `${base}/:leadId/merges/:mergeId/undo`,
    summary:
      'Undo a merge into the lead (for 30 days): the merged leads come back with their rows, the kept lead gets its earlier values back',
    tags,
    permission: 'data.write',
    schema: { params: MergeUndoParams, response: { 200: MergeUndoResult } },
    handler: (ctx, { params }) => undoMerge(ctx, params.leadId, params.mergeId),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${base}/:leadId`,
    summary: 'One lead; a merged lead answers 404 with `mergedInto`, the id of the lead it was merged into',
    tags,
    permission: 'data.read',
    schema: { params: LeadParams, response: { 200: Lead } },
    handler: ({ tx, tenantId }, { params }) => findLeadOrMergedInto(tx, tenantId, params.leadId),
  });

  tenantRoute(app, services, {
    method: 'PATCH',
    url: `${base}/:leadId`,
    summary: 'Change a lead; changed fields are marked as edited so imports never overwrite them',
    tags,
    permission: 'data.write',
    schema: { params: LeadParams, body: UpdateLeadBody, response: { 200: Lead } },
    handler: (ctx, { params, body }) => updateLead(ctx, params.leadId, body),
  });

  tenantRoute(app, services, {
    method: 'DELETE',
    url: `${base}/:leadId`,
    summary: 'Delete a lead',
    tags,
    permission: 'data.write',
    status: 204,
    schema: { params: LeadParams },
    handler: (ctx, { params }) => deleteLead(ctx, params.leadId),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${base}/:leadId/activity`,
    summary: "The lead's timeline, newest first: edits, notes, lists, enrichment runs, imports, messages and reports",
    tags,
    permission: 'data.read',
    schema: { params: LeadParams, querystring: PageQuery, response: { 200: LeadActivity } },
    handler: async ({ tx, tenantId }, { params, query }) => {
      await findLeadRow(tx, tenantId, params.leadId);
      return findLeadTimeline(tx, tenantId, params.leadId, query);
    },
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/dashboard',
    summary: 'Lead counts by status and score band, new leads this week, number of lists',
    tags: ['dashboard'],
    permission: 'data.read',
    schema: { params: TenantParams, response: { 200: Dashboard } },
    handler: ({ tx, tenantId }) => findDashboard(tx, tenantId),
  });
}
