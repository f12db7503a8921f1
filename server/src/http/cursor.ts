import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { isRealDate, Uuid } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';

/**
 * Keyset paging: a page ends at a position (the sort keys of its last row) that the next request
 * sends back as an opaque cursor, base64url JSON of the position. Each list declares its position's
 * shape; a cursor coming back is validated with it, so a damaged or forged one is a 400 naming
 * `cursor` and never reaches the database.
 */
export type KeysetCursor<Position> = {
  encode(position: Position): string;
  /** The position of a cursor query parameter; none for the first page. */
  read(raw: string | undefined): Position | undefined;
};

export const invalidCursor = () =>
  new AppError('VALIDATION_FAILED', 'cursor: is not a page cursor of this list; start again from the first page', {
    fields: [
      { field: 'querystring.cursor', message: 'is not a page cursor of this list; start again from the first page', rule: 'cursor' },
    ],
  });

export function keysetCursor<S extends z.ZodType>(shape: S): KeysetCursor<z.output<S>> {
  return {
    encode: (position) => Buffer.from(JSON.stringify(position)).toString('base64url'),
    read(raw) {
      if (!raw) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
      } catch {
        throw invalidCursor();
      }
      const parsed = shape.safeParse(json);
      if (!parsed.success) throw invalidCursor();
      return parsed.data;
    },
  };
}

/**
 * A row's time as UTC text with microseconds, the form positions keep it in: a JS Date keeps only
 * milliseconds, and rows created within the same millisecond would be skipped or repeated.
 */
export const exactTime = (column: AnyColumn | SQL) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A time as exactTime writes it; one that cannot exist (`9999-99-99T99:…`) is refused before PostgreSQL would fail on it. */
export const ExactTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
  .refine(isRealDate);

/** The position in a list ordered by a time and an id: members, invites, jobs, job logs, the audit log. */
export const TimePosition = z.object({ at: ExactTime, id: Uuid });
export type TimePosition = z.infer<typeof TimePosition>;
export const timeCursor = keysetCursor(TimePosition);

/** Rows strictly after (ascending) or before (descending) the position in (time, id) order. */
export function afterTime(position: TimePosition | undefined, time: AnyColumn, id: AnyColumn, direction: 'asc' | 'desc'): SQL | undefined {
  if (!position) return undefined;
  return direction === 'asc'
    ? sql`(${time}, ${id}) > (${position.at}::timestamptz, ${position.id}::uuid)`
    : sql`(${time}, ${id}) < (${position.at}::timestamptz, ${position.id}::uuid)`;
}

/** Rows after the `cursor` query parameter of a list in (time, id) order. */
export const afterTimeCursor = (raw: string | undefined, time: AnyColumn, id: AnyColumn, direction: 'asc' | 'desc') =>
  afterTime(timeCursor.read(raw), time, id, direction);

/** Cuts the extra row fetched to learn whether another page exists, and makes the cursor from the last row kept. */
export function toPage<Row extends TimePosition, Item>(rows: Row[], limit: number, toItem: (row: Row) => Item) {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: kept.map(toItem), nextCursor: rows.length > limit && last ? timeCursor.encode({ at: last.at, id: last.id }) : null };
}
