import { Readable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { reports } from '../db/schema/index.js';
import { inTenantTransaction, type Tx } from '../db/transactions.js';

/**
 * Where report files live. The one implementation keeps them in PostgreSQL (bytea); object
 * storage can take its place behind the same two operations.
 */
export type ReportStorage = {
  save(tx: Tx, tenantId: string, reportId: string, bytes: Buffer): Promise<void>;
  /** The stored file's size, or null when the report has none (yet). */
  size(tx: Tx, tenantId: string, reportId: string): Promise<number | null>;
  /**
   * The file as a stream read piece by piece, each piece in its own short transaction, so nothing
   * is held open while a slow client downloads (and on PGlite, start it only after the caller's transaction).
   */
  stream(db: Db, tenantId: string, reportId: string, sizeBytes: number): Readable;
};

const CHUNK_BYTES = 256 * 1024;
const toBuffer = (raw: Uint8Array) => (Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));

export const databaseReportStorage: ReportStorage = {
  async save(tx, tenantId, reportId, bytes) {
    await tx
      .update(reports)
      .set({ file: bytes, sizeBytes: bytes.length, storageKey: null })
      .where(and(eq(reports.tenantId, tenantId), eq(reports.id, reportId)));
  },

  async size(tx, tenantId, reportId) {
    const [row] = await tx
      .select({ size: sql<number | null>`octet_length(${reports.file})`.mapWith(Number) })
      .from(reports)
      .where(and(eq(reports.tenantId, tenantId), eq(reports.id, reportId)));
    return row?.size ?? null;
  },

  stream(db, tenantId, reportId, size) {
    const where = and(eq(reports.tenantId, tenantId), eq(reports.id, reportId));
    let offset = 0;
    return new Readable({
      read() {
        if (offset >= size) return void this.push(null);
        const from = offset + 1; // substring counts from 1
        offset += CHUNK_BYTES;
        inTenantTransaction(db, tenantId, (tx) =>
          tx
            .select({ part: sql<Uint8Array>`substring(${reports.file} from ${from} for ${CHUNK_BYTES})` })
            .from(reports)
            .where(where),
        ).then(
          ([piece]) => this.push(piece ? toBuffer(piece.part) : null),
          (err: Error) => this.destroy(err),
        );
      },
    });
  },
};
