import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  campaignAuditActions,
  MAX_CAMPAIGN_DELAY_DAYS,
  type CampaignPreview,
  type CreateCampaignBody,
  type FieldRule,
  type TemplateParameter,
  type WhatsappCampaign,
  whatsappFailureNotes,
} from '@optarget/shared';
import { recordAudit } from '../../audit/record.js';
import { jobs, whatsappCampaignRecipients, whatsappCampaigns, whatsappMessages, whatsappTemplates } from '../../db/schema/index.js';
import type { Tx } from '../../db/transactions.js';
import { AppError } from '../../errors/catalogue.js';
import type { TenantContext } from '../../http/routes.js';
import { startJob } from '../../jobs/start.js';
import { assertWithinPlan, incrementUsage } from '../../plans/limits.js';
import { requireList } from '../../lists/lists.js';
import { getWhatsappRates } from '../../settings/whatsapp-rates.js';
import { requireConnection } from '../connection.js';
import { variablesOf } from '../templates.js';
import { classifyAudience, countSkips, planRemaining } from './audience.js';
import { releaseReserved } from './recipient.js';
import { estimateCost } from './cost.js';
import { findCampaign, findCampaignRow, type CampaignRow } from './view.js';

const invalid = (field: string, message: string, rule: FieldRule, params?: Record<string, string | number>) =>
  new AppError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [{ field, message, rule, ...(params ? { params } : {}) }] });

/** The approved template the body names, with exactly one mapping per variable. */
async function approvedTemplate(tx: Tx, tenantId: string, templateId: string, mappings: TemplateParameter[]) {
  const [template] = await tx
    .select()
    .from(whatsappTemplates)
    .where(and(eq(whatsappTemplates.tenantId, tenantId), eq(whatsappTemplates.id, templateId)));
  if (!template) throw new AppError('NOT_FOUND', 'No such template.');
  if (template.status !== 'APPROVED') {
    throw new AppError(
      'WHATSAPP_TEMPLATE_NOT_APPROVED',
      `The template ${template.name} is ${template.status}; only approved templates can be sent.`,
      { template: template.name, templateStatus: template.status },
    );
  }
  const variables = variablesOf(template).length;
  const link = mappings.findIndex((p) => p.source === 'reportLink');
  if (link >= 0)
    throw invalid(`parameters.${link}`, 'a campaign cannot carry report links; send reports from the lead page', 'campaignReportLink');
  if (mappings.length !== variables) {
    const message = `the template ${template.name} has ${variables} variable(s); ${mappings.length} given`;
    throw invalid('parameters', message, 'templateVariables', { name: template.name, variables, given: mappings.length });
  }
  return template;
}

function checkStartAt(startAt: string | null) {
  if (!startAt) return;
  const at = Date.parse(startAt);
  if (at > Date.now() + MAX_CAMPAIGN_DELAY_DAYS * 86_400_000) {
    throw invalid('startAt', `must be within ${MAX_CAMPAIGN_DELAY_DAYS} days`, 'withinDays', { days: MAX_CAMPAIGN_DELAY_DAYS });
  }
}

/** A campaign in DRAFT: nothing is sent until it is previewed and started. */
export async function createCampaign(ctx: TenantContext, body: CreateCampaignBody): Promise<WhatsappCampaign> {
  const { tx, tenantId } = ctx;
  checkStartAt(body.startAt);
  const list = await requireList(tx, tenantId, body.listId);
  const template = await approvedTemplate(tx, tenantId, body.templateId, body.parameters);
  const [row] = await tx
    .insert(whatsappCampaigns)
    .values({
      tenantId,
      name: body.name,
      listId: list.id,
      listName: list.name,
      templateId: template.id,
      templateName: template.name,
      templateLanguage: template.language,
      templateCategory: template.category,
      parameters: body.parameters,
      ratePerSecond: body.ratePerSecond,
      startAt: body.startAt ? new Date(body.startAt) : null,
      createdByUserId: ctx.actor.userId,
    })
    .returning();
  await recordAudit(tx, tenantId, ctx.actor, {
    action: campaignAuditActions.created,
    targetType: 'whatsapp_campaign',
    targetId: row.id,
    metadata: { name: row.name, listId: list.id, template: template.name, ratePerSecond: row.ratePerSecond, startAt: body.startAt },
  });
  return findCampaign(tx, tenantId, row.id);
}

/** Who the campaign would reach now and why the others would not, with what it would cost. */
async function audienceOf(tx: Tx, tenantId: string, campaign: CampaignRow) {
  if (!campaign.listId) throw new AppError('CONFLICT', 'The campaign’s list was deleted.', { reason: 'campaignListDeleted' });
  const remaining = await planRemaining(tx, tenantId);
  const members = await classifyAudience(tx, tenantId, campaign.listId, campaign.parameters, remaining);
  const cost = estimateCost(members, campaign.templateCategory, await getWhatsappRates(tx, tenantId));
  return { members, remaining, cost };
}

