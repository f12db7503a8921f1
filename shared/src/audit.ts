import { z } from 'zod';
import { countedPage, IsoDate, PageQuery, Text, Uuid } from './common.js';

export const AuditEntry = z.object({
  id: Uuid,
  action: z.string(),
  actor: z.object({ id: Uuid.nullable(), email: z.string().nullable(), name: z.string().nullable() }),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: IsoDate,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/**
 * Filters shared by the audit viewer and the CSV export. `actor` matches part of the actor's email
 * (case-insensitive) or exactly their user id; `action` is exact, or a prefix when it ends with `*`
 * (`invite.*`); `from` is inclusive and `to` exclusive.
 */
export const AuditQuery = z.object({
  actor: Text.trim().max(254).optional(),
  action: Text.trim().max(100).optional(),
  targetType: Text.trim().max(100).optional(),
  targetId: Text.trim().max(200).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditListQuery = AuditQuery.extend(PageQuery.shape);
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditPage = countedPage(AuditEntry);
export type AuditPage = z.infer<typeof AuditPage>;

/** Columns of the CSV export, in order. */
export const auditCsvColumns = [
  'time',
  'actor_email',
  'actor_name',
  'action',
  'target_type',
  'target_id',
  'ip',
  'user_agent',
  'metadata_json',
] as const;
