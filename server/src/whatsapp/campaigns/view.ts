import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import {
  skipReasons,
  type CampaignPage,
  type CampaignRecipient,
  type CampaignStats,
  type CampaignStatus,
  type RecipientPage,
  type RecipientQuery,
  type SkipReason,
  type WhatsappCampaign,
} from '@optarget/shared';
import { z } from 'zod';
import { firstPageTotal } from '../../db/count.js';
import { leads, whatsappCampaignRecipients, whatsappCampaigns, whatsappMessages } from '../../db/schema/index.js';
import type { Tx } from '../../db/transactions.js';
import { AppError } from '../../errors/catalogue.js';
import { afterTime, exactTime, keysetCursor, timeCursor } from '../../http/cursor.js';
import { noSkips } from './audience.js';

export type CampaignRow = typeof whatsappCampaigns.$inferSelect;

const emptyStats = (): CampaignStats => ({
  recipients: 0,
  pending: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  failed: 0,
  replied: 0,
  optedOut: 0,
  held: 0,
  unconfirmed: 0,
  skipped: noSkips(),
});

/**
 * What each campaign achieved, read from its recipients and their messages as webhooks keep
 * moving them, so the numbers follow deliveries, reads, replies and opt-outs after the job ended.
 * A reply or an opt-out counts when it came after the campaign's message was sent.
 */
export async function statsOf(tx: Tx, tenantId: string, campaignIds: string[]): Promise<Map<string, CampaignStats>> {
  const out = new Map(campaignIds.map((id) => [id, emptyStats()]));
  if (!campaignIds.length) return out;
  const skipColumns = skipReasons.map((r) => sql`count(*) filter (where r.skip_reason = ${r})::int as ${sql.identifier(`skip_${r}`)}`);
  const rows = await tx.execute<Record<string, number | string>>(sql`
    select r.campaign_id as "campaignId",
      count(*) filter (where r.status <> 'SKIPPED')::int as recipients,
      count(*) filter (where r.status in ('PENDING', 'SENDING'))::int as pending,
      count(*) filter (where r.status = 'SENT')::int as sent,
      count(*) filter (where r.status = 'SENT' and m.status in ('DELIVERED', 'READ'))::int as delivered,
      count(*) filter (where r.status = 'SENT' and m.status = 'READ')::int as read,
      count(*) filter (where r.status = 'FAILED' or (r.status = 'SENT' and m.status = 'FAILED'))::int as failed,
      count(*) filter (where r.status = 'SENT' and m.held)::int as held,
      count(*) filter (where r.status = 'UNCONFIRMED')::int as unconfirmed,
      count(*) filter (where r.status = 'SENT' and exists (
        select 1 from whatsapp_messages i
        where i.tenant_id = r.tenant_id and i.lead_id = r.lead_id and i.direction = 'IN' and i.created_at >= m.sent_at))::int as replied,
      count(*) filter (where r.status = 'SENT' and c.consent = 'OPTED_OUT' and c.consent_at >= m.sent_at)::int as "optedOut",
      ${sql.join(skipColumns, sql`, `)}
    from whatsapp_campaign_recipients r
    left join whatsapp_messages m on m.id = r.message_id and m.tenant_id = r.tenant_id
    left join whatsapp_conversations c on c.tenant_id = r.tenant_id and c.lead_id = r.lead_id
    where r.tenant_id = ${tenantId} and r.campaign_id in (${sql.join(
      campaignIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})
    group by r.campaign_id`);
  for (const row of rows.rows) {
    const skipped = noSkips();
    for (const r of skipReasons) skipped[r] = Number(row[`skip_${r}`]);
    out.set(String(row.campaignId), {
      recipients: Number(row.recipients),
      pending: Number(row.pending),
      sent: Number(row.sent),
      delivered: Number(row.delivered),
      read: Number(row.read),
      failed: Number(row.failed),
      replied: Number(row.replied),
      optedOut: Number(row.optedOut),
      held: Number(row.held),
      unconfirmed: Number(row.unconfirmed),
      skipped,
    });
  }
  return out;
}

export const toCampaignDto = (c: CampaignRow, stats: CampaignStats): WhatsappCampaign => ({
  id: c.id,
  name: c.name,
  listId: c.listId,
  listName: c.listName,
  templateId: c.templateId,
  templateName: c.templateName,
  templateLanguage: c.templateLanguage,
  parameters: c.parameters,
  ratePerSecond: c.ratePerSecond,
  startAt: c.startAt?.toISOString() ?? null,
  status: c.status as CampaignStatus,
  stopReason: c.stopReason,
  stopCode: c.stopCode,
  jobId: c.jobId,
  estimatedCost: c.estimatedCost,
  currency: c.currency,
  createdByUserId: c.createdByUserId,
  createdAt: c.createdAt.toISOString(),
  startedAt: c.startedAt?.toISOString() ?? null,
  finishedAt: c.finishedAt?.toISOString() ?? null,
  stats,
});

