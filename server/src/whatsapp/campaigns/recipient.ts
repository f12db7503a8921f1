// One recipient's send, in the order that makes a takeover safe: claimed (SENDING, with its QUEUED
// message) in one transaction before Meta is called, SENT or FAILED in another after it answers.
import { and, eq, sql } from 'drizzle-orm';
import { whatsappFailureNotes, type SkipReason } from '@optarget/shared';
import {
  usageCounters,
  whatsappCampaignRecipients,
  whatsappCampaigns,
  whatsappConversations,
  whatsappMessages,
} from '../../db/schema/index.js';
import type { Tx } from '../../db/transactions.js';
import { currentPeriod } from '../../plans/limits.js';
import type { SendAnswer } from '../graph.js';
import { moveMessage, type Failure } from '../statuses.js';
import type { CampaignRow } from './view.js';

const R = whatsappCampaignRecipients;
type RecipientRow = typeof R.$inferSelect;

export type Claim =
  | { kind: 'halt' }
  | { kind: 'gone' }
  | { kind: 'skipped'; reason: SkipReason }
  | { kind: 'claimed'; recipient: Claimed; messageId: string };

/** What a send needs of its recipient. */
export type Claimed = { id: string; phone: string; parameters: string[] | null; attempts: number };

/** Gives back messages of the plan that a campaign reserved at its start and will not send. */
export async function releaseReserved(tx: Tx, tenantId: string, count: number) {
  if (count <= 0) return;
  await tx
    .update(usageCounters)
    .set({ count: sql`greatest(0, ${usageCounters.count} - ${count})` })
    .where(
      and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.period, currentPeriod()), eq(usageCounters.metric, 'whatsappMessages')),
    );
}

/** A claimed recipient skipped before Meta is called: its reserved message is given back, and a queued one failed with the reason. */
async function skip(tx: Tx, recipient: RecipientRow, reason: SkipReason, title: string): Promise<Claim> {
  await tx
    .update(R)
    .set({ status: 'SKIPPED', skipReason: reason, attempts: sql`${R.attempts} + 1` })
    .where(eq(R.id, recipient.id));
  await releaseReserved(tx, recipient.tenantId, 1);
  if (recipient.messageId) {
    const [message] = await tx.select().from(whatsappMessages).where(eq(whatsappMessages.id, recipient.messageId)).for('update');
    if (message) await moveMessage(tx, message, 'FAILED', new Date(), { code: null, title, details: null });
  }
  return { kind: 'skipped', reason };
}

/**
 * Takes a pending recipient for sending while the campaign runs: consent is read again (an opt-out
 * since the start skips the lead), the message is written QUEUED with the recipient as its
 * idempotency key, and the recipient becomes SENDING. Two statements, as this runs for every send.
 */
export async function claimRecipient(tx: Tx, campaign: CampaignRow, recipientId: string, jobId: string): Promise<Claim> {
  const { tenantId } = campaign;
  const claimed = await tx.execute(sql`
    with target as (
      select r.id, r.lead_id, r.phone, r.parameters, r.message_id, r.attempts
      from whatsapp_campaign_recipients r
      join whatsapp_campaigns c on c.id = r.campaign_id and c.status = 'RUNNING'
      join whatsapp_conversations v on v.tenant_id = r.tenant_id and v.lead_id = r.lead_id and v.consent = 'OPTED_IN'
      where r.tenant_id = ${tenantId} and r.id = ${recipientId} and r.status = 'PENDING'
      for update of r),
    made as (
      insert into whatsapp_messages (tenant_id, lead_id, direction, idempotency_key, phone, type, template_name,
        template_language, parameters, status, job_id, sent_by_user_id)
      select ${tenantId}, t.lead_id, 'OUT', 'campaign:' || t.id, t.phone, 'template', ${campaign.templateName},
        ${campaign.templateLanguage}, coalesce(t.parameters, '[]'::jsonb), 'QUEUED', ${jobId}, ${campaign.createdByUserId}
      from target t where t.message_id is null
      returning id),
    message as (select coalesce((select id from made), (select message_id from target)) as id),
    claimed as (
      update whatsapp_campaign_recipients
      set status = 'SENDING', message_id = (select id from message), attempts = attempts + 1, updated_at = now()
      where id = (select id from target)),
    touched as (
      update whatsapp_conversations set last_message_at = now(), updated_at = now()
      where tenant_id = ${tenantId} and lead_id = (select lead_id from target))
    select t.id, t.lead_id, t.phone, t.parameters, t.attempts, (select id from message) as message_id from target t`);
  const row = claimed.rows[0] as
    { id: string; lead_id: string; phone: string; parameters: string[] | null; attempts: number; message_id: string } | undefined;
  if (row) {
    const recipient = { id: row.id, phone: row.phone, parameters: row.parameters, attempts: Number(row.attempts) };
    return { kind: 'claimed', recipient, messageId: String(row.message_id) };
  }
  return whyNotClaimed(tx, campaign, recipientId);
}

