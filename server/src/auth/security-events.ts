import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { memberships, users } from '../db/schema/index.js';
import { inSystemTransaction } from '../db/transactions.js';
import { recordAudit, type AuditActor, type AuditEvent } from '../audit/record.js';

/**
 * Security events concern a person, not one tenant: they are written to the audit log of every
 * tenant the person belongs to (or with no tenant when they belong to none), so each
 * organization's admins see what happened to their members' accounts.
 */
export async function recordSecurityEvent(db: Db, userId: string | null, actor: AuditActor, event: AuditEvent) {
  await inSystemTransaction(db, async (tx) => {
    const tenantIds = userId
      ? (await tx.select({ tenantId: memberships.tenantId }).from(memberships).where(eq(memberships.userId, userId))).map((m) => m.tenantId)
      : [];
    if (tenantIds.length === 0) {
      await recordAudit(tx, null, actor, {
        ...event,
        targetType: event.targetType ?? 'user',
        targetId: event.targetId ?? userId ?? undefined,
      });
      return;
    }
    for (const tenantId of tenantIds) {
      await recordAudit(tx, tenantId, actor, {
        ...event,
        targetType: event.targetType ?? 'user',
        targetId: event.targetId ?? userId ?? undefined,
      });
    }
  });
}

/**
 * The actor of an event seen from inside better-auth (hooks get the Fetch request the bridge built,
 * which carries the client address the HTTP layer trusts in `x-optarget-client-ip`).
 */
export function actorFromHeaders(user: { id: string; email: string } | null, headers: Headers | undefined): AuditActor {
  return {
    userId: user?.id ?? null,
    email: user?.email ?? null,
    ip: headers?.get('x-optarget-client-ip') ?? null,
    userAgent: headers?.get('user-agent') ?? null,
  };
}

export async function findUserIdByEmail(db: Db, email: string): Promise<string | null> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row?.id ?? null;
}

export async function touchLastLogin(db: Db, userId: string) {
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, userId));
}
