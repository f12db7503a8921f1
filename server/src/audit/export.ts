import type { Readable } from 'node:stream';
import { count, eq } from 'drizzle-orm';
import { auditCsvColumns, type AuditQuery, type CsvRow } from '@optarget/shared';
import type { Db } from '../db/client.js';
import { auditLogs, tenants } from '../db/schema/index.js';
import { inTenantTransaction, type Tx } from '../db/transactions.js';
import { recordAudit, type AuditActor } from './record.js';
import type { TimePosition } from '../http/cursor.js';
import { csvStream } from '../http/csv.js';
import { auditConditions, findAuditEntries, type AuditRow } from './query.js';

const BATCH_SIZE = 1000;
const LAST_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

const auditCsvRow = (e: AuditRow): CsvRow => [
  e.createdAt,
  e.actor.email,
  e.actor.name,
  e.action,
  e.targetType,
  e.targetId,
  e.ipAddress,
  e.userAgent,
  JSON.stringify(e.metadata),
];

export type AuditExport = { filename: string; rowCount: number; start: TimePosition | null };

/**
 * Fixes what the export will contain and records that it happened, in the request's transaction:
 * the rows are those matching the filters up to the newest one now, so entries written while the
 * file streams (including this `audit.exported` entry) do not change it.
 */
export async function beginAuditExport(tx: Tx, tenantId: string, filters: AuditQuery, actor: AuditActor): Promise<AuditExport> {
  const where = auditConditions(tenantId, filters);
  const [newest] = await findAuditEntries(tx, where, 1);
  const [{ n }] = await tx.select({ n: count() }).from(auditLogs).where(where);
  const [tenant] = await tx.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId));
  await recordAudit(tx, tenantId, actor, {
    action: 'audit.exported',
    targetType: 'audit_log',
    metadata: { filter: filters, rowCount: n },
  });
  return {
    filename: `audit-log-${tenant.slug}-${new Date().toISOString().slice(0, 10)}.csv`,
    rowCount: n,
    // Paging is "strictly before the cursor"; the largest id at the newest time makes the newest entry itself the first row.
    start: newest ? { at: newest.cursor.at, id: LAST_UUID } : null,
  };
}

/** The CSV body, read in batches of 1000, each in its own short tenant transaction (PGlite has one connection). */
export function streamAuditCsv(db: Db, tenantId: string, filters: AuditQuery, start: TimePosition | null): Readable {
  async function* rows() {
    yield [...auditCsvColumns];
    let cursor = start;
    while (cursor) {
      const after = cursor;
      const batch = await inTenantTransaction(db, tenantId, (tx) =>
        findAuditEntries(tx, auditConditions(tenantId, filters, after), BATCH_SIZE),
      );
      for (const entry of batch) yield auditCsvRow(entry);
      cursor = batch.length === BATCH_SIZE ? batch[batch.length - 1].cursor : null;
    }
  }
  return csvStream(rows());
}
