import { auditLogs } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';

export type AuditActor = { userId: string | null; email: string | null; ip: string | null; userAgent: string | null };

export type AuditEvent = {
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
};

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
    metadata: event.metadata ?? {},
    ipAddress: actor.ip,
    userAgent: actor.userAgent?.slice(0, 500) ?? null,
  });
}
