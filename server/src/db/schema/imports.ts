// CSV imports: uploaded files kept in the database (so API and worker processes on different
// machines both reach them), the per-row error report and the resume point of each import job.
import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, updatedAt } from './columns.js';
import { users } from './identity.js';
import { tenants } from './tenancy.js';
import { jobs } from './work.js';

const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });

export const importUploads = pgTable(
  'import_uploads',
  {
    id: id(),
    tenantId: tenantId(),
    fileName: text('file_name').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    encoding: text('encoding').notNull(),
    delimiter: text('delimiter').notNull(),
    headers: jsonb('headers').$type<string[]>().notNull(),
    preview: jsonb('preview').$type<string[][]>().notNull(),
    /** Data rows (header excluded), counted while the file was received; the import's progress total. */
    rowCount: integer('row_count').notNull(),
    chunkCount: integer('chunk_count').notNull(),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('import_uploads_tenant_time_idx').on(t.tenantId, t.createdAt.desc())],
);

/** The file's bytes in order, 60 KB each (older uploads: 1 MB), so neither side ever holds the whole file. */
export const importUploadChunks = pgTable(
  'import_upload_chunks',
  {
    tenantId: tenantId(),
    uploadId: uuid('upload_id')
      .notNull()
      .references(() => importUploads.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.seq] })],
);

/** Rows an import job could not take, with their original cells, for the downloadable error report. */
export const importRowErrors = pgTable(
  'import_row_errors',
  {
    tenantId: tenantId(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    /** Why, as a stable code (unreadable, columns, name, value); read from the message for rows refused before it was kept. */
    reason: text('reason'),
    error: text('error').notNull(),
    cells: jsonb('cells').$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNumber] })],
);

/** Where an import job stands, written in the same transaction as each batch so a retry resumes without repeating it. */
export const importCheckpoints = pgTable('import_checkpoints', {
  jobId: uuid('job_id')
    .primaryKey()
    .references(() => jobs.id, { onDelete: 'cascade' }),
  tenantId: tenantId(),
  rowsDone: integer('rows_done').notNull().default(0),
  counts: jsonb('counts').$type<Record<string, unknown>>().notNull(),
  updatedAt: updatedAt(),
});
