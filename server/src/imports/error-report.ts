import type { Readable } from 'node:stream';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { ImportRefusalReason, type ReportLanguage } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import type { Db } from '../db/client.js';
import { importRowErrors, importUploads, jobs } from '../db/schema/index.js';
import { inTenantTransaction, type Tx } from '../db/transactions.js';
import { csvStream } from '../http/csv.js';
import { refusalDetail } from './refusal-detail.js';
import { refusalWords } from './refusal-words.js';

const BATCH_SIZE = 1000;

/** An IMPORT_LEADS job of the tenant and the upload it read (404 for any other job or tenant). */
export async function findImportJob(tx: Tx, tenantId: string, jobId: string) {
  const [row] = await tx
    .select({ job: jobs, upload: importUploads })
    .from(jobs)
    .leftJoin(importUploads, sql`${importUploads.id}::text = ${jobs.input}->>'uploadId'`)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, jobId), eq(jobs.type, 'IMPORT_LEADS')));
  if (!row) throw new AppError('NOT_FOUND', 'No such import job.');
  return { job: row.job, upload: row.upload ?? { fileName: 'import.csv', headers: [] as string[] } };
}

/**
 * The refused rows: row number (as a spreadsheet shows it, the header being row 1), the reason as a
 * stable code and in words of the chosen language, the error in detail (in that language too), then the row's original
 * cells under the file's own headers. Read in batches, each in its own short transaction; written
 * by the one CSV writer, which guards every cell against formulas.
 */
export function streamErrorReport(db: Db, tenantId: string, jobId: string, headers: string[], lang: ReportLanguage): Readable {
  const words = refusalWords[lang];
  const wordsOf = (code: string | null) => {
    const known = ImportRefusalReason.safeParse(code);
    return known.success ? words[known.data] : null;
  };
  async function* rows() {
    yield ['Row', 'Code', 'Reason', 'Error', ...headers];
    let after = 0;
    for (;;) {
      const batch = await inTenantTransaction(db, tenantId, (tx) =>
        tx
          .select()
          .from(importRowErrors)
          .where(and(eq(importRowErrors.jobId, jobId), gt(importRowErrors.rowNumber, after)))
          .orderBy(asc(importRowErrors.rowNumber))
          .limit(BATCH_SIZE),
      );
      for (const e of batch) yield [e.rowNumber, e.reason, wordsOf(e.reason), refusalDetail(e.error, lang), ...e.cells];
      if (batch.length < BATCH_SIZE) return;
      after = batch[batch.length - 1].rowNumber;
    }
  }
  return csvStream(rows());
}
