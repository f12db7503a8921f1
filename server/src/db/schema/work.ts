// Tables filled by later features: leads, lists, evidence, jobs, reports.
import { SEARCH_FOLD_FROM, SEARCH_FOLD_TO, type JobText } from '@optarget/shared';
import { sql, type SQL } from 'drizzle-orm';
import {
  boolean,
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
import { bytea, createdAt, id, ts, updatedAt } from './columns.js';
import { users } from './identity.js';
import { tenants } from './tenancy.js';

export const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });
export const userRef = (name: string) => uuid(name).references(() => users.id, { onDelete: 'set null' });

export const jobStatusEnum = pgEnum('job_status', ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
export const leadStatusEnum = pgEnum('lead_status', ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST']);
export const leadSourceEnum = pgEnum('lead_source', ['osm', 'google', 'csv', 'manual', 'whatsapp']);

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
    /** The failure as a code with parameters, for the user's language; `error` holds its English. */
    errorText: jsonb('error_text').$type<JobText>(),
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
  (t) => [
    index('job_logs_job_time_idx').on(t.jobId, t.createdAt),
    // The lead timeline reads the enrichment lines about one lead.
    index('job_logs_lead_idx')
      .on(t.tenantId, sql`(${t.data} ->> 'leadId')`, t.createdAt)
      .where(sql`(${t.data} ->> 'leadId') is not null`),
  ],
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
    /** The phone, email or website as given when it could not be read (the field itself stays null): shown as needing attention. */
    phoneRaw: text('phone_raw'),
    emailRaw: text('email_raw'),
    websiteRaw: text('website_raw'),
    /** The source that first brought the lead; every source it has is in `lead_sources`. */
    source: leadSourceEnum('source').notNull().default('manual'),
    sourceId: text('source_id'),
    rating: real('rating'),
    reviewCount: integer('review_count'),
    status: leadStatusEnum('status').notNull().default('NEW'),
    score: integer('score').notNull().default(0),
    /** What the score was computed from at the last enrichment (shared ScoreBasis); null before any. */
    scoreBasis: jsonb('score_basis').$type<Record<string, unknown>>(),
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
     * expressions it cannot prove leak-free (COALESCE is one). Folded like the query (shared/src/search-fold.ts).
     */
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`translate(coalesce(${leads.name}, '') || ' ' || coalesce(${leads.domain}, '') || ' ' || coalesce(${leads.email}, '') || ' ' || coalesce(${leads.phone}, '') || ' ' || coalesce(${leads.city}, '') || ' ' || coalesce(${leads.category}, '') || ' ' || coalesce(${leads.phoneRaw}, '') || ' ' || coalesce(${leads.emailRaw}, '') || ' ' || coalesce(${leads.websiteRaw}, ''), ${sql.raw(`'${SEARCH_FOLD_FROM}'`)}, ${sql.raw(`'${SEARCH_FOLD_TO}'`)})`,
      ),
    /** The name folded like search, lower case, single spaces: near-duplicates compare it (lead-records.ts). */
    nameKey: text('name_key')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`btrim(regexp_replace(lower(translate(${leads.name}, ${sql.raw(`'${SEARCH_FOLD_FROM}'`)}, ${sql.raw(`'${SEARCH_FOLD_TO}'`)})), '\\s+', ' ', 'g'))`,
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
    // The "needs attention" filters; few leads are flagged, so these stay small.
    ...(['phone', 'email', 'website'] as const).map((field) =>
      index(`leads_tenant_${field}_raw_idx`)
        .on(t.tenantId)
        .where(sql`${t[`${field}Raw`]} is not null`),
    ),
    // Near-duplicate detection: the same name without coordinates, or leads in a narrow band of latitude.
    index('leads_tenant_name_key_idx').on(t.tenantId, t.nameKey),
    index('leads_tenant_lat_idx')
      .on(t.tenantId, t.lat)
      .where(sql`${t.lat} is not null`),
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
    /** The parameters of the finding's sentence (shared findings.ts), by kind. */
    params: jsonb('params').$type<Record<string, string | number>>().notNull().default({}),
    /** What `snippet` is: page text, an attribute, a response header, a technical detail… */
    proofKind: text('proof_kind'),
    /** When the page or header that proves the finding was fetched. */
    fetchedAt: ts('fetched_at'),
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

/** The leads a job found, new or merged into an existing lead: what "View leads" of a search opens. */
export const jobLeads = pgTable(
  'job_leads',
  {
    tenantId: tenantId(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    outcome: text('outcome', { enum: ['new', 'merged'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.leadId] }), index('job_leads_lead_idx').on(t.leadId)],
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
    /** `en` or `ar`: the report's language, chosen when it was generated (default from the tenant's branding). */
    language: text('language').notNull().default('en'),
    /** What the report is about (the business's or the list's name), kept so a report outlives a rename. */
    subjectName: text('subject_name'),
    fileName: text('file_name'),
    file: bytea('file'),
    /** `application/pdf`, or `application/zip` for a list report bundled with one PDF per lead. */
    contentType: text('content_type'),
    storageKey: text('storage_key'),
    sizeBytes: integer('size_bytes'),
    pageCount: integer('page_count'),
    /** What the PDF was rendered from: the public share page shows the same report as HTML from it. */
    document: jsonb('document').$type<Record<string, unknown>>(),
    /** Why the last generation failed, in words a user can act on. */
    error: text('error'),
    createdByUserId: userRef('created_by_user_id'),
    createdAt: createdAt(),
    generatedAt: ts('generated_at'),
  },
  (t) => [
    index('reports_tenant_time_idx').on(t.tenantId, t.createdAt.desc()),
    index('reports_lead_idx').on(t.leadId),
    index('reports_list_idx').on(t.listId),
    uniqueIndex('reports_job_key').on(t.jobId),
  ],
);

/** A public link to one report: the token is shown once and stored only as its SHA-256. */
export const reportShares = pgTable(
  'report_shares',
  {
    id: id(),
    tenantId: tenantId(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    /** `whatsapp` for a link made to fill a template variable: its token is derived from the app secret, so it can be sent again. */
    channel: text('channel'),
    createdByUserId: userRef('created_by_user_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('report_shares_token_key').on(t.tokenHash), index('report_shares_report_idx').on(t.reportId)],
);

/** One opening of a shared report: when, and the coarse kind of device; never the address. */
export const reportViews = pgTable(
  'report_views',
  {
    id: id(),
    tenantId: tenantId(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    shareId: uuid('share_id').references(() => reportShares.id, { onDelete: 'set null' }),
    device: text('device').notNull(),
    viewedAt: ts('viewed_at').notNull().defaultNow(),
  },
  (t) => [index('report_views_report_time_idx').on(t.reportId, t.viewedAt.desc()), index('report_views_share_idx').on(t.shareId)],
);
export const reportRecommendations = pgTable(
  'report_recommendations',
  {
    tenantId: tenantId(),
    kind: text('kind').notNull(),
    language: text('language').notNull(),
    text: text('text').notNull(),
    updatedByUserId: userRef('updated_by_user_id'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.language] })],
);
