import { and, count, eq, sql } from 'drizzle-orm';
import { leads, whatsappConversations, whatsappMessages } from '../db/schema/index.js';
import { recordSources } from '../leads/sources.js';
import type { Tx } from '../db/transactions.js';
import { changeConsent, lockConversation, viaWhatsapp, type ConsentChange } from './consent.js';
import { timeOf, type Contact, type InboundMessage } from './webhook-payload.js';

// Replies that withdraw or give consent, compared after normaliseReply.
const STOP_WORDS = new Set(['stop', 'unsubscribe', 'إلغاء', 'الغاء', 'توقف', 'إيقاف', 'ايقاف', 'الغاء الاشتراك', 'إلغاء الاشتراك']);
const START_WORDS = new Set(['start', 'subscribe', 'اشتراك', 'اشترك', 'ابدأ', 'إبدأ']);

/** Trimmed, lower case, without surrounding punctuation or Arabic diacritics and tatweel. */
export const normaliseReply = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .replace(/\s+/g, ' ');

/** What the person wrote or tapped, as the thread shows it. */
function textOf(m: InboundMessage): string | null {
  if (m.text) return m.text.body;
  if (m.button) return m.button.text ?? m.button.payload ?? null;
  if (m.interactive) return m.interactive.button_reply?.title ?? m.interactive.list_reply?.title ?? null;
  return null;
}

/**
 * One inbound message: stored once (a redelivery with the same WhatsApp id changes nothing), on the
 * lead whose phone has these digits or on a new lead with source `whatsapp`; the conversation's
 * window, unread count and contact details follow, and a stop or start reply changes consent.
 * Returns false for a message already applied.
 */
export async function applyInbound(tx: Tx, tenantId: string, m: InboundMessage, contact: Contact | undefined): Promise<boolean> {
  const leadId = await leadFor(tx, tenantId, m.from, contact?.profile?.name ?? null);
  const at = timeOf(m.timestamp);
  const body = textOf(m);
  const [stored] = await tx
    .insert(whatsappMessages)
    .values({
      tenantId,
      leadId,
      direction: 'IN',
      waMessageId: m.id,
      phone: `+${m.from}`,
      type: m.type,
      text: body,
      status: 'RECEIVED',
      receivedAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: whatsappMessages.id });
  if (!stored) return false;

  const conversation = await lockConversation(tx, tenantId, leadId);
  await tx
    .update(whatsappConversations)
    .set({
      waId: m.from,
      profileName: contact?.profile?.name ?? conversation.profileName,
      businessUserId: contact?.user_id ?? conversation.businessUserId,
      // A redelivered older message never shortens the window.
      lastInboundAt: sql`greatest(${whatsappConversations.lastInboundAt}, ${at.toISOString()}::timestamptz)`,
      lastMessageAt: sql`greatest(${whatsappConversations.lastMessageAt}, ${at.toISOString()}::timestamptz)`,
      unreadCount: sql`${whatsappConversations.unreadCount} + 1`,
    })
    .where(and(eq(whatsappConversations.tenantId, tenantId), eq(whatsappConversations.leadId, leadId)));

  const change = await consentChangeOf(tx, tenantId, leadId, m, body, conversation.consent);
  if (change) await changeConsent(tx, tenantId, leadId, viaWhatsapp, change);
  return true;
}

async function consentChangeOf(
  tx: Tx,
  tenantId: string,
  leadId: string,
  m: InboundMessage,
  body: string | null,
  consent: 'NONE' | 'OPTED_IN' | 'OPTED_OUT',
): Promise<ConsentChange | null> {
  const reply = body === null ? '' : normaliseReply(body);
  const said = `The lead replied "${body ?? ''}" on WhatsApp`;
  if (STOP_WORDS.has(reply)) {
    return { state: 'OPTED_OUT', source: m.type === 'button' ? 'UNSUBSCRIBE_BUTTON' : 'KEYWORD', reason: said };
  }
  if (START_WORDS.has(reply)) return { state: 'OPTED_IN', source: 'KEYWORD', proof: said };
  // A person who starts the chat themselves, before we ever wrote to them, asked to be messaged.
  if (consent === 'NONE' && !(await weWroteFirst(tx, tenantId, leadId))) {
    return { state: 'OPTED_IN', source: 'LEAD_STARTED_CHAT', proof: `The lead started the WhatsApp chat: "${body ?? m.type}"` };
  }
  return null;
}

async function weWroteFirst(tx: Tx, tenantId: string, leadId: string): Promise<boolean> {
  const [row] = await tx
    .select({ n: count() })
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.tenantId, tenantId), eq(whatsappMessages.leadId, leadId), eq(whatsappMessages.direction, 'OUT')));
  return row.n > 0;
}

/**
 * The lead whose phone is `+<digits>`, or a new one with source `whatsapp` named after the contact's
 * profile — even past the plan's stored leads, since refusing would drop a person's message.
 */
export async function leadFor(tx: Tx, tenantId: string, digits: string, profileName: string | null): Promise<string> {
  const phone = `+${digits}`;
  const [known] = await tx
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.tenantId, tenantId), eq(leads.phone, phone)))
    .orderBy(leads.createdAt)
    .limit(1);
  if (known) return known.id;
  const [created] = await tx
    .insert(leads)
    .values({ tenantId, name: profileName ?? phone, phone, source: 'whatsapp', sourceId: digits })
    .onConflictDoNothing()
    .returning({ id: leads.id });
  if (created) {
    await recordSources(tx, tenantId, [{ leadId: created.id, source: 'whatsapp', sourceId: digits, fields: ['name', 'phone'] }]);
    return created.id;
  }
  // A lead from an earlier message of this number whose phone was edited since: found by its source id.
  const [bySource] = await tx
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.tenantId, tenantId), eq(leads.source, 'whatsapp'), eq(leads.sourceId, digits)));
  return bySource.id;
}
