import { z } from 'zod';

/** Position after the last entry of a page: its exact `created_at` (microseconds, UTC) and id. */
export type AuditCursor = { t: string; id: string };

const PgUtcTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const CursorShape = z.object({ t: z.string().regex(PgUtcTime), id: z.uuid() });

export const encodeAuditCursor = (c: AuditCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeAuditCursor(raw: string): AuditCursor | null {
  try {
    const parsed = CursorShape.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success && !Number.isNaN(Date.parse(parsed.data.t)) ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The `cursor` query parameter: opaque to clients, decoded during validation so a bad one is a 400 naming `cursor`. */
export const AuditCursorParam = z
  .string()
  .max(500)
  .transform((raw, ctx) => {
    const cursor = decodeAuditCursor(raw);
    if (!cursor) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid page cursor; start again from the first page' });
      return z.NEVER;
    }
    return cursor;
  });
