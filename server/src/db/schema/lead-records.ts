// Where each lead came from, which leads may be the same business, and which leads were merged into which.
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, real, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, ts } from './columns.js';
import { jobs, leadSourceEnum, leads, tenantId, userRef } from './work.js';

/**
 * One source that found or gave a lead: a place of OpenStreetMap or Google (with its id), an import,
 * a person's form. A place belongs to one lead, so finding it again attaches to that lead.
 */
export const leadSources = pgTable(
  'lead_sources',
  {
    id: id(),
    tenantId: tenantId(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    source: leadSourceEnum('source').notNull(),
    sourceId: text('source_id'),
    /** The lead fields this source filled (the rest were already known or edited by hand). */
    fields: text('fields')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The search or import that last brought it, while that job exists. */
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    firstSeenAt: ts('first_seen_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('lead_sources_lead_key').on(t.leadId, t.source, sql`coalesce(${t.sourceId}, '')`),
    uniqueIndex('lead_sources_place_key')
      .on(t.tenantId, t.source, t.sourceId)
      .where(sql`${t.sourceId} is not null`),
    index('lead_sources_job_idx')
      .on(t.jobId)
      .where(sql`${t.jobId} is not null`),
  ],
);

/**
 * Two leads that may be the same business, stored in both directions so a lead's candidates are
 * one index probe: same website with different phones (`domain`), or similar names close together (`name`).
 */
export const leadDuplicates = pgTable(
  'lead_duplicates',
  {
    tenantId: tenantId(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    otherLeadId: uuid('other_lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    reason: text('reason', { enum: ['domain', 'name'] }).notNull(),
    /** Trigram similarity of the folded names, for `name`. */
    similarity: real('similarity'),
    /** Metres between the two, when both have coordinates. */
    distanceM: real('distance_m'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.leadId, t.otherLeadId] }),
    index('lead_duplicates_other_idx').on(t.otherLeadId),
    check('lead_duplicates_pair_check', sql`${t.leadId} <> ${t.otherLeadId}`),
  ],
);

/**
 * A lead merged into another: its id leads to the kept lead afterwards, and the kept lead's history
 * includes its entries. Leads merged in one step share `mergeId`; until the undo window closes,
 * `restore` and `keptRestore` hold what undoing needs (leads/merge-undo.ts).
 */
export const leadMerges = pgTable(
  'lead_merges',
  {
    id: id(),
    tenantId: tenantId(),
    mergeId: uuid('merge_id')
      .notNull()
      .default(sql`gen_random_uuid()`),
    mergedLeadId: uuid('merged_lead_id').notNull(),
    keptLeadId: uuid('kept_lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    /** The merged lead as it was, so the merge can be checked by hand. */
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    /** The merged lead's row and the rows it had in other tables, as the database keeps them (null: merged before undo existed). */
    restore: jsonb('restore').$type<Record<string, unknown>>(),
    /** The kept lead before and after the merge and what the merge added to it, the same on every row of one merge. */
    keptRestore: jsonb('kept_restore').$type<Record<string, unknown>>(),
    mergedByUserId: userRef('merged_by_user_id'),
    mergedAt: ts('merged_at').notNull().defaultNow(),
    undoneAt: ts('undone_at'),
    undoneByUserId: userRef('undone_by_user_id'),
  },
  (t) => [
    uniqueIndex('lead_merges_merged_key')
      .on(t.tenantId, t.mergedLeadId)
      .where(sql`${t.undoneAt} is null`),
    index('lead_merges_kept_idx').on(t.keptLeadId),
    index('lead_merges_merge_idx').on(t.tenantId, t.mergeId),
  ],
);

/**
 * Two leads a person said are not the same business: never flagged as near-duplicates again while
 * this row exists. One row per pair (`lead_id` < `other_lead_id`); `marks` are the flags it removed, put back if it is reverted.
 */
export const leadDuplicateDismissals = pgTable(
  'lead_duplicate_dismissals',
  {
    tenantId: tenantId(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    otherLeadId: uuid('other_lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    marks: jsonb('marks').$type<Record<string, unknown>[]>().notNull().default([]),
    dismissedByUserId: userRef('dismissed_by_user_id'),
    dismissedAt: ts('dismissed_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.leadId, t.otherLeadId] }),
    index('lead_duplicate_dismissals_other_idx').on(t.otherLeadId),
    check('lead_duplicate_dismissals_order_check', sql`${t.leadId} < ${t.otherLeadId}`),
  ],
);
