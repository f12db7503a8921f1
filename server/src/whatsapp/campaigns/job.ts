import { and, eq, inArray } from 'drizzle-orm';
import { whatsappCampaigns, whatsappTemplates } from '../../db/schema/index.js';
import type { Tx } from '../../db/transactions.js';
import type { JobHandler, JobRun } from '../../jobs/definitions.js';
import { loadWhatsappConnection } from '../../settings/whatsapp.js';
import { announceWhatsappChange } from '../live.js';
import { variablesOf } from '../templates.js';
import { skipUnsent } from './campaigns.js';
import { markUnconfirmed } from './recipient.js';
import { CampaignSender } from './sender.js';
import { findCampaignRow, type CampaignRow } from './view.js';
import { campaignStopJobText, campaignStopReasons } from '@optarget/shared';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const live = ['SCHEDULED', 'RUNNING'];

/**
 * Sends a started campaign. It waits for the start time (the queue normally holds it until then),
 * takes over from a run that stopped (its in-flight recipients become unconfirmed, never re-sent),
 * sends the pending recipients at the campaign's rate, and ends the campaign: completed, stopped
 * with Meta's reason, or left paused or cancelled as someone asked.
 */
export const sendCampaign: JobHandler<'WHATSAPP_CAMPAIGN'> = {
  async run(job, { campaignId }) {
    const { tenantId } = job;
    const load = () => job.inTenant((tx) => findCampaignRow(tx, tenantId, campaignId));
    let campaign = await load();
    while (live.includes(campaign.status) && campaign.startAt && campaign.startAt.getTime() > Date.now()) {
      if (await job.isCancelled()) return { status: campaign.status };
      await sleep(Math.min(campaign.startAt.getTime() - Date.now(), 1000));
      campaign = await load();
    }
    if (!live.includes(campaign.status)) return { status: campaign.status };
    await setCampaign(job, campaign, { status: 'RUNNING', jobId: job.jobId });

    const unconfirmed = await job.inTenant((tx) => markUnconfirmed(tx, tenantId, campaignId));
    if (unconfirmed) {
      await job.log(
        'warn',
        { code: 'log.campaignUnconfirmed', params: { count: unconfirmed } },
        {
          unconfirmed,
        },
      );
    }
    const conn = await job.inTenant((tx) => loadWhatsappConnection(tx, tenantId, job.services.config));
    const template = await job.inTenant((tx) => templateOf(tx, campaign));
    const blocked = !conn ? campaignStopReasons.disconnected : template.problem;
    if (blocked) return stop(job, campaign, { code: null, reason: blocked });

    const sender = new CampaignSender(job, campaign, conn!, template.variables);
    const end = await sender.run();
    if (end.kind === 'stopped') {
      if (end.code === 132015 || end.code === 132016) {
        const status = end.code === 132015 ? 'PAUSED' : 'DISABLED';
        await job.inTenant((tx) =>
          tx
            .update(whatsappTemplates)
            .set({ status })
            .where(and(eq(whatsappTemplates.tenantId, tenantId), eq(whatsappTemplates.id, campaign.templateId!))),
        );
      }
      return stop(job, campaign, end);
    }
    if (end.kind === 'cancelled') {
      // Cancelled through the job itself: the campaign ends with it.
      await job.inTenant(async (tx) => {
        const changed = await setCampaignIn(tx, campaign, { status: 'CANCELLED', finishedAt: new Date() });
        if (changed) await skipUnsent(tx, tenantId, campaignId);
      });
      return { status: 'CANCELLED', sent: sender.sent };
    }
    if (end.kind === 'halted') return { status: (await load()).status, sent: sender.sent };
    await setCampaign(job, campaign, { status: 'COMPLETED', finishedAt: new Date() });
    await announceWhatsappChange(job.services, tenantId);
    return { status: 'COMPLETED', sent: sender.sent };
  },
};

/** The campaign's template variables, and why it cannot be sent now (or null). */
async function templateOf(tx: Tx, campaign: CampaignRow): Promise<{ problem: string | null; variables: string[] }> {
  const [template] = campaign.templateId
    ? await tx.select().from(whatsappTemplates).where(eq(whatsappTemplates.id, campaign.templateId))
    : [];
  if (!template) return { problem: campaignStopReasons.templateDeleted, variables: [] };
  const problem = template.status === 'APPROVED' ? null : campaignStopReasons.templateNotApproved(template.name, template.status);
  return { problem, variables: variablesOf(template) };
}

type CampaignChange = Partial<typeof whatsappCampaigns.$inferInsert>;

/** Changes a campaign that is still scheduled or running (a pause or cancel meanwhile wins); true when it did. */
async function setCampaignIn(tx: Tx, campaign: CampaignRow, change: CampaignChange) {
  const rows = await tx
    .update(whatsappCampaigns)
    .set(change)
    .where(
      and(
        eq(whatsappCampaigns.tenantId, campaign.tenantId),
        eq(whatsappCampaigns.id, campaign.id),
        inArray(whatsappCampaigns.status, live),
      ),
    )
    .returning({ id: whatsappCampaigns.id });
  return rows.length > 0;
}

const setCampaign = (job: JobRun, campaign: CampaignRow, change: CampaignChange) =>
  job.inTenant((tx) => setCampaignIn(tx, campaign, change));

async function stop(job: JobRun, campaign: CampaignRow, why: { code: number | null; reason: string }) {
  await setCampaign(job, campaign, { status: 'STOPPED', stopCode: why.code, stopReason: why.reason, finishedAt: new Date() });
  await job.log('error', campaignStopJobText(why.code, why.reason), { code: why.code });
  await announceWhatsappChange(job.services, job.tenantId);
  return { status: 'STOPPED', reason: why.reason };
}