/** The rare path: the recipient was not claimed because it is gone, the campaign halted, or the lead's consent changed. */
async function whyNotClaimed(tx: Tx, campaign: CampaignRow, recipientId: string): Promise<Claim> {
  const [found] = await tx
    .select({ r: R, consent: whatsappConversations.consent })
    .from(R)
    .leftJoin(whatsappConversations, and(eq(whatsappConversations.tenantId, R.tenantId), eq(whatsappConversations.leadId, R.leadId)))
    .where(and(eq(R.tenantId, campaign.tenantId), eq(R.id, recipientId), eq(R.status, 'PENDING')))
    .for('update', { of: R });
  if (!(await isRunning(tx, campaign))) return { kind: 'halt' };
  if (!found) return { kind: 'gone' };
  const { r, consent } = found;
  if (!r.leadId) return skip(tx, r, 'NO_PHONE', 'The lead was deleted before the message was sent');
  if (consent === 'OPTED_OUT') return skip(tx, r, 'OPTED_OUT', 'The lead opted out before the message was sent');
  return skip(tx, r, 'NO_CONSENT', 'The lead’s opt-in was withdrawn before the message was sent');
}

async function isRunning(tx: Tx, campaign: CampaignRow) {
  const [row] = await tx.select({ status: whatsappCampaigns.status }).from(whatsappCampaigns).where(eq(whatsappCampaigns.id, campaign.id));
  return row?.status === 'RUNNING';
}

export type Accepted = { recipientId: string; messageId: string; answer: SendAnswer };

/** Messages Meta accepted, SENT with WhatsApp's ids (held when Meta holds them for quality assessment), many in one statement. */
export async function markSent(tx: Tx, accepted: Accepted[]) {
  if (!accepted.length) return;
  const rows = accepted.map(
    (a) => sql`(${a.messageId}::uuid, ${a.recipientId}::uuid, ${a.answer.waMessageId}::text, ${a.answer.held}::boolean)`,
  );
  await tx.execute(sql`
    with accepted (message_id, recipient_id, wa_message_id, held) as (values ${sql.join(rows, sql`, `)}),
    sent as (
      update whatsapp_messages m
      set status = 'SENT', wa_message_id = a.wa_message_id, sent_at = now(), held = a.held, updated_at = now()
      from accepted a where m.id = a.message_id and m.status = 'QUEUED')
    update whatsapp_campaign_recipients r set status = 'SENT', error_code = null, error_title = null, updated_at = now()
    from accepted a where r.id = a.recipient_id`);
}

