import { z } from 'zod';
import { IsoDate, Uuid } from './common.js';

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

export const AuditQuery = z.object({
  actor: z.string().max(254).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});
