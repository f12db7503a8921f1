import { z } from 'zod';
import { ruled } from './field-rules.js';
import { CountryCode, IsoDate, Uuid } from './common.js';
import { AttentionFlag } from './leads.js';
import { ReportLanguage } from './settings.js';

/** Lead fields a CSV column can be mapped to. */
export const importFields = [
  'name',
  'category',
  'address',
  'city',
  'country',
  'phone',
  'email',
  'website',
  'lat',
  'lon',
  'tags',
  'notes',
  'status',
  'rating',
  'reviewCount',
  'sourceId',
  'source',
  'id',
] as const;
export const ImportField = z.enum(importFields);
export type ImportField = z.infer<typeof ImportField>;

/** What the server found in an uploaded file, for the mapping step. */
export const ImportUpload = z.object({
  id: Uuid,
  fileName: z.string(),
  sizeBytes: z.number(),
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1256']),
  delimiter: z.enum([',', ';', '\t', '|']),
  headers: z.array(z.string()),
  preview: z.array(z.array(z.string())),
  /** Data rows in the file (header excluded). */
  rowCount: z.number(),
  /** header index → suggested field, from common header names (Apollo, HubSpot, Google Maps exports…). */
  suggestedMapping: z.record(z.string(), ImportField),
  createdAt: IsoDate,
});
export type ImportUpload = z.infer<typeof ImportUpload>;

export const ImportLeadsInput = z.object({
  uploadId: Uuid,
  /** CSV column index (as a string) → lead field; unmapped columns are ignored. */
  mapping: z
    .record(z.string().regex(/^\d+$/, 'keys are column numbers'), ImportField)
    .refine((m) => Object.values(m).includes('name'), ruled('mapName', 'map one column to name: every lead needs a name'))
    .refine((m) => new Set(Object.values(m)).size === Object.values(m).length, ruled('mapOnce', 'map each field from one column only')),
  onMatch: z.enum(['skip', 'update']).default('skip'),
  listId: Uuid.optional(),
  /** The country for phone numbers written without a country code, where a row names no country of its own. */
  defaultCountry: CountryCode.optional(),
});
export type ImportLeadsInput = z.infer<typeof ImportLeadsInput>;

/** The wizard's start step: the same input without the upload id, which is in the path. */
export const StartImportBody = ImportLeadsInput.omit({ uploadId: true });
export type StartImportBody = z.input<typeof StartImportBody>;
export const ImportUploadParams = z.object({ tenantId: Uuid, uploadId: Uuid });

/** Why a row was refused: the CSV could not be read there, its column count is off, it has no name, or a value is not what its column needs. */
export const importRefusalReasons = ['unreadable', 'columns', 'name', 'value'] as const;
export const ImportRefusalReason = z.enum(importRefusalReasons);
export type ImportRefusalReason = z.infer<typeof ImportRefusalReason>;
/** The language the refused rows CSV words its reasons in. */
export const ImportErrorsQuery = z.object({ lang: ReportLanguage.default('en') });

/**
 * An IMPORT_LEADS job's result. `rows` counts data rows read: each was created, updated, skipped
 * (matched a lead and changed nothing) or refused (`invalid`, listed in the error report, counted
 * by reason). `flagged` rows were kept but need attention, counted by what needs it.
 */
export const ImportLeadsResult = z.object({
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  skipped: z.number(),
  invalid: z.number(),
  refusedReasons: z.partialRecord(ImportRefusalReason, z.number()),
  flagged: z.number(),
  flags: z.partialRecord(AttentionFlag, z.number()),
  addedToList: z.number(),
  stoppedAtPlanLimit: z.boolean(),
});
export type ImportLeadsResult = z.infer<typeof ImportLeadsResult>;