/** Meta refused the message for good: the recipient and its message FAILED with Meta's code (131050 also opts the lead out). */
export async function markFailed(tx: Tx, recipient: Pick<RecipientRow, 'id'>, messageId: string, failure: Failure) {
  const [message] = await tx.select().from(whatsappMessages).where(eq(whatsappMessages.id, messageId)).for('update');
  if (message) await moveMessage(tx, message, 'FAILED', new Date(), failure);
  await tx.update(R).set({ status: 'FAILED', errorCode: failure.code, errorTitle: failure.title }).where(eq(R.id, recipient.id));
}

/** Meta did not take the message (throughput, pacing, a pause): the recipient waits again, until `notBefore` if given. */
export async function release(tx: Tx, recipient: Pick<RecipientRow, 'id'>, failure: Failure, notBefore: Date | null) {
  await tx
    .update(R)
    .set({ status: 'PENDING', notBefore, errorCode: failure.code, errorTitle: failure.title })
    .where(and(eq(R.id, recipient.id), eq(R.status, 'SENDING')));
}

/**
 * Recipients a stopped run left SENDING: Meta may or may not have taken their message, and it gives
 * no idempotency key to ask, so they are never sent again (nobody gets a message twice) and are
 * shown as unconfirmed. Only one run holds the job, so SENDING at the start of a run is always such.
 */
export async function markUnconfirmed(tx: Tx, tenantId: string, campaignId: string): Promise<number> {
  const left = await tx
    .update(R)
    .set({ status: 'UNCONFIRMED', errorTitle: whatsappFailureNotes.workerStopped })
    .where(and(eq(R.tenantId, tenantId), eq(R.campaignId, campaignId), eq(R.status, 'SENDING')))
    .returning({ messageId: R.messageId });
  for (const { messageId } of left) {
    if (!messageId) continue;
    const [message] = await tx.select().from(whatsappMessages).where(eq(whatsappMessages.id, messageId)).for('update');
    if (message) {
      await moveMessage(tx, message, 'FAILED', new Date(), {
        code: null,
        title: 'Not confirmed: the send was interrupted and is not repeated',
        details: null,
      });
    }
  }
  return left.length;
}

/** Due pending recipients in sending order, leaving out those already on their way in this run. */
export async function nextDue(tx: Tx, tenantId: string, campaignId: string, exclude: Set<string>, limit: number) {
  const rows = await tx
    .select({ id: R.id })
    .from(R)
    .where(
      and(
        eq(R.tenantId, tenantId),
        eq(R.campaignId, campaignId),
        eq(R.status, 'PENDING'),
        sql`coalesce(${R.notBefore}, '-infinity') <= now()`,
      ),
    )
    .orderBy(R.position)
    .limit(limit + exclude.size);
  return rows
    .map((r) => r.id)
    .filter((id) => !exclude.has(id))
    .slice(0, limit);
}

/** Milliseconds until the next pending recipient is due, or null when none is pending. */
export async function msUntilDue(tx: Tx, tenantId: string, campaignId: string): Promise<number | null> {
  const [row] = await tx
    .select({ wait: sql<number | null>`ceil(extract(epoch from min(coalesce(${R.notBefore}, now())) - now()) * 1000)::int` })
    .from(R)
    .where(and(eq(R.tenantId, tenantId), eq(R.campaignId, campaignId), eq(R.status, 'PENDING')));
  return row?.wait === null || row?.wait === undefined ? null : Math.max(0, Number(row.wait));
}

/** How far the campaign is: recipients it will try to send (all but those skipped before the start) and those done. */
export async function progressOf(tx: Tx, tenantId: string, campaignId: string) {
  const [row] = await tx
    .select({
      total: sql<number>`count(*) filter (where ${R.status} <> 'SKIPPED' or ${R.attempts} > 0 or ${R.skipReason} = 'CANCELLED')::int`,
      open: sql<number>`count(*) filter (where ${R.status} in ('PENDING', 'SENDING'))::int`,
    })
    .from(R)
    .where(and(eq(R.tenantId, tenantId), eq(R.campaignId, campaignId)));
  return { total: Number(row.total), done: Number(row.total) - Number(row.open) };
}
