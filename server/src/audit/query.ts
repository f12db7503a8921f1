import { and, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { AuditEntry, AuditQuery } from '@optarget/shared';
import { auditLogs, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import type { AuditCursor } from './cursor.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause for one tenant's entries matching the viewer's filters and, when paging, lying after `cursor`. */
export function auditConditions(tenantId: string, filters: AuditQuery, cursor?: AuditCursor): SQL {
  const conditions: (SQL | undefined)[] = [eq(auditLogs.tenantId, tenantId)];
  if (filters.actor) {
    const byEmail = ilike(auditLogs.actorEmail, `%${escapeLike(filters.actor)}%`);
    conditions.push(UUID.test(filters.actor) ? or(byEmail, eq(auditLogs.actorUserId, filters.actor)) : byEmail);
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
  if (cursor) conditions.push(sql`(${auditLogs.createdAt}, ${auditLogs.id}) < (${cursor.t}::timestamptz, ${cursor.id}::uuid)`);
  return and(...conditions)!;
}

export type AuditRow = AuditEntry & { cursor: AuditCursor };

/** Newest first; ties on the transaction time are broken by id so every page boundary is exact. */
export async function findAuditEntries(tx: Tx, where: SQL, limit: number): Promise<AuditRow[]> {
  const rows = await tx
    .select({
      entry: auditLogs,
      actorName: users.name,
      // Full microsecond precision: a JS Date would round and make the cursor skip or repeat entries.
      exactTime: sql<string>`to_char(${auditLogs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(auditLogs)
    .leftJoin(users, eq(users.id, auditLogs.actorUserId))
    .where(where)
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
    .limit(limit);
  return rows.map(({ entry, actorName, exactTime }) => ({
    id: entry.id,
    action: entry.action,
    actor: { id: entry.actorUserId, email: entry.actorEmail, name: actorName },
    targetType: entry.targetType,
    targetId: entry.targetId,
    metadata: entry.metadata,
    ipAddress: entry.ipAddress,
    userAgent: entry.userAgent,
    createdAt: entry.createdAt.toISOString(),
    cursor: { t: exactTime, id: entry.id },
  }));
}
