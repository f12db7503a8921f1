import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { eq } from 'drizzle-orm';
import type { FieldRule, ImportUpload } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { importUploadChunks, importUploads } from '../db/schema/index.js';
import type { TenantContext } from '../http/routes.js';
import {
  assertNoNul,
  detectDelimiter,
  detectEncoding,
  SAMPLE_BYTES,
  UnreadableFileError,
  type Delimiter,
  type Encoding,
} from './detect.js';
import { csvOptions } from './csv-options.js';
import { toImportUploadDto } from './uploads.js';

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/**
 * Stored chunk size. Small on purpose: the job reads chunks back as hex text (twice the bytes), and
 * at 60 KB those strings stay under V8's large-object size (128 KB), so they die young instead of
 * piling up in the old generation until a full collection.
 */
export const CHUNK_BYTES = 60 * 1024;
const PREVIEW_ROWS = 10;

export const tooLarge = () =>
  new AppError('PAYLOAD_TOO_LARGE', 'The file is larger than 50 MB. Split it into smaller files and import them one after another.');

const badFile = (message: string, rule: FieldRule) =>
  new AppError('VALIDATION_FAILED', message, { fields: [{ field: 'file', message, rule }] });

/**
 * Reads the received file as a stream: stores it in chunks of CHUNK_BYTES, works out its encoding and delimiter
 * from the first bytes, checks every byte decodes, and parses it once to count rows and keep a
 * preview. Any refusal throws, rolling back the route's transaction, so nothing of a rejected file
 * is kept. Memory holds one chunk and a preview, whatever the file size.
 */
export async function receiveUpload(
  ctx: TenantContext,
  fileName: string,
  stream: Readable & { truncated?: boolean },
): Promise<ImportUpload> {
  const [upload] = await ctx.tx
    .insert(importUploads)
    .values({
      tenantId: ctx.tenantId,
      fileName: fileName.slice(0, 255) || 'import.csv',
      sizeBytes: 0,
      encoding: 'utf-8',
      delimiter: ',',
      headers: [],
      preview: [],
      rowCount: 0,
      chunkCount: 0,
      createdByUserId: ctx.actor.userId,
    })
    .returning({ id: importUploads.id });

  let size = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Stores whole chunks of what is pending; `all` stores the remainder too (the file's last chunk).
  const flush = async (all: boolean) => {
    if (pendingBytes === 0 || (!all && pendingBytes < CHUNK_BYTES)) return;
    const bytes = Buffer.concat(pending);
    let at = 0;
    for (; bytes.length - at >= CHUNK_BYTES || (all && at < bytes.length); at += CHUNK_BYTES) {
      const data = bytes.subarray(at, at + CHUNK_BYTES);
      await ctx.tx.insert(importUploadChunks).values({ tenantId: ctx.tenantId, uploadId: upload.id, seq: seq++, data });
    }
    pending = at < bytes.length ? [bytes.subarray(at)] : [];
    pendingBytes = bytes.length - Math.min(at, bytes.length);
  };

  let reader: TextReader | null = null;
  let head: Buffer[] = [];
  let headBytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (reader) reader.push(chunk);
      else {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes >= SAMPLE_BYTES) {
          reader = startReading(Buffer.concat(head), false);
          head = [];
        }
      }
      await flush(false);
    }
    if (stream.truncated) throw tooLarge();
    if (size === 0) throw badFile('The file is empty.', 'fileEmpty');
    reader ??= startReading(Buffer.concat(head), true);
    await flush(true);
    const found = await reader.finish();
    const dto = {
      sizeBytes: size,
      encoding: reader.encoding,
      delimiter: reader.delimiter,
      headers: found.headers,
      preview: found.preview,
      rowCount: found.rowCount,
      chunkCount: seq,
    };
    const [row] = await ctx.tx.update(importUploads).set(dto).where(eq(importUploads.id, upload.id)).returning();
    return toImportUploadDto(row);
  } catch (err) {
    stream.destroy();
    if (err instanceof UnreadableFileError) throw badFile(err.message, err.rule);
    throw err;
  }
}

type TextReader = {
  encoding: Encoding;
  delimiter: Delimiter;
  push(bytes: Buffer): void;
  finish(): Promise<{ headers: string[]; preview: string[][]; rowCount: number }>;
};

/** Decides encoding and delimiter from the sample, then decodes and parses everything pushed after it. */
function startReading(sample: Buffer, complete: boolean): TextReader {
  const { encoding, bomLength } = detectEncoding(sample.subarray(0, SAMPLE_BYTES));
  const singleByteNul = encoding === 'utf-8' || encoding === 'windows-1256';
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  let offset = 0;
  const decode = (bytes: Buffer, last: boolean) => {
    try {
      const text = decoder.decode(bytes, { stream: !last });
      offset += bytes.length;
      return text;
    } catch {
      throw new UnreadableFileError(
        `The file is not valid ${encoding.toUpperCase()} text (the bytes after position ${offset.toLocaleString('en')} cannot be read). Save it as "CSV UTF-8" and upload it again.`,
        'fileEncoding',
      );
    }
  };
  const firstText = decode(sample.subarray(bomLength), complete);
  if (complete && firstText.replace(/[\s\uFEFF]/g, '') === '') throw new UnreadableFileError('The file is empty.', 'fileEmpty');
  const delimiter = detectDelimiter(firstText, complete);

  const found = { headers: null as string[] | null, preview: [] as string[][], rowCount: 0, failure: null as Error | null };
  const parser = parse(csvOptions(delimiter, () => found.rowCount++));
  parser.on('data', (record: string[]) => {
    if (!found.headers) found.headers = record.map((h) => h.trim());
    else {
      found.rowCount++;
      if (found.preview.length < PREVIEW_ROWS) found.preview.push(record);
    }
  });
  parser.on('error', (err) => (found.failure = err));
  const ended = new Promise<void>((resolve) => parser.on('end', resolve).on('error', () => resolve()));
  parser.write(firstText);

  return {
    encoding,
    delimiter,
    push(bytes) {
      if (singleByteNul) assertNoNul(bytes);
      parser.write(decode(bytes, false));
    },
    async finish() {
      const rest = decode(Buffer.alloc(0), true);
      if (rest) parser.write(rest);
      parser.end();
      await ended;
      if (found.failure) throw new UnreadableFileError(`The file could not be read as CSV: ${found.failure.message}`, 'fileNotCsv');
      if (!found.headers || found.headers.every((h) => h === '')) throw new UnreadableFileError('The file is empty.', 'fileEmpty');
      if (found.rowCount === 0) throw new UnreadableFileError('The file has a header row but no data rows.', 'fileNoRows');
      return { headers: found.headers, preview: found.preview, rowCount: found.rowCount };
    },
  };
}
