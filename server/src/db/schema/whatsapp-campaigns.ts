// WhatsApp campaigns: one approved template sent to a list's consenting leads by a job, and one row
// per lead of the list saying whether it was sent, skipped and why, or failed.
import { sql } from 'drizzle-orm';
import type { TemplateParameter } from '@optarget/shared';
import { check, index, integer, jsonb, numeric, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, ts, updatedAt } from './columns.js';
import { whatsappMessages, whatsappTemplates } from './whatsapp.js';
import { jobs, leads, lists, tenantId, userRef } from './work.js';

export const whatsappCampaigns = pgTable(
  'whatsapp_campaigns',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    listId: uuid('list_id').references(() => lists.id, { onDelete: 'set null' }),
    /** The list's name when the campaign was created, shown after the list is deleted. */
    listName: text('list_name'),
    templateId: uuid('template_id').references(() => whatsappTemplates.id, { onDelete: 'set null' }),
    templateName: text('template_name').notNull(),
    templateLanguage: text('template_language').notNull(),
    templateCategory: text('template_category').notNull(),
    parameters: jsonb('parameters').$type<TemplateParameter[]>().notNull(),
    ratePerSecond: integer('rate_per_second').notNull().default(20),
    startAt: ts('start_at'),
    /** DRAFT, SCHEDULED, RUNNING, PAUSED, COMPLETED, STOPPED or CANCELLED. */
    status: text('status').notNull().default('DRAFT'),
    stopReason: text('stop_reason'),
    stopCode: integer('stop_code'),
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    estimatedCost: numeric('estimated_cost', { mode: 'number' }),
    currency: text('currency'),
    createdByUserId: userRef('created_by_user_id'),
    createdAt: createdAt(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('whatsapp_campaigns_tenant_time_idx').on(t.tenantId, t.createdAt.desc(), t.id),
    check('whatsapp_campaigns_rate_check', sql`${t.ratePerSecond} between 1 and 80`),
  ],
);

/**
 * One per lead of the campaign's list, written when the campaign starts. The row is the idempotency
 * key of the send: it is SENDING (with its message) before Meta is called and SENT after, so a run
 * that takes over never calls Meta again for a recipient another run may have sent.
 */
export const whatsappCampaignRecipients = pgTable(
  'whatsapp_campaign_recipients',
  {
    id: id(),
    tenantId: tenantId(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => whatsappCampaigns.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'set null' }),
    /** The order sending follows (the list's order when the campaign started). */
    position: integer('position').notNull(),
    phone: text('phone'),
    country: text('country'),
    /** PENDING, SENDING, SENT, FAILED, SKIPPED or UNCONFIRMED. */
    status: text('status').notNull(),
    skipReason: text('skip_reason'),
    parameters: jsonb('parameters').$type<string[]>(),
    messageId: uuid('message_id').references(() => whatsappMessages.id, { onDelete: 'set null' }),
    attempts: integer('attempts').notNull().default(0),
    /** A recipient Meta asked to pace (131056) waits until then. */
    notBefore: ts('not_before'),
    errorCode: integer('error_code'),
    errorTitle: text('error_title'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('whatsapp_campaign_recipients_lead_key').on(t.campaignId, t.leadId),
    uniqueIndex('whatsapp_campaign_recipients_phone_key')
      .on(t.campaignId, t.phone)
      .where(sql`${t.status} <> 'SKIPPED'`),
    index('whatsapp_campaign_recipients_order_idx').on(t.campaignId, t.status, t.position),
    index('whatsapp_campaign_recipients_message_idx').on(t.messageId),
  ],
);
