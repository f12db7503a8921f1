// WhatsApp: templates, every message in or out, one conversation per lead (its consent, window and
// inbox state), and the webhook deliveries as they arrived, until the worker has applied them.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, ts, updatedAt } from './columns.js';
import { jobs, leads, reports, tenantId, userRef } from './work.js';

export const messageDirectionEnum = pgEnum('message_direction', ['OUT', 'IN']);
export const messageStatusEnum = pgEnum('message_status', ['QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'RECEIVED']);
export const whatsappConsentEnum = pgEnum('whatsapp_consent', ['NONE', 'OPTED_IN', 'OPTED_OUT']);

export const whatsappTemplates = pgTable(
  'whatsapp_templates',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    language: text('language').notNull(),
    category: text('category').notNull(),
    components: jsonb('components').$type<unknown[]>().notNull().default([]),
    status: text('status').notNull().default('PENDING'),
    rejectedReason: text('rejected_reason'),
    metaTemplateId: text('meta_template_id'),
    syncedAt: ts('synced_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('whatsapp_templates_name_key').on(t.tenantId, t.name, t.language)],
);

export const whatsappMessages = pgTable(
  'whatsapp_messages',
  {
    id: id(),
    tenantId: tenantId(),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'set null' }),
    direction: messageDirectionEnum('direction').notNull(),
    /** WhatsApp's message id (`wamid.…`): a redelivered webhook or status is recognised by it. */
    waMessageId: text('wa_message_id'),
    /** Set on every message we send, before Meta is called, so a retried send is the same message. */
    idempotencyKey: text('idempotency_key'),
    phone: text('phone').notNull(),
    type: text('type').notNull(),
    templateName: text('template_name'),
    templateLanguage: text('template_language'),
    parameters: jsonb('parameters').$type<unknown[]>(),
    text: text('text'),
    status: messageStatusEnum('status').notNull(),
    /** Meta accepted the send as `held_for_quality_assessment`: it may never be delivered. */
    held: boolean('held').notNull().default(false),
    errorCode: integer('error_code'),
    errorTitle: text('error_title'),
    errorDetails: text('error_details'),
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    /** The report a `document` message carries; the job uploads its file to Meta just before sending. */
    reportId: uuid('report_id').references(() => reports.id, { onDelete: 'set null' }),
    sentByUserId: userRef('sent_by_user_id'),
    sentAt: ts('sent_at'),
    deliveredAt: ts('delivered_at'),
    readAt: ts('read_at'),
    failedAt: ts('failed_at'),
    receivedAt: ts('received_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('whatsapp_messages_wa_id_key').on(t.tenantId, t.waMessageId),
    uniqueIndex('whatsapp_messages_idempotency_key').on(t.tenantId, t.idempotencyKey),
    index('whatsapp_messages_lead_idx').on(t.tenantId, t.leadId, t.createdAt),
    index('whatsapp_messages_tenant_time_idx').on(t.tenantId, t.createdAt.desc()),
    index('whatsapp_messages_phone_idx').on(t.tenantId, t.phone),
  ],
);

/**
 * One per lead that has WhatsApp history or consent: the consent state with its proof, the
 * customer-service window (24 hours from the lead's last message), and the inbox's view of it.
 */
export const whatsappConversations = pgTable(
  'whatsapp_conversations',
  {
    tenantId: tenantId(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    /** The WhatsApp id (phone digits) Meta names the contact by. */
    waId: text('wa_id'),
    profileName: text('profile_name'),
    /** The business-scoped user id, where Meta sends one. */
    businessUserId: text('business_user_id'),
    consent: whatsappConsentEnum('consent').notNull().default('NONE'),
    /** How the consent was given or withdrawn (a member's record, a keyword, the lead starting the chat, …). */
    consentSource: text('consent_source'),
    consentAt: ts('consent_at'),
    consentByUserId: userRef('consent_by_user_id'),
    consentProof: text('consent_proof'),
    optOutReason: text('opt_out_reason'),
    lastInboundAt: ts('last_inbound_at'),
    lastMessageAt: ts('last_message_at'),
    unreadCount: integer('unread_count').notNull().default(0),
    assignedUserId: userRef('assigned_user_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.leadId] }),
    index('whatsapp_conversations_activity_idx').on(t.tenantId, t.lastMessageAt.desc().nullsLast(), t.leadId),
    check('whatsapp_conversations_unread_check', sql`${t.unreadCount} >= 0`),
  ],
);

/** A webhook POST as it arrived (its raw, signature-checked body), kept until the worker has applied it. */
export const whatsappWebhookEvents = pgTable(
  'whatsapp_webhook_events',
  {
    id: id(),
    tenantId: tenantId(),
    body: text('body').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    processedAt: ts('processed_at'),
    /** Why the event, or a part of it, was skipped (malformed, unknown phone number id…). */
    note: text('note'),
  },
  (t) => [
    index('whatsapp_webhook_events_pending_idx')
      .on(t.tenantId, t.receivedAt)
      .where(sql`${t.processedAt} is null`),
  ],
);

/**
 * A report's file as uploaded to Meta's media endpoint for one phone number: the id is sent in
 * place of the file until Meta forgets it (30 days), and a regenerated report is uploaded again.
 */
export const whatsappMedia = pgTable(
  'whatsapp_media',
  {
    id: id(),
    tenantId: tenantId(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    /** Media ids belong to the phone number that uploaded them. */
    phoneNumberId: text('phone_number_id').notNull(),
    /** When the uploaded file was generated: a newer one is a different file. */
    reportGeneratedAt: ts('report_generated_at').notNull(),
    mediaId: text('media_id').notNull(),
    uploadedAt: ts('uploaded_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [uniqueIndex('whatsapp_media_report_key').on(t.tenantId, t.reportId, t.phoneNumberId)],
);