/** The tenant's campaign, or the 404 another tenant's and a missing one share. */
export async function findCampaignRow(tx: Tx, tenantId: string, campaignId: string, lock = false): Promise<CampaignRow> {
  const query = tx
    .select()
    .from(whatsappCampaigns)
    .where(and(eq(whatsappCampaigns.tenantId, tenantId), eq(whatsappCampaigns.id, campaignId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', 'No such campaign.');
  return row;
}

export async function findCampaign(tx: Tx, tenantId: string, campaignId: string): Promise<WhatsappCampaign> {
  const row = await findCampaignRow(tx, tenantId, campaignId);
  return toCampaignDto(row, (await statsOf(tx, tenantId, [row.id])).get(row.id)!);
}

/** Campaigns, newest first, each with its stats. */
export async function findCampaignPage(tx: Tx, tenantId: string, query: { cursor?: string; limit: number }): Promise<CampaignPage> {
  const position = timeCursor.read(query.cursor);
  const rows = await tx
    .select({ campaign: whatsappCampaigns, at: exactTime(whatsappCampaigns.createdAt) })
    .from(whatsappCampaigns)
    .where(and(eq(whatsappCampaigns.tenantId, tenantId), afterTime(position, whatsappCampaigns.createdAt, whatsappCampaigns.id, 'desc')))
    .orderBy(desc(whatsappCampaigns.createdAt), desc(whatsappCampaigns.id))
    .limit(query.limit + 1);
  const total = await firstPageTotal(tx, query.cursor, () =>
    tx
      .select({ one: sql`1` })
      .from(whatsappCampaigns)
      .where(eq(whatsappCampaigns.tenantId, tenantId)),
  );
  const shown = rows.slice(0, query.limit);
  const stats = await statsOf(
    tx,
    tenantId,
    shown.map((r) => r.campaign.id),
  );
  const last = shown.at(-1);
  return {
    items: shown.map((r) => toCampaignDto(r.campaign, stats.get(r.campaign.id)!)),
    nextCursor: rows.length > query.limit && last ? timeCursor.encode({ at: last.at, id: last.campaign.id }) : null,
    total,
  };
}

const positionCursor = keysetCursor(z.object({ position: z.number().int().min(0) }));

/** The campaign's recipients in sending order, each with its message's status and whether the lead replied. */
export async function findRecipientPage(tx: Tx, tenantId: string, campaignId: string, query: RecipientQuery): Promise<RecipientPage> {
  await findCampaignRow(tx, tenantId, campaignId);
  const after = positionCursor.read(query.cursor);
  const r = whatsappCampaignRecipients;
  const matching = and(eq(r.tenantId, tenantId), eq(r.campaignId, campaignId), query.status ? eq(r.status, query.status) : undefined);
  const rows = await tx
    .select({
      recipient: r,
      leadName: leads.name,
      messageStatus: whatsappMessages.status,
      sentAt: whatsappMessages.sentAt,
      repliedAt: sql<string | null>`(select min(i.created_at) from whatsapp_messages i
        where i.tenant_id = ${r.tenantId} and i.lead_id = ${r.leadId} and i.direction = 'IN' and i.created_at >= ${whatsappMessages.sentAt})`,
    })
    .from(r)
    .leftJoin(leads, and(eq(leads.id, r.leadId), eq(leads.tenantId, tenantId)))
    .leftJoin(whatsappMessages, and(eq(whatsappMessages.id, r.messageId), eq(whatsappMessages.tenantId, tenantId)))
    .where(and(matching, after ? gt(r.position, after.position) : undefined))
    .orderBy(asc(r.position))
    .limit(query.limit + 1);
  const shown = rows.slice(0, query.limit);
  const items: CampaignRecipient[] = shown.map((row) => ({
    id: row.recipient.id,
    leadId: row.recipient.leadId,
    leadName: row.leadName,
    phone: row.recipient.phone,
    status: row.recipient.status as CampaignRecipient['status'],
    skipReason: row.recipient.skipReason as SkipReason | null,
    messageId: row.recipient.messageId,
    messageStatus: row.messageStatus,
    errorCode: row.recipient.errorCode,
    errorTitle: row.recipient.errorTitle,
    repliedAt: row.repliedAt ? new Date(row.repliedAt).toISOString() : null,
    sentAt: row.sentAt?.toISOString() ?? null,
  }));
  const last = shown.at(-1);
  return {
    items,
    nextCursor: rows.length > query.limit && last ? positionCursor.encode({ position: last.recipient.position }) : null,
    total: await firstPageTotal(tx, query.cursor, () =>
      tx
        .select({ one: sql`1` })
        .from(r)
        .where(matching),
    ),
  };
}
