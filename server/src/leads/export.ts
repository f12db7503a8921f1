import type { Readable } from 'node:stream';
import { count } from 'drizzle-orm';
import type { CsvRow, Lead, LeadFilter, LeadSort } from '@optarget/shared';
import type { Db } from '../db/client.js';
import { leads } from '../db/schema/index.js';
import { inTenantTransaction, type Tx } from '../db/transactions.js';
import { csvStream } from '../http/csv.js';
import { recordAudit, type AuditActor } from '../audit/record.js';
import { findLeadPage, leadConditions, type LeadCursor } from './query.js';

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

const leadCsvRow = (l: Lead): CsvRow => [
  l.name,
  l.category,
  l.address,
  l.city,
  l.country,
  // Text that could not be read is exported as it was given, so it can be fixed and imported back.
  l.phone ?? l.phoneRaw,
  l.email ?? l.emailRaw,
  l.website ?? l.websiteRaw,
  l.domain,
  l.status,
  l.score,
  l.rating,
  l.reviewCount,
  l.tags.join('; '),
  l.owner?.name ?? null,
  l.notes,
  l.source,
  l.sourceId,
  l.lat,
  l.lon,
  l.createdAt,
  l.updatedAt,
  l.id,
];

/** Counts what the export will contain and records that it happened, in the request's transaction. */
export async function beginLeadExport(tx: Tx, tenantId: string, filter: LeadFilter, actor: AuditActor) {
  const [{ n }] = await tx.select({ n: count() }).from(leads).where(leadConditions(tenantId, filter));
  await recordAudit(tx, tenantId, actor, { action: 'lead.exported', targetType: 'lead', metadata: { filter, rowCount: n } });
  return { filename: `leads-${new Date().toISOString().slice(0, 10)}.csv`, rowCount: n };
}

/** The CSV body in the table's sort, read by keyset in batches of 1000, each in its own short tenant transaction. */
export function streamLeadCsv(db: Db, tenantId: string, filter: LeadFilter, sort: LeadSort): Readable {
  async function* rows() {
    yield [...leadCsvColumns];
    let cursor: LeadCursor | undefined;
    for (;;) {
      const after = cursor;
      const batch = await inTenantTransaction(db, tenantId, (tx) =>
        findLeadPage(tx, leadConditions(tenantId, filter), sort, BATCH_SIZE, after),
      );
      for (const r of batch) yield leadCsvRow(r.lead);
      if (batch.length < BATCH_SIZE) return;
      cursor = batch[batch.length - 1].cursor;
    }
  }
  return csvStream(rows());
}
