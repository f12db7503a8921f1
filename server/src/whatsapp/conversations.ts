import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  whatsappAuditActions,
  type ConversationQuery,
  type SendBlocker,
  type WhatsappConversation,
  type WhatsappMessage,
  type WhatsappThread,
  Uuid,
  type PageQuery,
} from '@optarget/shared';
import { firstPageTotal } from '../db/count.js';
import { leads, memberships, whatsappConversations, whatsappMessages } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import { afterTimeCursor, exactTime, ExactTime, keysetCursor, toPage } from '../http/cursor.js';
import { recordAudit } from '../audit/record.js';
import type { TenantContext } from '../http/routes.js';
import { findLeadRow } from '../leads/dto.js';
import { loadWhatsappConnection } from '../settings/whatsapp.js';
import { consentOf, lockConversation, type ConversationRow } from './consent.js';
import { announceWhatsappChange } from './live.js';

type MessageRow = typeof whatsappMessages.$inferSelect;
type PageQueryInput = z.infer<typeof PageQuery>;
type LeadFacts = { id: string; name: string; phone: string | null };

/** How long after the lead's last message free text is allowed (Meta's customer-service window). */
export const WINDOW_MS = 24 * 60 * 60 * 1000;
const THREAD_LIMIT = 200;
/**
 * When a message happened: Meta's time for one received, ours for one sent. Messages applied in one
 * transaction share their created_at, so that alone cannot order a thread.
 */
const happenedAt = sql`coalesce(${whatsappMessages.receivedAt}, ${whatsappMessages.createdAt})`;

export const windowClosesAt = (c: Pick<ConversationRow, 'lastInboundAt'> | undefined) =>
  c?.lastInboundAt ? new Date(c.lastInboundAt.getTime() + WINDOW_MS) : null;

/** What stops free text and templates to this lead now, checked in this order; null when nothing does. */
export function blockers(connected: boolean, lead: LeadFacts, c: ConversationRow | undefined, now = new Date()) {
  const common: SendBlocker | null = !connected
    ? 'NOT_CONNECTED'
    : !lead.phone
      ? 'NO_PHONE'
      : c?.consent === 'OPTED_OUT'
        ? 'OPTED_OUT'
        : null;
  const closes = windowClosesAt(c);
  return {
    text: common ?? (closes && closes > now ? null : 'WINDOW_CLOSED'),
    template: common ?? (c?.consent === 'OPTED_IN' ? null : 'NO_CONSENT'),
  } satisfies Record<string, SendBlocker | null>;
}

export const toMessageDto = (m: MessageRow): WhatsappMessage => ({
  id: m.id,
  leadId: m.leadId,
  direction: m.direction,
  type: m.type,
  text: m.text,
  templateName: m.templateName,
  parameters: (m.parameters as string[] | null) ?? null,
  reportId: m.reportId,
  status: m.status,
  held: m.held,
  errorCode: m.errorCode,
  errorTitle: m.errorTitle,
  errorDetails: m.errorDetails,
  sentByUserId: m.sentByUserId,
  createdAt: m.createdAt.toISOString(),
  sentAt: m.sentAt?.toISOString() ?? null,
  deliveredAt: m.deliveredAt?.toISOString() ?? null,
  readAt: m.readAt?.toISOString() ?? null,
  failedAt: m.failedAt?.toISOString() ?? null,
  receivedAt: m.receivedAt?.toISOString() ?? null,
});

function toConversationDto(
  lead: LeadFacts,
  c: ConversationRow | undefined,
  connected: boolean,
  preview: string | null,
): WhatsappConversation {
  const blocked = blockers(connected, lead, c);
  return {
    leadId: lead.id,
    leadName: lead.name,
    phone: lead.phone,
    profileName: c?.profileName ?? null,
    consent: consentOf(c),
    windowClosesAt: windowClosesAt(c)?.toISOString() ?? null,
    lastMessageAt: c?.lastMessageAt?.toISOString() ?? null,
    lastMessagePreview: preview,
    unreadCount: c?.unreadCount ?? 0,
    assignedUserId: c?.assignedUserId ?? null,
    textBlockedBy: blocked.text,
    templateBlockedBy: blocked.template,
  };
}

async function findConversation(tx: Tx, tenantId: string, leadId: string): Promise<ConversationRow | undefined> {
  const [row] = await tx
    .select()
    .from(whatsappConversations)
    .where(and(eq(whatsappConversations.tenantId, tenantId), eq(whatsappConversations.leadId, leadId)));
  return row;
}

/** The lead's conversation state and its latest messages, oldest first. Another tenant's lead is 404. */
export async function findThread(ctx: Pick<TenantContext, 'tx' | 'tenantId' | 'services'>, leadId: string): Promise<WhatsappThread> {
  const { tx, tenantId } = ctx;
  const lead = await findLeadRow(tx, tenantId, leadId);
  const conversation = await findConversation(tx, tenantId, leadId);
  const connected = (await loadWhatsappConnection(tx, tenantId, ctx.services.config)) !== null;
  const { rows, nextCursor } = await messagesBefore(tx, tenantId, leadId, undefined, THREAD_LIMIT);
  const messages = [...rows].reverse().map(toMessageDto);
  return { conversation: toConversationDto(lead, conversation, connected, previewOf(rows[0])), messages, olderCursor: nextCursor };
}

/** A message's place in its thread: when it happened, then when it was written, then its id. */
const messageCursor = keysetCursor(z.object({ at: ExactTime, created: ExactTime, id: Uuid }));

