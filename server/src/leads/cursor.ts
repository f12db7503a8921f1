import { z } from 'zod';
import type { LeadSort } from '@optarget/shared';

/** Position after the last row of a page: the sort it belongs to, that row's sort value and its id. */
export type LeadCursor = { s: LeadSort; v: string | number | null; id: string };

const CursorShape = z.object({ s: z.string(), v: z.union([z.string(), z.number(), z.null()]), id: z.uuid() });

export const encodeLeadCursor = (c: LeadCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeLeadCursor(raw: string): LeadCursor | null {
  try {
    const parsed = CursorShape.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? (parsed.data as LeadCursor) : null;
  } catch {
    return null;
  }
}
