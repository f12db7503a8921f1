import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '../errors/catalogue.js';

/** Where a page ended: the row's timestamp (as exact microsecond text) and id, the keys the list is ordered by. */
type Position = { at: string; id: string };

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The timestamp as UTC text with microseconds. A JS Date keeps only milliseconds, and rows created
 * within the same millisecond would otherwise be skipped or repeated across pages.
 */
export const exactTime = (column: PgColumn) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export const encodeCursor = (position: Position) => Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');

export function decodeCursor(cursor: string): Position {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && ISO_MICROS.test(at) && typeof id === 'string' && UUID.test(id)) return { at, id };
  } catch {
    // Falls through to the same answer as a well-formed but foreign cursor.
  }
  throw new AppError('VALIDATION_FAILED', 'querystring.cursor: is not a cursor returned by this list', {
    fields: [{ field: 'querystring.cursor', message: 'is not a cursor returned by this list' }],
  });
}

/** Rows strictly after (ascending) or before (descending) the cursor in (time, id) order. */
export function afterCursor(cursor: string | undefined, time: PgColumn, id: PgColumn, direction: 'asc' | 'desc'): SQL | undefined {
  if (!cursor) return undefined;
  const { at, id: lastId } = decodeCursor(cursor);
  return direction === 'asc'
    ? sql`(${time}, ${id}) > (${at}::timestamptz, ${lastId}::uuid)`
    : sql`(${time}, ${id}) < (${at}::timestamptz, ${lastId}::uuid)`;
}

/** Cuts the extra row fetched to learn whether another page exists, and makes the cursor from the last row kept. */
export function toPage<Row extends { at: string; id: string }, Item>(rows: Row[], limit: number, toItem: (row: Row) => Item) {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: kept.map(toItem), nextCursor: rows.length > limit && last ? encodeCursor({ at: last.at, id: last.id }) : null };
}
