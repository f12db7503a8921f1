import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { importUploadChunks, importUploads, leads } from '../db/schema/index.js';
import type { ImportLeadsResult } from '@optarget/shared';
import type { Client, Reply, TestApp } from '../test/harness.js';
import { emptyImportResult } from './job.js';

/** Test helpers for import tests. */

/** Sends `content` as the one file of a multipart upload, as the wizard's file input does. */
export async function uploadCsv(
  t: TestApp,
  client: Client,
  tenantId: string,
  content: Buffer | string,
  fileName = 'leads.csv',
): Promise<Reply> {
  const boundary = `----optarget${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`),
    typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenantId}/imports`,
    payload,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      origin: 'http://localhost:3000',
      'x-forwarded-for': client.ip,
      // The harness client keeps its session cookies privately; a multipart body needs this raw request.
      cookie: [...client['cookies']].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
  let body: unknown = res.body;
  try {
    body = JSON.parse(res.body);
  } catch {
    /* not JSON */
  }
  return { status: res.statusCode, body, headers: res.headers as Reply['headers'], text: res.body, raw: res.rawPayload };
}

/** Polls the job until it ends (the worker runs in the test app). */
export async function waitForJob(client: Client, tenantId: string, jobId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.get(`/api/v1/tenants/${tenantId}/jobs/${jobId}`);
    if (res.status !== 200) throw new Error(`job read failed: ${res.status} ${res.text}`);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An import's whole result: the given counts, zero for the rest. */
export const importResult = (counts: Partial<ImportLeadsResult>): ImportLeadsResult => ({ ...emptyImportResult(), ...counts });

export async function storedUploadsOf(t: TestApp, tenantId: string) {
  const [u] = await t.database.db.select({ n: count() }).from(importUploads).where(eq(importUploads.tenantId, tenantId));
  const [c] = await t.database.db.select({ n: count() }).from(importUploadChunks).where(eq(importUploadChunks.tenantId, tenantId));
  return { uploads: u.n, chunks: c.n };
}

export async function leadsOf(t: TestApp, tenantId: string) {
  return t.database.db.select().from(leads).where(eq(leads.tenantId, tenantId));
}

/** Windows-1256 bytes for the Arabic letters these tests use (the encoder Node lacks). */
const cp1256: Record<string, number> = {
  ا: 0xc7,
  ب: 0xc8,
  ت: 0xca,
  ر: 0xd1,
  ز: 0xd2,
  س: 0xd3,
  ش: 0xd4,
  ة: 0xc9,
  ك: 0xdf,
  ل: 0xe1,
  م: 0xe3,
  ن: 0xe4,
  ه: 0xe5,
  و: 0xe6,
  ي: 0xed,
  ف: 0xdd,
  ع: 0xda,
  د: 0xcf,
  ح: 0xcd,
  ق: 0xde,
  ط: 0xd8,
  ج: 0xcc,
  خ: 0xce,
  ص: 0xd5,
  ى: 0xec,
  ض: 0xd6,
};
export function encodeWindows1256(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      if (ch.charCodeAt(0) < 0x80) return ch.charCodeAt(0);
      const b = cp1256[ch];
      if (b === undefined) throw new Error(`no Windows-1256 byte for ${ch} in the test table`);
      return b;
    }),
  );
}
