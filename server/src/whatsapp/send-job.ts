import { and, eq } from 'drizzle-orm';
import { whatsappFailureNotes } from '@optarget/shared';
import { whatsappMessages, whatsappTemplates } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import type { JobHandler, JobRun } from '../jobs/definitions.js';
import { loadWhatsappConnection, type WhatsappConnection } from '../settings/whatsapp.js';
import { lockConversation } from './consent.js';
import { isRetryable, MEDIA_UNUSABLE, SEND_RETRY } from './error-codes.js';
import { GraphError, sendMessage } from './graph.js';
import { announceWhatsappChange } from './live.js';
import { forgetReportMedia, reportMediaId } from './report-media.js';
import { moveMessage, type Failure } from './statuses.js';
import { variablesOf } from './templates.js';

type MessageRow = typeof whatsappMessages.$inferSelect;

/**
 * Sends one QUEUED message to Meta, then marks it SENT with WhatsApp's id (held when Meta holds
 * it for quality assessment) or FAILED with Meta's code and title. Retryable codes are retried
 * by the queue with backoff, each message on its own, so pacing of one recipient (131056) delays
 * only that message. Consent is read again just before the call: an opt-out that arrived since the
 * message was queued stops it. A message that is no longer QUEUED is left alone (a rerun).
 */
export const sendQueuedMessage: JobHandler<'WHATSAPP_SEND'> = {
  async run(job, { messageId }) {
    const claim = await job.inTenant((tx) => claimMessage(tx, job, messageId));
    if ('skip' in claim) return { skipped: claim.skip };
    const { message, request } = claim;
    try {
      const conn = (await job.inTenant((tx) => loadWhatsappConnection(tx, job.tenantId, job.services.config)))!;
      const document = message.type === 'document' ? await documentOf(job, conn, message) : null;
      if (document === 'gone') {
        await fail(job, message, { code: null, title: whatsappFailureNotes.reportGone, details: null });
        return { status: 'FAILED', reason: 'report gone' };
      }
      const sent = await sendMessage(job.services.config, conn, document ?? request);
      await job.inTenant((tx) =>
        tx
          .update(whatsappMessages)
          .set({ status: 'SENT', waMessageId: sent.waMessageId, sentAt: new Date(), held: sent.held })
          .where(and(eq(whatsappMessages.id, message.id), eq(whatsappMessages.status, 'QUEUED'))),
      );
      await announceWhatsappChange(job.services, job.tenantId);
      return { status: 'SENT', held: sent.held };
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      const lastAttempt = job.attempt > SEND_RETRY.limit;
      const staleMedia = message.type === 'document' && err.code === MEDIA_UNUSABLE && message.reportId;
      if (staleMedia) await forgetReportMedia(job, message.reportId!);
      if ((isRetryable(err.code) || staleMedia) && !lastAttempt) throw err;
      await fail(job, message, { code: err.code, title: err.title, details: err.details });
      return { status: 'FAILED', code: err.code };
    }
  },
};

type Claim = { skip: string } | { message: MessageRow; request: Record<string, unknown> };

async function claimMessage(tx: Tx, job: JobRun, messageId: string): Promise<Claim> {
  const [message] = await tx
    .select()
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.tenantId, job.tenantId), eq(whatsappMessages.id, messageId), eq(whatsappMessages.jobId, job.jobId)))
    .for('update');
  if (!message || message.status !== 'QUEUED') return { skip: 'the message is no longer queued' };
  const conversation = message.leadId ? await lockConversation(tx, job.tenantId, message.leadId) : null;
  const connected = (await loadWhatsappConnection(tx, job.tenantId, job.services.config)) !== null;
  const refusal = !connected
    ? whatsappFailureNotes.disconnected
    : conversation?.consent === 'OPTED_OUT'
      ? whatsappFailureNotes.optedOut
      : message.type === 'template' && conversation?.consent !== 'OPTED_IN'
        ? whatsappFailureNotes.optInWithdrawn
        : null;
  if (refusal) {
    await moveMessage(tx, message, 'FAILED', new Date(), { code: null, title: refusal, details: null });
    return { skip: refusal };
  }
  return { message, request: await requestOf(tx, message) };
}

/** The body of Meta's send request (fixtures: send-text-request.json, send-template-request.json). */
async function requestOf(tx: Tx, m: MessageRow): Promise<Record<string, unknown>> {
  if (m.type === 'text') return { to: m.phone, type: 'text', text: { preview_url: true, body: m.text } };
  // A document's media id is known only after the upload, outside this transaction (documentOf).
  if (m.type === 'document') return {};
  const [template] = await tx
    .select()
    .from(whatsappTemplates)
    .where(
      and(
        eq(whatsappTemplates.tenantId, m.tenantId),
        eq(whatsappTemplates.name, m.templateName!),
        eq(whatsappTemplates.language, m.templateLanguage!),
      ),
    );
  const names = template ? variablesOf(template) : [];
  const parameters = ((m.parameters as string[] | null) ?? []).map((text, i) => ({
    type: 'text',
    // Named variables are sent with their names; positional ones by order.
    ...(names[i] && !/^\d+$/.test(names[i]) ? { parameter_name: names[i] } : {}),
    text,
  }));
  return {
    to: m.phone,
    type: 'template',
    template: {
      name: m.templateName,
      language: { code: m.templateLanguage },
      ...(parameters.length ? { components: [{ type: 'body', parameters }] } : {}),
    },
  };
}

/** The document message (send-document-request.json) by the report's media id, uploading the file first when Meta has none alive. */
async function documentOf(job: JobRun, conn: WhatsappConnection, m: MessageRow): Promise<Record<string, unknown> | 'gone'> {
  const media = m.reportId ? await reportMediaId(job, conn, m.reportId) : null;
  if (!media) return 'gone';
  return {
    to: m.phone,
    type: 'document',
    document: { id: media.mediaId, filename: media.fileName, ...(m.text ? { caption: m.text } : {}) },
  };
}

async function fail(job: JobRun, message: MessageRow, failure: Failure) {
  await job.inTenant(async (tx) => {
    const [current] = await tx.select().from(whatsappMessages).where(eq(whatsappMessages.id, message.id)).for('update');
    await moveMessage(tx, current, 'FAILED', new Date(), failure);
  });
  await job.log(
    'warn',
    { code: 'log.whatsappRefused', params: { code: failure.code ?? '', title: failure.title ?? '' } },
    { code: failure.code },
  );
  await announceWhatsappChange(job.services, job.tenantId);
}