export async function previewCampaign(ctx: TenantContext, campaignId: string): Promise<CampaignPreview> {
  const campaign = await findCampaignRow(ctx.tx, ctx.tenantId, campaignId);
  const { members, remaining, cost } = await audienceOf(ctx.tx, ctx.tenantId, campaign);
  const willReceive = members.filter((m) => !m.skipReason).length;
  return {
    listSize: members.length,
    willReceive,
    skipped: countSkips(members),
    planRemaining: remaining,
    cost,
    durationSeconds: Math.ceil(willReceive / campaign.ratePerSecond),
  };
}

const requireStatus = (campaign: CampaignRow, allowed: string[], action: 'started' | 'paused' | 'resumed' | 'cancelled') => {
  if (!allowed.includes(campaign.status))
    throw new AppError('CONFLICT', `A ${campaign.status.toLowerCase()} campaign cannot be ${action}.`, {
      reason: 'campaignState',
      campaignStatus: campaign.status,
      action,
    });
};

/** The campaign's job that has not ended yet, if any. */
export async function liveJobOf(tx: Tx, tenantId: string, campaignId: string) {
  const [job] = await tx
    .select({ id: jobs.id, status: jobs.status })
    .from(jobs)
    .where(
      and(
        eq(jobs.tenantId, tenantId),
        eq(jobs.type, 'WHATSAPP_CAMPAIGN'),
        sql`${jobs.input}->>'campaignId' = ${campaignId}`,
        inArray(jobs.status, ['PENDING', 'RUNNING']),
      ),
    );
  return job ?? null;
}

/** The job that sends the campaign, held back until its start time. */
async function startSending(ctx: TenantContext, campaign: CampaignRow) {
  const startAfter = campaign.startAt && campaign.startAt > new Date() ? campaign.startAt : undefined;
  const campaignRow = eq(whatsappCampaigns.id, campaign.id);
  await ctx.tx
    .update(whatsappCampaigns)
    .set({ status: startAfter ? 'SCHEDULED' : 'RUNNING' })
    .where(campaignRow);
  const job = await startJob(ctx, 'WHATSAPP_CAMPAIGN', { campaignId: campaign.id }, { startAfter });
  await ctx.tx.update(whatsappCampaigns).set({ jobId: job.id }).where(campaignRow);
}

/**
 * Starts a DRAFT campaign: its recipients are written as the preview counts them (one row per lead
 * of the list, skipped ones with their reason) and the sending job is started, at the start time
 * if there is one. Consent and the plan are checked again for each recipient just before its send.
 */
export async function startCampaign(ctx: TenantContext, campaignId: string): Promise<WhatsappCampaign> {
  const { tx, tenantId } = ctx;
  const campaign = await findCampaignRow(tx, tenantId, campaignId, true);
  requireStatus(campaign, ['DRAFT'], 'started');
  await requireConnection(tx, tenantId, ctx.services.config);
  if (!campaign.templateId) throw new AppError('CONFLICT', 'The campaign’s template was deleted.', { reason: 'campaignTemplateDeleted' });
  await approvedTemplate(tx, tenantId, campaign.templateId, campaign.parameters);
  const { members, cost } = await audienceOf(tx, tenantId, campaign);
  const willReceive = members.filter((m) => !m.skipReason).length;
  if (!willReceive)
    throw new AppError('CONFLICT', 'Nobody on the list can receive this campaign; see the preview for the reasons.', {
      reason: 'campaignNobodyToReceive',
    });
  // The plan's messages are reserved now, so a send never waits on the plan; unsent ones are given back.
  await assertWithinPlan(tx, tenantId, 'whatsappMessages', willReceive);
  await incrementUsage(tx, tenantId, 'whatsappMessages', willReceive);
  for (let i = 0; i < members.length; i += 1000) {
    await tx.insert(whatsappCampaignRecipients).values(
      members.slice(i, i + 1000).map((m, j) => ({
        tenantId,
        campaignId,
        leadId: m.leadId,
        position: i + j,
        phone: m.phone,
        country: m.country,
        status: m.skipReason ? 'SKIPPED' : 'PENDING',
        skipReason: m.skipReason,
        parameters: m.parameters,
      })),
    );
  }
  await tx
    .update(whatsappCampaigns)
    .set({ estimatedCost: cost.currency ? cost.total : null, currency: cost.currency, startedAt: new Date() })
    .where(eq(whatsappCampaigns.id, campaignId));
  await startSending(ctx, campaign);
  await audit(ctx, campaign, campaignAuditActions.started, {
    recipients: willReceive,
    skipped: countSkips(members),
    estimatedCost: cost.total,
  });
  return findCampaign(tx, tenantId, campaignId);
}

