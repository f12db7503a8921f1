import type { JobInput } from '@optarget/shared';
import { AppError } from '../../errors/catalogue.js';
import { defineJob, type PrepareContext } from '../../jobs/definitions.js';
import { liveJobOf } from './campaigns.js';
import { findCampaignRow } from './view.js';

/**
 * A campaign's job exists only for a started campaign of the tenant that no other job is sending:
 * the start and resume endpoints start it, and a rerun through `POST …/jobs` cannot run two at once.
 */
async function prepareCampaign(ctx: PrepareContext, input: JobInput<'WHATSAPP_CAMPAIGN'>) {
  const campaign = await findCampaignRow(ctx.tx, ctx.tenantId, input.campaignId);
  if (campaign.status !== 'RUNNING' && campaign.status !== 'SCHEDULED') {
    throw new AppError('CONFLICT', `The campaign is ${campaign.status.toLowerCase()}; start or resume it from the campaigns page.`, {
      reason: 'campaignNotStarted',
      campaignStatus: campaign.status,
    });
  }
  if (await liveJobOf(ctx.tx, ctx.tenantId, input.campaignId))
    throw new AppError('CONFLICT', 'The campaign is already being sent.', { reason: 'campaignSending' });
}

/** Sends a campaign's pending recipients at its rate (campaigns.ts starts it). */
export const whatsappCampaignJob = defineJob({
  type: 'WHATSAPP_CAMPAIGN',
  prepare: prepareCampaign,
  retry: { limit: 5, delaySeconds: 10, backoff: true },
  timeoutSeconds: 23 * 60 * 60,
  handler: () => import('./job.js').then((m) => m.sendCampaign),
});
