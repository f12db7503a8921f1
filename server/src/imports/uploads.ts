import { and, eq } from 'drizzle-orm';
import type { ImportUpload } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { importUploads } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import type { Delimiter, Encoding } from './detect.js';
import { suggestMapping } from './header-mapping.js';

export type UploadRow = typeof importUploads.$inferSelect;

export async function findUploadForTenant(tx: Tx, tenantId: string, uploadId: string): Promise<UploadRow> {
  const [row] = await tx
    .select()
    .from(importUploads)
    .where(and(eq(importUploads.tenantId, tenantId), eq(importUploads.id, uploadId)));
  if (!row) throw new AppError('NOT_FOUND', 'No such upload. Upload the file again.');
  return row;
}

export function toImportUploadDto(row: UploadRow): ImportUpload {
  return {
    id: row.id,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    encoding: row.encoding as Encoding,
    delimiter: row.delimiter as Delimiter,
    headers: row.headers,
    preview: row.preview,
    rowCount: row.rowCount,
    suggestedMapping: suggestMapping(row.headers),
    createdAt: row.createdAt.toISOString(),
  };
}
