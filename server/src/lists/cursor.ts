import { sql, type SQL } from 'drizzle-orm';
import { lists } from '../db/schema/index.js';
import { AppError } from '../errors/catalogue.js';

/** Where a page of lists ended: the last list's name key (as the database lower-cased it) and id. */
type Position = { key: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The sort key of lists: names in any letter case sort together, and the unique index on it serves the order. */
export const listNameKey = sql<string>`lower(${lists.name})`;

export const encodeListCursor = (position: Position) => Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');

function decodeListCursor(cursor: string): Position {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof key === 'string' && typeof id === 'string' && UUID.test(id)) return { key, id };
  } catch {
    // Falls through to the same answer as a well-formed but foreign cursor.
  }
  throw new AppError('VALIDATION_FAILED', 'querystring.cursor: is not a cursor returned by this list', {
    fields: [{ field: 'querystring.cursor', message: 'is not a cursor returned by this list' }],
  });
}

/** Lists strictly after the cursor in (name key, id) order; the id breaks ties only in theory, as name keys are unique per tenant. */
export function afterListCursor(cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const { key, id } = decodeListCursor(cursor);
  return sql`(${listNameKey}, ${lists.id}) > (${key}, ${id}::uuid)`;
}
