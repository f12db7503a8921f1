import type { Readable } from 'node:stream';
import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import {
  campaignAuditActions,
  recipientCsvColumns,
  type CsvRow,
  type RecipientOutcome,
  type ReportLanguage,
  type SkipReason,
  whatsappFailureNoteOf,
} from '@optarget/shared';
import { recordAudit, type AuditActor } from '../../audit/record.js';
import type { Db } from '../../db/client.js';
import { leads, whatsappCampaignRecipients, whatsappConversations, whatsappMessages } from '../../db/schema/index.js';
import { inTenantTransaction, type Tx } from '../../db/transactions.js';
import { csvStream } from '../../http/csv.js';
import { recipientWords } from './recipient-words.js';
import { findCampaignRow } from './view.js';

const BATCH_SIZE = 1000;

/** Fixes the 404 for another tenant's campaign and records the download, in the request's transaction. */
export async function beginRecipientsExport(tx: Tx, tenantId: string, campaignId: string, actor: AuditActor) {
  const campaign = await findCampaignRow(tx, tenantId, campaignId);
  const r = whatsappCampaignRecipients;
  const [{ n }] = await tx
    .select({ n: count() })
    .from(r)
    .where(and(eq(r.tenantId, tenantId), eq(r.campaignId, campaignId)));
  await recordAudit(tx, tenantId, actor, {
    action: campaignAuditActions.recipientsExported,
    targetType: 'whatsapp_campaign',
    targetId: campaign.id,
    metadata: { name: campaign.name, rowCount: n },
  });
  const slug = campaign.name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'campaign';
  return { filename: `campaign-recipients-${slug}.csv` };
}

function readBatch(tx: Tx, tenantId: string, campaignId: string, afterPosition: number) {
  const r = whatsappCampaignRecipients;
  const m = whatsappMessages;
  const c = whatsappConversations;
  return tx
    .select({
      position: r.position,
      status: r.status,
      skipReason: r.skipReason,
      phone: r.phone,
      errorCode: sql<number | null>`coalesce(${m.errorCode}, ${r.errorCode})`,
      errorTitle: sql<string | null>`coalesce(${m.errorTitle}, ${r.errorTitle})`,
      leadName: leads.name,
      messageStatus: m.status,
      sentAt: m.sentAt,
      deliveredAt: m.deliveredAt,
      readAt: m.readAt,
      failedAt: m.failedAt,
      repliedAt: sql<string | null>`(select min(i.created_at) from whatsapp_messages i
        where i.tenant_id = ${r.tenantId} and i.lead_id = ${r.leadId} and i.direction = 'IN' and i.created_at >= ${m.sentAt})`,
      optedOutAt: sql<string | null>`case when ${c.consent} = 'OPTED_OUT' and ${c.consentAt} >= ${m.sentAt} then ${c.consentAt} end`,
    })
    .from(r)
    .leftJoin(leads, and(eq(leads.id, r.leadId), eq(leads.tenantId, tenantId)))
    .leftJoin(m, and(eq(m.id, r.messageId), eq(m.tenantId, tenantId)))
    .leftJoin(c, and(eq(c.leadId, r.leadId), eq(c.tenantId, tenantId)))
    .where(and(eq(r.tenantId, tenantId), eq(r.campaignId, campaignId), gt(r.position, afterPosition)))
    .orderBy(asc(r.position))
    .limit(BATCH_SIZE);
}
type RecipientLine = Awaited<ReturnType<typeof readBatch>>[number];

function outcomeOf(line: RecipientLine): RecipientOutcome {
  if (line.status === 'SKIPPED') return 'skipped';
  if (line.status === 'FAILED') return 'failed';
  if (line.status === 'UNCONFIRMED') return 'unconfirmed';
  if (line.status !== 'SENT') return 'pending';
  if (line.optedOutAt) return 'opted_out';
  if (line.repliedAt) return 'replied';
  if (line.messageStatus === 'FAILED') return 'failed';
  if (line.messageStatus === 'READ') return 'read';
  if (line.messageStatus === 'DELIVERED') return 'delivered';
  return 'sent';
}

const iso = (at: Date | string | null) => (at ? new Date(at).toISOString() : null);

/** Why a send failed: OpTarget's own reason from its key, or Meta's code in words with Meta's title after it. */
function failureWords(line: RecipientLine, words: (typeof recipientWords)[ReportLanguage]) {
  const note = whatsappFailureNoteOf(line.errorTitle);
  if (note) return line.errorCode === null ? words.failure[note] : `${line.errorCode} ${words.failure[note]}`;
  return line.errorCode === null && line.errorTitle === null ? null : words.refused(line.errorCode, line.errorTitle);
}

function csvRow(line: RecipientLine, lang: ReportLanguage): CsvRow {
  const words = recipientWords[lang];
  const outcome = outcomeOf(line);
  const reason =
    outcome === 'skipped' && line.skipReason
      ? words.skip[line.skipReason as SkipReason]
      : outcome === 'failed' || outcome === 'unconfirmed'
        ? failureWords(line, words)
        : null;
  return [
    line.leadName,
    line.phone,
    words.outcome[outcome],
    reason,
    iso(line.sentAt),
    iso(line.deliveredAt),
    iso(line.readAt),
    iso(line.failedAt),
    iso(line.repliedAt),
    iso(line.optedOutAt),
  ];
}

/** Every recipient in sending order with its outcome, the reason in words and the times, read in batches of short transactions. */
export function streamRecipientsCsv(db: Db, tenantId: string, campaignId: string, lang: ReportLanguage): Readable {
  async function* rows() {
    yield [...recipientCsvColumns];
    let after = -1;
    for (;;) {
      const from = after;
      const batch = await inTenantTransaction(db, tenantId, (tx) => readBatch(tx, tenantId, campaignId, from));
      for (const line of batch) yield csvRow(line, lang);
      if (batch.length < BATCH_SIZE) return;
      after = batch[batch.length - 1].position;
    }
  }
  return csvStream(rows());
}