/** The lead's messages before the cursor (all when none), newest first, and the cursor of the ones before them. */
async function messagesBefore(tx: Tx, tenantId: string, leadId: string, cursor: string | undefined, limit: number) {
  const position = messageCursor.read(cursor);
  const rows = await tx
    .select({ message: whatsappMessages, at: exactTime(happenedAt), created: exactTime(whatsappMessages.createdAt) })
    .from(whatsappMessages)
    .where(
      and(
        eq(whatsappMessages.tenantId, tenantId),
        eq(whatsappMessages.leadId, leadId),
        position
          ? sql`(${happenedAt}, ${whatsappMessages.createdAt}, ${whatsappMessages.id}) < (${position.at}::timestamptz, ${position.created}::timestamptz, ${position.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(happenedAt), desc(whatsappMessages.createdAt), desc(whatsappMessages.id))
    .limit(limit + 1);
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return {
    rows: kept.map((r) => r.message),
    nextCursor: rows.length > limit && last ? messageCursor.encode({ at: last.at, created: last.created, id: last.message.id }) : null,
  };
}

/** Older messages of the lead's thread, for "load older"; another tenant's lead is 404. */
export async function findOlderMessages(ctx: Pick<TenantContext, 'tx' | 'tenantId'>, leadId: string, query: PageQueryInput) {
  await findLeadRow(ctx.tx, ctx.tenantId, leadId);
  const { rows, nextCursor } = await messagesBefore(ctx.tx, ctx.tenantId, leadId, query.cursor, query.limit);
  return { items: rows.map(toMessageDto), nextCursor };
}

const previewOf = (m: Pick<MessageRow, 'text' | 'templateName' | 'type'> | undefined) =>
  m ? (m.text ?? (m.templateName ? `[${m.templateName}]` : `[${m.type}]`)) : null;

/** The inbox: conversations with any message, latest activity first, with their unread counts. */
export async function findConversationPage(ctx: Pick<TenantContext, 'tx' | 'tenantId' | 'services'>, query: ConversationQuery) {
  const { tx, tenantId } = ctx;
  const c = whatsappConversations;
  const matching = and(
    eq(c.tenantId, tenantId),
    isNotNull(c.lastMessageAt),
    query.assigned === 'none' ? isNull(c.assignedUserId) : query.assigned ? eq(c.assignedUserId, query.assigned) : undefined,
    query.unread === 'true' ? sql`${c.unreadCount} > 0` : undefined,
  );
  const withLead = and(eq(leads.tenantId, c.tenantId), eq(leads.id, c.leadId));
  const lastMessage = tx
    .select({ text: whatsappMessages.text, templateName: whatsappMessages.templateName, type: whatsappMessages.type })
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.tenantId, tenantId), eq(whatsappMessages.leadId, c.leadId)))
    .orderBy(desc(happenedAt), desc(whatsappMessages.createdAt), desc(whatsappMessages.id))
    .limit(1)
    .as('last_message');
  const rows = await tx
    .select({
      conversation: c,
      lead: { id: leads.id, name: leads.name, phone: leads.phone },
      last: { text: lastMessage.text, templateName: lastMessage.templateName, type: lastMessage.type },
      at: exactTime(c.lastMessageAt),
      id: c.leadId,
    })
    .from(c)
    .innerJoin(leads, withLead)
    .leftJoinLateral(lastMessage, sql`true`)
    .where(and(matching, afterTimeCursor(query.cursor, c.lastMessageAt, c.leadId, 'desc')))
    .orderBy(desc(c.lastMessageAt), desc(c.leadId))
    .limit(query.limit + 1);
  const total = await firstPageTotal(tx, query.cursor, () =>
    tx
      .select({ one: sql`1` })
      .from(c)
      .innerJoin(leads, withLead)
      .where(matching),
  );
  const connected = (await loadWhatsappConnection(tx, tenantId, ctx.services.config)) !== null;
  const page = toPage(rows, query.limit, (r) => toConversationDto(r.lead, r.conversation, connected, previewOf(r.last ?? undefined)));
  return { ...page, total };
}

/** Marks the lead's conversation as read by the team. */
export async function markRead(ctx: TenantContext, leadId: string): Promise<WhatsappThread> {
  await findLeadRow(ctx.tx, ctx.tenantId, leadId);
  await ctx.tx
    .update(whatsappConversations)
    .set({ unreadCount: 0 })
    .where(and(eq(whatsappConversations.tenantId, ctx.tenantId), eq(whatsappConversations.leadId, leadId)));
  ctx.afterCommit(() => announceWhatsappChange(ctx.services, ctx.tenantId));
  return findThread(ctx, leadId);
}

/** Gives the conversation to a member of the tenant (null: nobody); a member of another tenant is 404 like a missing one. */
export async function assignConversation(ctx: TenantContext, leadId: string, assignedUserId: string | null): Promise<WhatsappThread> {
  const { tx, tenantId } = ctx;
  await findLeadRow(tx, tenantId, leadId);
  if (assignedUserId) {
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, assignedUserId)));
    if (!member) throw new AppError('NOT_FOUND', 'No such member.');
  }
  const before = await lockConversation(tx, tenantId, leadId);
  if (before.assignedUserId !== assignedUserId) {
    await tx
      .update(whatsappConversations)
      .set({ assignedUserId })
      .where(and(eq(whatsappConversations.tenantId, tenantId), eq(whatsappConversations.leadId, leadId)));
    await recordAudit(tx, tenantId, ctx.actor, {
      action: whatsappAuditActions.conversationAssigned,
      targetType: 'lead',
      targetId: leadId,
      metadata: { before: before.assignedUserId, after: assignedUserId },
    });
    ctx.afterCommit(() => announceWhatsappChange(ctx.services, ctx.tenantId));
  }
  return findThread(ctx, leadId);
}
