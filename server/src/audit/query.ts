import { and, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { isUuid, type AuditEntry, type AuditQuery } from '@optarget/shared';
import { auditLogs, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { afterTime, exactTime, type TimePosition } from '../http/cursor.js';
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause for one tenant's entries matching the viewer's filters and, when paging, lying after `cursor`. */
export function auditConditions(tenantId: string, filters: AuditQuery, cursor?: TimePosition): SQL {
  const conditions: (SQL | undefined)[] = [eq(auditLogs.tenantId, tenantId)];
  if (filters.actor) {
    const byEmail = ilike(auditLogs.actorEmail, `%${escapeLike(filters.actor)}%`);
    conditions.push(isUuid(filters.actor) ? or(byEmail, eq(auditLogs.actorUserId, filters.actor)) : byEmail);
  }
  if (filters.action) {
    conditions.push(
      filters.action.endsWith('*')
        ? sql`${auditLogs.action} like ${`${escapeLike(filters.action.slice(0, -1))}%`}`
        : eq(auditLogs.action, filters.action),
    );
  }
  if (filters.targetType) conditions.push(eq(auditLogs.targetType, filters.targetType));
  if (filters.targetId) conditions.push(eq(auditLogs.targetId, filters.targetId));
  if (filters.from) conditions.push(sql`${auditLogs.createdAt} >= ${filters.from}::timestamptz`);
  if (filters.to) conditions.push(sql`${auditLogs.createdAt} < ${filters.to}::timestamptz`);
  conditions.push(afterTime(cursor, auditLogs.createdAt, auditLogs.id, 'desc'));
  return and(...conditions)!;
}

export type AuditRow = AuditEntry & { cursor: TimePosition };

/** The entries the conditions select, as a query to count. */
export const matchingAuditEntries = (tx: Tx, where: SQL) =>
  tx
    .select({ one: sql`1` })
    .from(auditLogs)
    .where(where);

/** Newest first; ties on the transaction time are broken by id so every page boundary is exact. */
export async function findAuditEntries(tx: Tx, where: SQL, limit: number): Promise<AuditRow[]> {
  const rows = await tx
    .select({
      entry: auditLogs,
      actorName: users.name,
      at: exactTime(auditLogs.createdAt),
    })
    .from(auditLogs)
    .leftJoin(users, eq(users.id, auditLogs.actorUserId))
    .where(where)
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
    .limit(limit);
  return rows.map(({ entry, actorName, at }) => ({
    id: entry.id,
    action: entry.action,
    actor: { id: entry.actorUserId, email: entry.actorEmail, name: actorName },
    targetType: entry.targetType,
    targetId: entry.targetId,
    metadata: entry.metadata,
    ipAddress: entry.ipAddress,
    userAgent: entry.userAgent,
    createdAt: entry.createdAt.toISOString(),
    cursor: { at, id: entry.id },
  }));
}
