import { Readable } from 'node:stream';
import { count } from 'drizzle-orm';
import type { Lead, LeadFilter, LeadSort } from '@optarget/shared';
import type { Db } from '../db/client.js';
import { leads } from '../db/schema/index.js';
import { inTenantTransaction, type Tx } from '../db/transactions.js';
import { csvLine, UTF8_BOM } from '../audit/csv.js';
import { recordAudit, type AuditActor } from '../audit/record.js';
import type { LeadCursor } from './cursor.js';
import { findLeadPage, leadConditions } from './query.js';

const BATCH_SIZE = 1000;

export const leadCsvColumns = [
  'name',
  'category',
  'address',
  'city',
  'country',
  'phone',
  'email',
  'website',
  'domain',
  'status',
  'score',
  'rating',
  'review_count',
  'tags',
  'owner',
  'notes',
  'source',
  'source_id',
  'lat',
  'lon',
  'created_at',
  'updated_at',
  'id',
] as const;

const str = (v: number | null) => (v === null ? null : String(v));

const leadCsvRow = (l: Lead) =>
  csvLine([
    l.name,
    l.category,
    l.address,
    l.city,
    l.country,
    l.phone,
    l.email,
    l.website,
    l.domain,
    l.status,
    String(l.score),
    str(l.rating),
    str(l.reviewCount),
    l.tags.join('; '),
    l.owner?.name ?? null,
    l.notes,
    l.source,
    l.sourceId,
    str(l.lat),
    str(l.lon),
    l.createdAt,
    l.updatedAt,
    l.id,
  ]);

/** Counts what the export will contain and records that it happened, in the request's transaction. */
export async function beginLeadExport(tx: Tx, tenantId: string, filter: LeadFilter, actor: AuditActor) {
  const [{ n }] = await tx.select({ n: count() }).from(leads).where(leadConditions(tenantId, filter));
  await recordAudit(tx, tenantId, actor, { action: 'lead.exported', targetType: 'lead', metadata: { filter, rowCount: n } });
  return { filename: `leads-${new Date().toISOString().slice(0, 10)}.csv`, rowCount: n };
}

/** The CSV body in the table's sort, read by keyset in batches of 1000, each in its own short tenant transaction. */
export function streamLeadCsv(db: Db, tenantId: string, filter: LeadFilter, sort: LeadSort): Readable {
  async function* lines() {
    yield UTF8_BOM + csvLine([...leadCsvColumns]);
    let cursor: LeadCursor | undefined;
    for (;;) {
      const after = cursor;
      const batch = await inTenantTransaction(db, tenantId, (tx) =>
        findLeadPage(tx, leadConditions(tenantId, filter), sort, BATCH_SIZE, after),
      );
      if (batch.length > 0) yield batch.map((r) => leadCsvRow(r.lead)).join('');
      if (batch.length < BATCH_SIZE) return;
      cursor = batch[batch.length - 1].cursor;
    }
  }
  return Readable.from(lines());
}
