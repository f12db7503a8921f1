import { and, eq } from 'drizzle-orm';
import type { MessageStatus } from '@optarget/shared';
import { whatsappMessages } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { changeConsent, viaWhatsapp } from './consent.js';
import { STOPPED_MARKETING } from './error-codes.js';
import { timeOf, type StatusUpdate } from './webhook-payload.js';

type MessageRow = typeof whatsappMessages.$inferSelect;
/** Meta's code, title and details; no code when OpTarget itself stopped the message. */
export type Failure = { code: number | null; title: string; details: string | null };

/** How far a sent message has come; a status applies only when it moves the message forward. */
const progress: Partial<Record<MessageStatus, number>> = { QUEUED: 0, SENT: 1, DELIVERED: 2, READ: 3 };
const incoming: Record<string, MessageStatus> = { sent: 'SENT', delivered: 'DELIVERED', read: 'READ', failed: 'FAILED' };

/** Whether `next` moves a message that is `current` forward: never backwards, nothing after a failure, failure only before delivery. */
function movesForward(current: MessageStatus, next: MessageStatus): boolean {
  if (current === 'FAILED' || current === 'RECEIVED') return false;
  if (next === 'FAILED') return current === 'QUEUED' || current === 'SENT';
  return (progress[next] ?? -1) > (progress[current] ?? -1);
}

/**
 * One status of a message we sent, applied idempotently and monotonically: a late `delivered`
 * never downgrades `read`, a replay changes nothing, a skipped `delivered` is implied by `read`.
 * Returns a note when the status cannot be applied (unknown message, unknown status).
 */
export async function applyStatus(tx: Tx, tenantId: string, s: StatusUpdate): Promise<string | null> {
  const next = incoming[s.status];
  if (!next) return `status "${s.status}" of ${s.id} is not one OpTarget tracks`;
  const [message] = await tx
    .select()
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.tenantId, tenantId), eq(whatsappMessages.waMessageId, s.id), eq(whatsappMessages.direction, 'OUT')))
    .for('update');
  if (!message) return `status "${s.status}" for unknown message ${s.id}`;
  const error = s.errors?.[0];
  const failure = error
    ? { code: error.code, title: error.title ?? error.message ?? 'Failed', details: error.error_data?.details ?? null }
    : null;
  await moveMessage(tx, message, next, timeOf(s.timestamp), failure);
  return null;
}

/** Moves the message to `next` when that is forward, filling the times it implies; a 131050 failure opts the lead out. */
export async function moveMessage(tx: Tx, message: MessageRow, next: MessageStatus, at: Date, failure: Failure | null) {
  if (!movesForward(message.status, next)) return;
  const reached = (status: MessageStatus) => (progress[next] ?? -1) >= (progress[status] ?? 99);
  await tx
    .update(whatsappMessages)
    .set({
      status: next,
      sentAt: reached('SENT') ? (message.sentAt ?? at) : message.sentAt,
      deliveredAt: reached('DELIVERED') ? (message.deliveredAt ?? at) : message.deliveredAt,
      readAt: reached('READ') ? (message.readAt ?? at) : message.readAt,
      ...(next === 'FAILED'
        ? { failedAt: at, errorCode: failure?.code ?? null, errorTitle: failure?.title ?? null, errorDetails: failure?.details ?? null }
        : {}),
    })
    .where(eq(whatsappMessages.id, message.id));
  if (next === 'FAILED' && failure?.code === STOPPED_MARKETING && message.leadId) {
    await changeConsent(tx, message.tenantId, message.leadId, viaWhatsapp, {
      state: 'OPTED_OUT',
      source: 'META_ERROR_131050',
      reason: `WhatsApp refused a message with error 131050: ${failure.title}`,
    });
  }
}
