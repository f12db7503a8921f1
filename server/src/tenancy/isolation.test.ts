import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asc, count, eq } from 'drizzle-orm';
import type { Role } from '@optarget/shared';
import {
  auditLogs,
  importUploads,
  invites,
  jobs,
  leadLists,
  leads,
  leadViews,
  lists,
  memberships,
  reportRecommendations,
  reportShares,
  reports,
  tenants,
  tenantSettings,
  whatsappCampaigns,
  whatsappConversations,
  whatsappMessages,
  whatsappTemplates,
} from '../db/schema/index.js';
import { encryptSecret } from '../crypto/secrets.js';
import { inTenantTransaction } from '../db/transactions.js';
import { INVITE_TTL_MS, newInviteToken } from '../invites/tokens.js';
import { signUp, startTestApp, uniqueEmail, type SignedUpUser } from '../test/harness.js';

const t = await startTestApp();
const db = t.database.db;

type Ids = {
  tenantId: string;
  userId: string;
  inviteId: string;
  jobId: string;
  listId: string;
  leadId: string;
  uploadId: string;
  reportId: string;
  shareId: string;
  templateId: string;
  viewId: string;
  campaignId: string;
};
type Row = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path; `:userId` and `:inviteId` are filled with a real member / open invite of the tenant under test. */
  url: string;
  /** A body that would succeed for a member allowed to act. */
  body?: (ids: Ids) => unknown;
  /** A body with one field of the wrong type, and that field's name. */
  badBody?: { body: unknown; field: string };
};

/**
 * Every endpoint under /api/v1/tenants/{tenantId}. A new endpoint must get a row here: the first
 * test below compares this table with the routes the app actually serves.
 */
