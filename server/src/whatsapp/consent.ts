import { and, eq } from 'drizzle-orm';
import { whatsappAuditActions, type ConsentSource, type WhatsappConsent } from '@optarget/shared';
import { recordAudit, type AuditActor } from '../audit/record.js';
import { leads, whatsappConversations } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';

export type ConversationRow = typeof whatsappConversations.$inferSelect;

export type ConsentChange =
  { state: 'OPTED_IN'; source: ConsentSource; proof: string } | { state: 'OPTED_OUT'; source: ConsentSource; reason: string };

/** Someone acting for the lead through WhatsApp itself (a keyword, a button, Meta's stop event). */
export const viaWhatsapp: AuditActor = { userId: null, email: null, ip: null, userAgent: 'WhatsApp webhook' };

export const consentOf = (c: ConversationRow | undefined): WhatsappConsent => ({
  state: c?.consent ?? 'NONE',
  source: (c?.consentSource as ConsentSource | null) ?? null,
  at: c?.consentAt?.toISOString() ?? null,
  byUserId: c?.consentByUserId ?? null,
  proof: c?.consentProof ?? null,
  optOutReason: c?.optOutReason ?? null,
});

/** The lead's conversation row, created empty (consent NONE) if need be and locked until the transaction ends. */
export async function lockConversation(tx: Tx, tenantId: string, leadId: string): Promise<ConversationRow> {
  await tx.insert(whatsappConversations).values({ tenantId, leadId }).onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(whatsappConversations)
    .where(and(eq(whatsappConversations.tenantId, tenantId), eq(whatsappConversations.leadId, leadId)))
    .for('update');
  return row;
}

/**
 * The one way consent changes, from a member's record or from WhatsApp: the conversation's state
 * with its source, time, author and proof or reason, the lead's opt-out flag kept in step, and one
 * audit entry with the state before and after, all in the caller's transaction. A change to the
 * state it already has records nothing.
 */
export async function changeConsent(
  tx: Tx,
  tenantId: string,
  leadId: string,
  actor: AuditActor,
  change: ConsentChange,
): Promise<WhatsappConsent> {
  const current = await lockConversation(tx, tenantId, leadId);
  if (current.consent === change.state) return consentOf(current);
  const now = new Date();
  const optedIn = change.state === 'OPTED_IN';
  const [after] = await tx
    .update(whatsappConversations)
    .set({
      consent: change.state,
      consentSource: change.source,
      consentAt: now,
      consentByUserId: actor.userId,
      consentProof: optedIn ? change.proof : current.consentProof,
      optOutReason: optedIn ? null : change.reason,
    })
    .where(and(eq(whatsappConversations.tenantId, tenantId), eq(whatsappConversations.leadId, leadId)))
    .returning();
  await tx
    .update(leads)
    .set({ whatsappOptOut: !optedIn, whatsappOptOutAt: optedIn ? null : now })
    .where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId)));
  await recordAudit(tx, tenantId, actor, {
    action: whatsappAuditActions.consentChanged,
    targetType: 'lead',
    targetId: leadId,
    metadata: { before: consentOf(current), after: consentOf(after) },
  });
  return consentOf(after);
}
