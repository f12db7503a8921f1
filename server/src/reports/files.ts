import type { FastifyReply } from 'fastify';
import { and, eq } from 'drizzle-orm';
import type { ReportLanguage } from '@optarget/shared';
import type { Db } from '../db/client.js';
import { reports } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError, notFound } from '../errors/catalogue.js';
import { databaseReportStorage } from './storage.js';

/** A file name from the business's name: letters of any script kept, everything else a dash; `tag` is the language or `all`. */
export function reportFileName(subject: string, tag: ReportLanguage | 'all', extension = 'pdf') {
  const base = subject
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${base || 'report'}-${tag}.${extension}`;
}

/** `Content-Disposition` for a download: an ASCII fallback and the real name in RFC 5987 form. */
export function attachmentHeader(fileName: string) {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export type ReportFile = { id: string; fileName: string; contentType: string; sizeBytes: number };

/** The stored file of one of the tenant's reports: 404 for a missing or foreign report, 409 before it is generated. */
export async function findReportFile(tx: Tx, tenantId: string, reportId: string): Promise<ReportFile> {
  const [row] = await tx
    .select({ id: reports.id, fileName: reports.fileName, contentType: reports.contentType })
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.id, reportId)));
  if (!row) throw notFound('No such report.');
  const sizeBytes = await databaseReportStorage.size(tx, tenantId, reportId);
  if (sizeBytes === null)
    throw new AppError('CONFLICT', 'This report has no file yet: wait until it is generated.', { reason: 'reportNoFile' });
  return { id: row.id, fileName: row.fileName ?? 'report.pdf', contentType: row.contentType ?? 'application/pdf', sizeBytes };
}

/** Answers with the file as a download, streamed from storage once the caller's transaction is over. */
export function sendReportFile(reply: FastifyReply, db: Db, tenantId: string, file: ReportFile) {
  reply
    .header('content-type', file.contentType)
    .header('content-length', file.sizeBytes)
    .header('content-disposition', attachmentHeader(file.fileName))
    .header('cache-control', 'private, no-store');
  return databaseReportStorage.stream(db, tenantId, file.id, file.sizeBytes);
}