const matrix: Row[] = [
  { method: 'PATCH', url: '/api/v1/tenants/:tenantId', body: () => ({ name: 'Hijacked' }), badBody: { body: { name: 42 }, field: 'name' } },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/members' },
  {
    method: 'PATCH',
    url: '/api/v1/tenants/:tenantId/members/:userId',
    body: () => ({ role: 'VIEWER' }),
    badBody: { body: { role: 7 }, field: 'role' },
  },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/members/:userId' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/leave' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/transfer-ownership',
    body: (ids) => ({ userId: ids.userId }),
    badBody: { body: { userId: 5 }, field: 'userId' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/invites' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/invites',
    body: () => ({ email: uniqueEmail('intruder'), role: 'ADMIN' }),
    badBody: { body: { email: 5, role: 'MEMBER' }, field: 'email' },
  },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/invites/bulk',
    body: () => ({ emails: uniqueEmail('bulk'), role: 'MEMBER' }),
    badBody: { body: { emails: ['a@example.test'], role: 'MEMBER' }, field: 'emails' },
  },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/invites/:inviteId/resend' },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/invites/:inviteId' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/plan' },
  {
    method: 'PUT',
    url: '/api/v1/tenants/:tenantId/plan',
    body: () => ({ planCode: 'business' }),
    badBody: { body: { planCode: 5 }, field: 'planCode' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/usage' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/audit-logs' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/audit-logs/export.csv' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/imports' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/imports/:uploadId' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/imports/:uploadId/start',
    body: () => ({ mapping: { '0': 'name' } }),
    badBody: { body: { mapping: 42 }, field: 'mapping' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/imports/jobs/:jobId/errors.csv' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/jobs' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/jobs', badBody: { body: { type: 42, input: {} }, field: 'type' } },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/jobs/:jobId' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/jobs/:jobId/logs' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/jobs/:jobId/events' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/jobs/:jobId/cancel' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/jobs/:jobId/rerun' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/searches',
    body: () => ({ query: 'dentists', location: 'Riyadh' }),
    badBody: { body: { query: 42, location: 'Riyadh' }, field: 'query' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/searches/categories' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/lists' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/lists',
    body: () => ({ name: 'Planted list' }),
    badBody: { body: { name: 42 }, field: 'name' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/lists/:listId' },
  {
    method: 'PATCH',
    url: '/api/v1/tenants/:tenantId/lists/:listId',
    body: () => ({ name: 'Hijacked list' }),
    badBody: { body: { description: 42 }, field: 'description' },
  },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/lists/:listId' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/lists/:listId/leads' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/lists/:listId/leads',
    body: (ids) => ({ leadIds: [ids.leadId] }),
    badBody: { body: { leadIds: 'all' }, field: 'leadIds' },
  },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/lists/:listId/leads/remove',
    body: (ids) => ({ leadIds: [ids.leadId] }),
    badBody: { body: { leadIds: [7] }, field: 'leadIds.0' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/lists/:listId/export.csv' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/:leadId/lists' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/leads',
    body: () => ({ name: 'Planted lead' }),
    badBody: { body: { name: 42 }, field: 'name' },
  },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/leads/bulk',
    body: (ids) => ({ selection: { ids: [ids.leadId] }, action: { type: 'delete' } }),
    badBody: { body: { selection: 'all', action: { type: 'delete' } }, field: 'selection' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/export.csv' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/count' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/:leadId' },
  {
    method: 'PATCH',
    url: '/api/v1/tenants/:tenantId/leads/:leadId',
    body: () => ({ name: 'Hijacked lead' }),
    badBody: { body: { status: 7 }, field: 'status' },
  },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/leads/:leadId' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/:leadId/activity' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/:leadId/sources' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/:leadId/duplicates' },
  // `:otherLeadId` is the same lead, so a member allowed to act gets only as far as a 400.
  { method: 'POST', url: '/api/v1/tenants/:tenantId/leads/:leadId/duplicates/:otherLeadId/dismiss' },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/leads/:leadId/duplicates/:otherLeadId/dismiss' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/:leadId/merges' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/leads/:leadId/merges/:mergeId/undo' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/leads/merge/preview',
    // The tenant under test has one lead, so this body only reaches the membership check (outsiders, signed out).
    body: (ids) => ({ keepId: ids.leadId, mergeIds: [ids.leadId] }),
    badBody: { body: { keepId: 5, mergeIds: [] }, field: 'keepId' },
  },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/leads/merge',
    // The tenant under test has one lead, so this body only reaches the membership check (outsiders, signed out).
    body: (ids) => ({ keepId: ids.leadId, mergeIds: [ids.leadId] }),
    badBody: { body: { keepId: 5, mergeIds: [] }, field: 'keepId' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/dashboard' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/dashboard/outreach' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/enrichments',
    body: (ids) => ({ leadIds: [ids.leadId] }),
    badBody: { body: { leadIds: 'all' }, field: 'leadIds' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/:leadId/evidence' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/settings/general' },
  {
    method: 'PATCH',
    url: '/api/v1/tenants/:tenantId/settings/general',
    body: () => ({ defaultCountry: 'EG' }),
    badBody: { body: { defaultCountry: 5 }, field: 'defaultCountry' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/settings/prospecting' },
  {
    method: 'PUT',
    url: '/api/v1/tenants/:tenantId/settings/prospecting/google-places-key',
    body: () => ({ apiKey: 'AIzaSyPlantedKey_abcdefghijklmnop' }),
    badBody: { body: { apiKey: 5 }, field: 'apiKey' },
  },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/settings/prospecting/google-places-key' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/settings/scoring' },
  {
    method: 'PUT',
    url: '/api/v1/tenants/:tenantId/settings/scoring',
    body: () => ({ weights: { NO_HTTPS: 90 } }),
    badBody: { body: { weights: { NO_HTTPS: 'high' } }, field: 'weights.NO_HTTPS' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/settings/branding' },
  {
    method: 'PATCH',
    url: '/api/v1/tenants/:tenantId/settings/branding',
    body: () => ({ displayName: 'Hijacked Agency', brandColor: '#ff0000' }),
    badBody: { body: { brandColor: 5 }, field: 'brandColor' },
  },
  // The logo is sent as raw bytes, which the harness's JSON client cannot plant; settings.test.ts uploads real files.
  { method: 'GET', url: '/api/v1/tenants/:tenantId/settings/branding/logo' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/settings/branding/preview.svg' },
  { method: 'PUT', url: '/api/v1/tenants/:tenantId/settings/branding/logo' },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/settings/branding/logo' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/reports' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/reports',
    body: (ids) => ({ leadId: ids.leadId }),
    badBody: { body: { leadId: 5 }, field: 'leadId' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/reports/events' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/reports/:reportId' },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/reports/:reportId' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/reports/:reportId/file' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/reports/:reportId/regenerate' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/reports/:reportId/shares',
    body: () => ({}),
    badBody: { body: { expiresInDays: 'forever' }, field: 'expiresInDays' },
  },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/reports/:reportId/shares/:shareId/revoke' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/reports/:reportId/views' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/lists/:listId/lead-reports',
    body: () => ({}),
    badBody: { body: { language: 5 }, field: 'language' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/lists/:listId/lead-reports.zip' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/report-recommendations' },
  {
    method: 'PUT',
    url: '/api/v1/tenants/:tenantId/report-recommendations',
    body: () => ({ kind: 'NO_HTTPS', language: 'en', text: 'Hijacked advice' }),
    badBody: { body: { kind: 'NO_HTTPS', language: 'en', text: 5 }, field: 'text' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/settings/whatsapp' },
  {
    method: 'PATCH',
    url: '/api/v1/tenants/:tenantId/settings/whatsapp',
    body: () => ({ phoneNumberId: '106540352242922', appSecret: 'planted_app_secret' }),
    badBody: { body: { phoneNumberId: 5 }, field: 'phoneNumberId' },
  },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/settings/whatsapp' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/settings/whatsapp/verify-token' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/whatsapp/connection-check' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/whatsapp/templates' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/whatsapp/templates',
    body: () => ({ name: 'hijacked', language: 'en', category: 'UTILITY', body: 'Hello' }),
    badBody: { body: { name: 5, language: 'en', category: 'UTILITY', body: 'Hello' }, field: 'name' },
  },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/whatsapp/templates/:templateId' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/whatsapp/templates/sync' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/whatsapp/conversations' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/whatsapp/events' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/:leadId/whatsapp' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/leads/:leadId/whatsapp/messages' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/leads/:leadId/whatsapp/messages',
    body: () => ({ kind: 'text', text: 'Hello' }),
    badBody: { body: { kind: 'text', text: 5 }, field: 'text' },
  },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/leads/:leadId/whatsapp/consent',
    body: () => ({ state: 'OPTED_IN', proof: 'Signed the form at the expo' }),
    badBody: { body: { state: 'OPTED_IN', proof: 5 }, field: 'proof' },
  },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/leads/:leadId/whatsapp/read' },
  {
    method: 'PUT',
    url: '/api/v1/tenants/:tenantId/leads/:leadId/whatsapp/assignee',
    body: (ids) => ({ assignedUserId: ids.userId }),
    badBody: { body: { assignedUserId: 5 }, field: 'assignedUserId' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/lead-views' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/lead-views',
    body: () => ({ name: 'Hijacked view', shared: true, layout: { filter: {}, sort: 'name', columns: ['name'], density: 'compact' } }),
    badBody: { body: { name: 5, layout: { filter: {}, sort: 'name', columns: ['name'], density: 'compact' } }, field: 'name' },
  },
  { method: 'DELETE', url: '/api/v1/tenants/:tenantId/lead-views/:viewId' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/settings/whatsapp-rates' },
  {
    method: 'PUT',
    url: '/api/v1/tenants/:tenantId/settings/whatsapp-rates',
    body: () => ({ currency: 'USD', rates: [{ country: 'SA', category: 'MARKETING', rate: 9 }] }),
    badBody: { body: { currency: 'USD', rates: [{ country: 'SA', category: 'MARKETING', rate: 'free' }] }, field: 'rates.0.rate' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/whatsapp/campaigns' },
  {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/whatsapp/campaigns',
    body: (ids) => ({ name: 'Hijack', listId: ids.listId, templateId: ids.campaignId, parameters: [] }),
    badBody: { body: { name: 5, listId: randomUUID(), templateId: randomUUID(), parameters: [] }, field: 'name' },
  },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/whatsapp/campaigns/:campaignId' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/whatsapp/campaigns/:campaignId/preview' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/whatsapp/campaigns/:campaignId/recipients' },
  { method: 'GET', url: '/api/v1/tenants/:tenantId/whatsapp/campaigns/:campaignId/recipients.csv' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/whatsapp/campaigns/:campaignId/start' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/whatsapp/campaigns/:campaignId/pause' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/whatsapp/campaigns/:campaignId/resume' },
  { method: 'POST', url: '/api/v1/tenants/:tenantId/whatsapp/campaigns/:campaignId/cancel' },
];

const label = (row: Row) => `${row.method} ${row.url}`;
/** The row's id parameter other than the tenant's (e.g. `userId`), if it has one. */
const idParamOf = (row: Row) => row.url.match(/:(?!tenantId)(\w+)/)?.[1] as keyof Ids | undefined;
const fill = (url: string, ids: Ids) =>
  url
    .replace(':tenantId', ids.tenantId)
    .replace(':userId', ids.userId)
    .replace(':inviteId', ids.inviteId)
    .replace(':jobId', ids.jobId)
    .replace(':listId', ids.listId)
    .replace(':leadId', ids.leadId)
    .replace(':otherLeadId', ids.leadId)
    .replace(':mergeId', randomUUID())
    .replace(':uploadId', ids.uploadId)
    .replace(':reportId', ids.reportId)
    .replace(':shareId', ids.shareId)
    .replace(':templateId', ids.templateId)
    .replace(':viewId', ids.viewId)
    .replace(':campaignId', ids.campaignId);

/** Everything a tenant's owner would notice if another tenant could touch it. */
async function snapshot(tenantId: string) {
  const [tenant] = await db.select({ name: tenants.name, planCode: tenants.planCode }).from(tenants).where(eq(tenants.id, tenantId));
  const [settings] = await db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId));
  const members = await db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(memberships.userId));
  const openInvites = await db
    .select({ id: invites.id, email: invites.email, role: invites.role, lastSentAt: invites.lastSentAt, revokedAt: invites.revokedAt })
    .from(invites)
    .where(eq(invites.tenantId, tenantId))
    .orderBy(asc(invites.id));
  const [audit] = await db.select({ n: count() }).from(auditLogs).where(eq(auditLogs.tenantId, tenantId));
  const jobRows = await db
    .select({ id: jobs.id, status: jobs.status, cancelRequestedAt: jobs.cancelRequestedAt })
    .from(jobs)
    .where(eq(jobs.tenantId, tenantId))
    .orderBy(asc(jobs.id));
  const listRows = await db
    .select({ id: lists.id, name: lists.name, description: lists.description })
    .from(lists)
    .where(eq(lists.tenantId, tenantId))
    .orderBy(asc(lists.id));
  const listMembers = await db
    .select({ listId: leadLists.listId, leadId: leadLists.leadId })
    .from(leadLists)
    .where(eq(leadLists.tenantId, tenantId))
    .orderBy(asc(leadLists.listId), asc(leadLists.leadId));
  const leadRows = await db
    .select({ id: leads.id, name: leads.name, status: leads.status, tags: leads.tags, updatedAt: leads.updatedAt })
    .from(leads)
    .where(eq(leads.tenantId, tenantId))
    .orderBy(asc(leads.id));
  const conversations = await db.select().from(whatsappConversations).where(eq(whatsappConversations.tenantId, tenantId));
  const [messages] = await db.select({ n: count() }).from(whatsappMessages).where(eq(whatsappMessages.tenantId, tenantId));
  const reportRows = await db
    .select({ id: reports.id, status: reports.status, jobId: reports.jobId })
    .from(reports)
    .where(eq(reports.tenantId, tenantId))
    .orderBy(asc(reports.id));
  const shareRows = await db
    .select({ id: reportShares.id, revokedAt: reportShares.revokedAt })
    .from(reportShares)
    .where(eq(reportShares.tenantId, tenantId))
    .orderBy(asc(reportShares.id));
  const advice = await db.select().from(reportRecommendations).where(eq(reportRecommendations.tenantId, tenantId));
  const templates = await db.select().from(whatsappTemplates).where(eq(whatsappTemplates.tenantId, tenantId));
  const views = await db.select().from(leadViews).where(eq(leadViews.tenantId, tenantId)).orderBy(asc(leadViews.id));
  const campaigns = await db
    .select({ id: whatsappCampaigns.id, status: whatsappCampaigns.status })
    .from(whatsappCampaigns)
    .where(eq(whatsappCampaigns.tenantId, tenantId));
  return {
    views,
    campaigns,
    tenant,
    settings,
    reports: reportRows,
    shares: shareRows,
    advice,
    templates,
    conversations,
    whatsappMessages: messages.n,
    members,
    invites: openInvites,
    auditEntries: audit.n,
    jobs: jobRows,
    lists: listRows,
    listMembers,
    leads: leadRows,
  };
}

/** A tenant with an owner, a second member and an open invitation, all set up directly in the database. */
async function tenantWithTeam(): Promise<{ owner: SignedUpUser; ids: Ids }> {
  const owner = await signUp(t, { name: 'Owner' });
  const member = await signUp(t, { name: 'Member' });
  await db.insert(memberships).values({ tenantId: owner.tenantId, userId: member.user.id, role: 'MEMBER' satisfies Role });
  const [invite] = await db
    .insert(invites)
    .values({
      tenantId: owner.tenantId,
      email: uniqueEmail('invitee'),
      role: 'MEMBER',
      tokenHash: newInviteToken().tokenHash,
      invitedByUserId: owner.user.id,
      expiresAt: new Date(Date.now() + INVITE_TTL_MS),
    })
    .returning();
  const [job] = await db
    .insert(jobs)
    .values({ tenantId: owner.tenantId, type: 'IMPORT_LEADS', createdByUserId: owner.user.id })
    .returning();
  const [lead] = await db.insert(leads).values({ tenantId: owner.tenantId, name: 'Listed lead' }).returning();
  const [list] = await db.insert(lists).values({ tenantId: owner.tenantId, name: 'Team list' }).returning();
  await db.insert(leadLists).values({ tenantId: owner.tenantId, listId: list.id, leadId: lead.id });
  await db.insert(tenantSettings).values({
    tenantId: owner.tenantId,
    defaultCountry: 'SA',
    googlePlacesKeyEnc: encryptSecret(t.config.appSecret, 'google-places-key', 'AIzaSyTeamKey_abcdefghijklmnopqrst'),
    displayName: 'Team Agency',
    logo: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'),
    logoContentType: 'image/svg+xml',
    logoUpdatedAt: new Date(),
  });
  const [upload] = await db
    .insert(importUploads)
    .values({
      tenantId: owner.tenantId,
      fileName: 'team.csv',
      sizeBytes: 7,
      encoding: 'utf-8',
      delimiter: ',',
      headers: ['Name'],
      preview: [['A']],
      rowCount: 1,
      chunkCount: 0,
    })
    .returning();
  const [report] = await db
    .insert(reports)
    .values({ tenantId: owner.tenantId, leadId: lead.id, status: 'SUCCEEDED', file: Buffer.from('%PDF-1.7 team'), fileName: 'team.pdf' })
    .returning();
  const [share] = await db
    .insert(reportShares)
    .values({ tenantId: owner.tenantId, reportId: report.id, tokenHash: randomUUID(), expiresAt: new Date(Date.now() + INVITE_TTL_MS) })
    .returning();
  const [template] = await db
    .insert(whatsappTemplates)
    .values({ tenantId: owner.tenantId, name: 'team_welcome', language: 'en', category: 'UTILITY', status: 'APPROVED', components: [] })
    .returning();
  const [view] = await db
    .insert(leadViews)
    .values({
      tenantId: owner.tenantId,
      userId: owner.user.id,
      name: 'Team view',
      shared: true,
      layout: { filter: {}, sort: 'name', columns: ['name'], widths: {}, density: 'compact' },
    })
    .returning();
  const [campaign] = await db
    .insert(whatsappCampaigns)
    .values({
      tenantId: owner.tenantId,
      name: 'Team campaign',
      listId: list.id,
      templateName: 'order_confirmation',
      templateLanguage: 'en_US',
      templateCategory: 'UTILITY',
      parameters: [],
    })
    .returning();
  return {
    owner,
    ids: {
      templateId: template.id,
      viewId: view.id,
      campaignId: campaign.id,
      reportId: report.id,
      shareId: share.id,
      tenantId: owner.tenantId,
      userId: member.user.id,
      inviteId: invite.id,
      jobId: job.id,
      listId: list.id,
      leadId: lead.id,
      uploadId: upload.id,
    },
  };
}

const send = (who: SignedUpUser, row: Row, ids: Ids, body = row.body?.(ids)) => who.client.request(row.method, fill(row.url, ids), body);

describe('the matrix covers every tenant-scoped endpoint', () => {
  it('lists exactly the routes the app serves under /api/v1/tenants/{tenantId}', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const served = Object.entries(doc.paths)
      .filter(([path]) => path === '/api/v1/tenants/{tenantId}' || path.startsWith('/api/v1/tenants/{tenantId}/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(matrix.map(label).sort()).toEqual(served.sort());
    for (const row of matrix) expect(t.app.hasRoute({ method: row.method, url: row.url }), label(row)).toBe(true);
  });
});

describe('cross-tenant access', () => {
  it("a member of tenant B gets 404 for every endpoint of tenant A, with A's real ids, and A is unchanged", async () => {
    const a = await tenantWithTeam();
    const b = await tenantWithTeam();
    const before = await snapshot(a.ids.tenantId);
    for (const row of matrix) {
      const res = await send(b.owner, row, a.ids);
      expect(res.status, label(row)).toBe(404);
      expect(res.body.code, label(row)).toBe('NOT_FOUND');
      expect(res.body.detail, label(row)).toMatch(/not a member/);
    }
    expect(await snapshot(a.ids.tenantId)).toEqual(before);
  });

  it("A's member and invite ids used inside tenant B are not found, and neither tenant changes", async () => {
    const a = await tenantWithTeam();
    const b = await tenantWithTeam();
    const beforeA = await snapshot(a.ids.tenantId);
    const beforeB = await snapshot(b.ids.tenantId);
    const foreignIds: Ids = { ...a.ids, tenantId: b.ids.tenantId };
    for (const row of matrix.filter((r) => idParamOf(r) || r.url.endsWith('/transfer-ownership'))) {
      const res = await send(b.owner, row, foreignIds);
      expect(res.status, label(row)).toBe(404);
      expect(res.body.code, label(row)).toBe('NOT_FOUND');
    }
    expect(await snapshot(a.ids.tenantId)).toEqual(beforeA);
    expect(await snapshot(b.ids.tenantId)).toEqual(beforeB);
  });

  it('signed-out callers get 401 for every endpoint and nothing changes', async () => {
    const a = await tenantWithTeam();
    const before = await snapshot(a.ids.tenantId);
    for (const row of matrix) {
      const body = row.body?.(a.ids);
      const res = await t.app.inject({
        method: row.method,
        url: fill(row.url, a.ids),
        payload: body === undefined ? undefined : (body as object),
      });
      expect(res.statusCode, label(row)).toBe(401);
      expect(res.json().code, label(row)).toBe('UNAUTHENTICATED');
    }
    expect(await snapshot(a.ids.tenantId)).toEqual(before);
  });
});

describe('row-level security', () => {
  it("a query without any tenant filter sees only the context tenant's rows", async () => {
    const a = await tenantWithTeam();
    const b = await tenantWithTeam();
    const seen = await inTenantTransaction(db, b.ids.tenantId, (tx) => tx.select().from(memberships));
    expect(seen.length).toBe(2);
    expect(seen.every((m) => m.tenantId === b.ids.tenantId)).toBe(true);
    const invitesSeen = await inTenantTransaction(db, b.ids.tenantId, (tx) => tx.select().from(invites));
    expect(invitesSeen.map((i) => i.tenantId)).toEqual([b.ids.tenantId]);
    const tenantsSeen = await inTenantTransaction(db, b.ids.tenantId, (tx) => tx.select({ id: tenants.id }).from(tenants));
    expect(tenantsSeen).toEqual([{ id: b.ids.tenantId }]);
    const auditSeen = await inTenantTransaction(db, b.ids.tenantId, (tx) => tx.select({ tenantId: auditLogs.tenantId }).from(auditLogs));
    expect(auditSeen.length).toBeGreaterThan(0);
    expect(auditSeen.every((e) => e.tenantId === b.ids.tenantId)).toBe(true);
    expect(seen.some((m) => m.tenantId === a.ids.tenantId)).toBe(false);
  });

  it("writing a row with tenant A's id from tenant B's context fails, and updates cannot reach A's rows", async () => {
    const a = await tenantWithTeam();
    const b = await tenantWithTeam();
    const before = await snapshot(a.ids.tenantId);
    const failure = await inTenantTransaction(db, b.ids.tenantId, (tx) =>
      tx.insert(memberships).values({ tenantId: a.ids.tenantId, userId: b.owner.user.id, role: 'OWNER' }),
    ).then(
      () => 'no error',
      (error: { cause?: { message?: string }; message: string }) => error.cause?.message ?? error.message,
    );
    expect(failure).toMatch(/row-level security/);
    const updated = await inTenantTransaction(db, b.ids.tenantId, (tx) =>
      tx.update(tenants).set({ name: 'Hijacked' }).where(eq(tenants.id, a.ids.tenantId)).returning(),
    );
    expect(updated).toEqual([]);
    const deleted = await inTenantTransaction(db, b.ids.tenantId, (tx) =>
      tx.delete(memberships).where(eq(memberships.tenantId, a.ids.tenantId)).returning(),
    );
    expect(deleted).toEqual([]);
    expect(await snapshot(a.ids.tenantId)).toEqual(before);
  });
});

describe('bad input', () => {
  it.each(matrix.filter((row) => row.badBody).map((row) => [label(row), row] as const))(
    '%s with a wrong-typed field answers 400 naming it, and nothing changes',
    async (_label, row) => {
      const own = await tenantWithTeam();
      const before = await snapshot(own.ids.tenantId);
      const res = await send(own.owner, row, own.ids, row.badBody!.body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(row.badBody!.field);
      expect(await snapshot(own.ids.tenantId)).toEqual(before);
    },
  );

  it.each(matrix.filter((row) => idParamOf(row)).map((row) => [label(row), row] as const))(
    '%s with a malformed id answers 400 naming it',
    async (_label, row) => {
      const own = await tenantWithTeam();
      const before = await snapshot(own.ids.tenantId);
      const param = idParamOf(row)!;
      const res = await send(own.owner, row, { ...own.ids, [param]: 'not-an-id' });
      expect(res.status).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(`params.${param}`);
      expect(await snapshot(own.ids.tenantId)).toEqual(before);
    },
  );

  it('bad input to a read still answers 404 to a stranger and 403 to a too-weak role before any 400', async () => {
    const own = await tenantWithTeam();
    const stranger = await signUp(t);
    const viewer = await signUp(t);
    await db.insert(memberships).values({ tenantId: own.ids.tenantId, userId: viewer.user.id, role: 'VIEWER' satisfies Role });
    const badLead = `/api/v1/tenants/${own.ids.tenantId}/leads/not-an-id`;
    const badAuditQuery = `/api/v1/tenants/${own.ids.tenantId}/audit-logs?limit=many`;
    expect((await stranger.client.get(badLead)).status).toBe(404);
    expect((await stranger.client.get(badAuditQuery)).status).toBe(404);
    expect((await viewer.client.get(badAuditQuery)).status).toBe(403);
    expect((await viewer.client.get(badLead)).status).toBe(400);
    expect((await own.owner.client.get(badAuditQuery)).status).toBe(400);
  });

  it('a tenant id that is not a uuid is simply not found', async () => {
    const own = await tenantWithTeam();
    const res = await own.owner.client.get('/api/v1/tenants/not-a-tenant/plan');
    expect(res.status).toBe(404);
  });
});
