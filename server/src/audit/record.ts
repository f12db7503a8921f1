import type { AuditAction, AuditMetadata } from '@optarget/shared';
import { auditLogs } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';

export type AuditActor = { userId: string | null; email: string | null; ip: string | null; userAgent: string | null };

/** Metadata may be left out only where the catalogue's shape allows none. */
type MetadataOf<A extends AuditAction> =
  undefined extends AuditMetadata<A> ? { metadata?: AuditMetadata<A> } : { metadata: AuditMetadata<A> };

/** An action of the catalogue (`shared/src/audit-actions.ts`) with the metadata it declares. */
export type AuditEvent<A extends AuditAction = AuditAction> = {
  [K in A]: { action: K; targetType?: string; targetId?: string } & MetadataOf<K>;
}[A];

/**
 * The only write path into the audit log. Call it with the transaction that makes the change,
 * so the entry exists exactly when the change does.
 */
export async function recordAudit(tx: Tx, tenantId: string | null, actor: AuditActor, event: AuditEvent) {
  await tx.insert(auditLogs).values({
    tenantId,
    actorUserId: actor.userId,
    actorEmail: actor.email,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    metadata: (event.metadata ?? {}) as Record<string, unknown>,
    ipAddress: actor.ip,
    userAgent: actor.userAgent?.slice(0, 500) ?? null,
  });
}
