// Tables filled by later features: leads, lists, evidence, jobs, reports, WhatsApp.
import { sql, type SQL } from 'drizzle-orm';
import {
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, ts, updatedAt } from './columns.js';
import { users } from './identity.js';
import { tenants } from './tenancy.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });
const userRef = (name: string) => uuid(name).references(() => users.id, { onDelete: 'set null' });

export const jobStatusEnum = pgEnum('job_status', ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
export const leadStatusEnum = pgEnum('lead_status', ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST']);
export const leadSourceEnum = pgEnum('lead_source', ['osm', 'google', 'csv', 'manual']);
export const messageDirectionEnum = pgEnum('message_direction', ['OUT', 'IN']);
export const messageStatusEnum = pgEnum('message_status', ['QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'RECEIVED']);

export const jobs = pgTable(
  'jobs',
  {
    id: id(),
    tenantId: tenantId(),
    type: text('type').notNull(),
    status: jobStatusEnum('status').notNull().default('PENDING'),
    input: jsonb('input').$type<Record<string, unknown>>().notNull().default({}),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total'),
    currentStep: text('current_step'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    /** The queue (JOB_QUEUE_SCHEMA) the job was sent to: a stalled job is sent back to it, by a worker of that queue. */
    queue: text('queue'),
    /** The run that holds the job (RUNNING) and until when; the worker renews it while alive. See jobs/lease.ts. */
    leaseToken: uuid('lease_token'),
    leaseExpiresAt: ts('lease_expires_at'),
    cancelRequestedAt: ts('cancel_requested_at'),
    createdByUserId: userRef('created_by_user_id'),
    createdAt: createdAt(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('jobs_tenant_time_idx').on(t.tenantId, t.createdAt.desc()),
    index('jobs_tenant_status_idx').on(t.tenantId, t.status),
    index('jobs_lease_idx')
      .on(t.queue, t.leaseExpiresAt)
      .where(sql`${t.leaseExpiresAt} is not null`),
  ],
);

export const jobLogs = pgTable(
  'job_logs',
  {
    id: id(),
    tenantId: tenantId(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    level: text('level').notNull().default('info'),
    message: text('message').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('job_logs_job_time_idx').on(t.jobId, t.createdAt)],
);

export const leads = pgTable(
  'leads',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    category: text('category'),
    address: text('address'),
    city: text('city'),
    country: text('country'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    domain: text('domain'),
    source: leadSourceEnum('source').notNull().default('manual'),
    sourceId: text('source_id'),
    rating: real('rating'),
    reviewCount: integer('review_count'),
    status: leadStatusEnum('status').notNull().default('NEW'),
    score: integer('score').notNull().default(0),
    ownerUserId: userRef('owner_user_id'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    notes: text('notes'),
    whatsappOptOut: boolean('whatsapp_opt_out').notNull().default(false),
    whatsappOptOutAt: ts('whatsapp_opt_out_at'),
    /**
     * What text search looks in, kept by PostgreSQL. A plain column (not an expression) lets the
     * trigram index answer ILIKE under row-level security, which refuses to use an index for
     * expressions it cannot prove leak-free (COALESCE is one).
     */
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`coalesce(${leads.name}, '') || ' ' || coalesce(${leads.domain}, '') || ' ' || coalesce(${leads.email}, '') || ' ' || coalesce(${leads.phone}, '') || ' ' || coalesce(${leads.city}, '') || ' ' || coalesce(${leads.category}, '')`,
      ),
    /** Fields a person edited by hand; automatic merges never overwrite them. */
    editedFields: text('edited_fields')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdByUserId: userRef('created_by_user_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('leads_tenant_source_key')
      .on(t.tenantId, t.source, t.sourceId)
      .where(sql`${t.sourceId} is not null`),
    index('leads_tenant_phone_idx')
      .on(t.tenantId, t.phone)
      .where(sql`${t.phone} is not null`),
    index('leads_tenant_domain_idx')
      .on(t.tenantId, t.domain)
      .where(sql`${t.domain} is not null`),
    index('leads_tenant_score_idx').on(t.tenantId, t.score.desc(), t.id),
    index('leads_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id),
    index('leads_tenant_status_score_idx').on(t.tenantId, t.status, t.score.desc(), t.id),
    index('leads_tenant_city_idx').on(t.tenantId, t.city),
    // Keyset pagination of the lead table: one index per sort, each ending in the id tie-breaker.
    index('leads_tenant_name_idx').on(t.tenantId, t.name, t.id),
    index('leads_tenant_updated_idx').on(t.tenantId, t.updatedAt.desc(), t.id),
    index('leads_tenant_rating_desc_idx').on(t.tenantId, t.rating.desc().nullsLast(), t.id),
    index('leads_tenant_rating_asc_idx').on(t.tenantId, t.rating.asc().nullsLast(), t.id),
    // City filter compares case-insensitively.
    index('leads_tenant_city_lower_idx').on(t.tenantId, sql`lower(${t.city})`),
    index('leads_tags_idx').using('gin', t.tags),
    index('leads_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
  ],
);

export const evidence = pgTable(
  'evidence',
  {
    id: id(),
    tenantId: tenantId(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    value: text('value'),
    sourceUrl: text('source_url'),
    snippet: text('snippet'),
    weight: integer('weight').notNull().default(0),
    capturedAt: ts('captured_at').notNull().defaultNow(),
  },
  (t) => [index('evidence_lead_idx').on(t.leadId, t.kind)],
);

export const lists = pgTable(
  'lists',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    description: text('description'),
    createdByUserId: userRef('created_by_user_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('lists_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`)],
);

export const leadLists = pgTable(
  'lead_lists',
  {
    tenantId: tenantId(),
    listId: uuid('list_id')
      .notNull()
      .references(() => lists.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    addedByUserId: userRef('added_by_user_id'),
    addedAt: ts('added_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.leadId] }), index('lead_lists_lead_idx').on(t.leadId)],
);

export const reports = pgTable(
  'reports',
  {
    id: id(),
    tenantId: tenantId(),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'cascade' }),
    listId: uuid('list_id').references(() => lists.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    status: jobStatusEnum('status').notNull().default('PENDING'),
    fileName: text('file_name'),
    file: bytea('file'),
    storageKey: text('storage_key'),
    sizeBytes: integer('size_bytes'),
    createdByUserId: userRef('created_by_user_id'),
    createdAt: createdAt(),
  },
  (t) => [index('reports_tenant_time_idx').on(t.tenantId, t.createdAt.desc()), index('reports_lead_idx').on(t.leadId)],
);

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
    waMessageId: text('wa_message_id').unique(),
    phone: text('phone').notNull(),
    type: text('type').notNull(),
    templateName: text('template_name'),
    templateLanguage: text('template_language'),
    parameters: jsonb('parameters').$type<unknown[]>(),
    text: text('text'),
    status: messageStatusEnum('status').notNull(),
    errorCode: integer('error_code'),
    errorTitle: text('error_title'),
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'set null' }),
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
    index('whatsapp_messages_lead_idx').on(t.tenantId, t.leadId, t.createdAt),
    index('whatsapp_messages_tenant_time_idx').on(t.tenantId, t.createdAt.desc()),
    index('whatsapp_messages_phone_idx').on(t.tenantId, t.phone),
  ],
);