/** Stops sending after the messages already on their way; nothing pending is lost. */
export async function pauseCampaign(ctx: TenantContext, campaignId: string): Promise<WhatsappCampaign> {
  const campaign = await findCampaignRow(ctx.tx, ctx.tenantId, campaignId, true);
  requireStatus(campaign, ['SCHEDULED', 'RUNNING'], 'paused');
  await ctx.tx.update(whatsappCampaigns).set({ status: 'PAUSED' }).where(eq(whatsappCampaigns.id, campaignId));
  await endWaitingJob(ctx, campaignId);
  await audit(ctx, campaign, campaignAuditActions.paused);
  return findCampaign(ctx.tx, ctx.tenantId, campaignId);
}

/** Goes on with the recipients still pending, with a new job once the previous one has let go. */
export async function resumeCampaign(ctx: TenantContext, campaignId: string): Promise<WhatsappCampaign> {
  const campaign = await findCampaignRow(ctx.tx, ctx.tenantId, campaignId, true);
  requireStatus(campaign, ['PAUSED', 'STOPPED'], 'resumed');
  if (await liveJobOf(ctx.tx, ctx.tenantId, campaignId)) {
    throw new AppError('CONFLICT', 'The campaign is still finishing the messages on their way; resume it in a moment.', {
      reason: 'campaignFinishing',
    });
  }
  await requireConnection(ctx.tx, ctx.tenantId, ctx.services.config);
  await ctx.tx
    .update(whatsappCampaigns)
    .set({ stopReason: null, stopCode: null, finishedAt: null })
    .where(eq(whatsappCampaigns.id, campaignId));
  await startSending(ctx, campaign);
  await audit(ctx, campaign, campaignAuditActions.resumed);
  return findCampaign(ctx.tx, ctx.tenantId, campaignId);
}

/** Ends the campaign: recipients not yet sent are skipped as cancelled, and the job stops at its next send. */
export async function cancelCampaign(ctx: TenantContext, campaignId: string): Promise<WhatsappCampaign> {
  const campaign = await findCampaignRow(ctx.tx, ctx.tenantId, campaignId, true);
  requireStatus(campaign, ['DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED', 'STOPPED'], 'cancelled');
  await ctx.tx.update(whatsappCampaigns).set({ status: 'CANCELLED', finishedAt: new Date() }).where(eq(whatsappCampaigns.id, campaignId));
  const cancelled = await skipUnsent(ctx.tx, ctx.tenantId, campaignId);
  await endWaitingJob(ctx, campaignId, true);
  await audit(ctx, campaign, campaignAuditActions.cancelled, { notSent: cancelled });
  return findCampaign(ctx.tx, ctx.tenantId, campaignId);
}

/** Marks every pending recipient skipped as cancelled and fails the messages some had queued; returns how many. */
export async function skipUnsent(tx: Tx, tenantId: string, campaignId: string): Promise<number> {
  const r = whatsappCampaignRecipients;
  const skipped = await tx
    .update(r)
    .set({ status: 'SKIPPED', skipReason: 'CANCELLED' })
    .where(and(eq(r.tenantId, tenantId), eq(r.campaignId, campaignId), eq(r.status, 'PENDING')))
    .returning({ messageId: r.messageId });
  await releaseReserved(tx, tenantId, skipped.length);
  const queued = skipped.flatMap((s) => (s.messageId ? [s.messageId] : []));
  if (queued.length) {
    await tx
      .update(whatsappMessages)
      .set({ status: 'FAILED', failedAt: new Date(), errorTitle: whatsappFailureNotes.campaignCancelled })
      .where(and(eq(whatsappMessages.tenantId, tenantId), inArray(whatsappMessages.id, queued), eq(whatsappMessages.status, 'QUEUED')));
  }
  return skipped.length;
}

/**
 * A job still waiting for its start time ends now. A running one notices the campaign's status at
 * its next send; on a cancel it is also asked to cancel, so the job shows it.
 */
async function endWaitingJob(ctx: TenantContext, campaignId: string, cancelRunning = false) {
  const job = await liveJobOf(ctx.tx, ctx.tenantId, campaignId);
  if (!job || (job.status === 'RUNNING' && !cancelRunning)) return;
  await ctx.tx
    .update(jobs)
    .set({
      cancelRequestedAt: sql`coalesce(${jobs.cancelRequestedAt}, now())`,
      ...(job.status === 'PENDING' ? { status: 'CANCELLED' as const, finishedAt: new Date() } : {}),
    })
    .where(and(eq(jobs.id, job.id), eq(jobs.status, job.status)));
  ctx.afterCommit(() => ctx.services.queue.signals.announceChanged(job.id));
}

type CampaignChange = (typeof campaignAuditActions)[Exclude<keyof typeof campaignAuditActions, 'created' | 'recipientsExported'>];

function audit(ctx: TenantContext, campaign: CampaignRow, action: CampaignChange, metadata: Record<string, unknown> = {}) {
  return recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
    action,
    targetType: 'whatsapp_campaign',
    targetId: campaign.id,
    metadata: { name: campaign.name, statusBefore: campaign.status, ...metadata },
  });
}
