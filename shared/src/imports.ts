import { z } from 'zod';
import { IsoDate, Uuid } from './common.js';

/** Lead fields a CSV column can be mapped to. */
export const importFields = ['name', 'category', 'address', 'city', 'country', 'phone', 'email', 'website', 'lat', 'lon', 'tags', 'notes', 'status', 'rating', 'reviewCount', 'sourceId'] as const;
export const ImportField = z.enum(importFields);

/** What the server found in an uploaded file, for the mapping step. */
export const ImportUpload = z.object({
  id: Uuid,
  fileName: z.string(),
  sizeBytes: z.number(),
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1256']),
  delimiter: z.enum([',', ';', '\t', '|']),
  headers: z.array(z.string()),
  preview: z.array(z.array(z.string())),
  /** header index → suggested field, from common header names (Apollo, HubSpot, Google Maps exports…). */
  suggestedMapping: z.record(z.string(), ImportField),
  createdAt: IsoDate,
});
export type ImportUpload = z.infer<typeof ImportUpload>;

export const ImportLeadsInput = z.object({
  uploadId: Uuid,
  /** CSV column index (as a string) → lead field; unmapped columns are ignored. */
  mapping: z.record(z.string().regex(/^\d+$/), ImportField),
  onMatch: z.enum(['skip', 'update']).default('skip'),
  listId: Uuid.optional(),
});
export type ImportLeadsInput = z.infer<typeof ImportLeadsInput>;
