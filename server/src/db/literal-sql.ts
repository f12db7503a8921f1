import { Column, getTableName, Param, SQL, StringChunk, Table } from 'drizzle-orm';
import pg from 'pg';

/**
 * A drizzle statement as one text with its values written in as quoted literals, for a
 * multi-statement query, which takes no parameters (see selectAsMember).
 *
 * It understands the pieces the lead table's statements are made of: text, nested statements,
 * lists of values, columns, tables and values (bound to a column or not). It refuses anything else
 * rather than guess. Writing the literals while walking the statement is cheaper than replacing each `$n`
 * afterwards (docs/decisions.md). Values go through their column's encoder, as drizzle sends them.
 */
export function toLiteralSql(query: SQL): string {
  const out: string[] = [];
  writeChunk(query, out);
  return out.join('');
}

function writeChunk(chunk: unknown, out: string[]): void {
  if (chunk instanceof StringChunk) {
    for (const piece of chunk.value) out.push(piece);
  } else if (chunk instanceof SQL) {
    for (const inner of chunk.queryChunks) writeChunk(inner, out);
  } else if (chunk instanceof Column) {
    out.push(columnName(chunk));
  } else if (chunk instanceof Param) {
    const value: unknown = chunk.value === null ? null : chunk.encoder.mapToDriverValue(chunk.value);
    if (value instanceof SQL) writeChunk(value, out);
    else out.push(literal(value));
  } else if (Array.isArray(chunk)) {
    out.push('(');
    chunk.forEach((item, i) => {
      if (i > 0) out.push(', ');
      writeChunk(item, out);
    });
    out.push(')');
  } else if (chunk instanceof Table) {
    out.push(tableName(chunk));
  } else if (chunk === undefined) {
    // drizzle writes nothing for a missing piece, as here.
  } else if (chunk === null || typeof chunk !== 'object') {
    out.push(literal(chunk));
  } else {
    throw new Error(`no literal SQL for a statement piece of type ${chunk.constructor?.name ?? typeof chunk}`);
  }
}

// drizzle keeps a table's schema and alias mark under these symbols (its Table.Symbol, not in its types).
const SCHEMA = Symbol.for('drizzle:Schema');
const IS_ALIAS = Symbol.for('drizzle:IsAlias');

/** `"table"` or `"schema"."table"`, as drizzle writes a table (an alias, which it writes otherwise, is refused). */
function tableName(table: Table<any>): string {
  const symbols = table as unknown as Record<symbol, string | boolean | undefined>;
  if (symbols[IS_ALIAS]) throw new Error(`no literal SQL for the table alias ${getTableName(table)}`);
  const schema = symbols[SCHEMA];
  return schema === undefined ? `"${getTableName(table)}"` : `"${schema}"."${getTableName(table)}"`;
}

const columnNames = new WeakMap<Column<any, any, any>, string>();

/** `"table"."column"`, as drizzle writes a column in a statement; made once per column. */
function columnName(column: Column<any, any, any>): string {
  let name = columnNames.get(column);
  if (name === undefined) {
    name = `${tableName(column.table)}."${column.name}"`;
    columnNames.set(column, name);
  }
  return name;
}

/**
 * A value as a quoted literal — what PostgreSQL makes of an untyped parameter too. pg.escapeLiteral
 * doubles quotes and, when there are backslashes, writes an E'' string with them doubled, so no
 * value can end its literal whatever the server's standard_conforming_strings. Only strings,
 * numbers, booleans and null have a literal form.
 */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return `'${String(value)}'`;
  throw new Error(`no literal form for a value of type ${typeof value}`);
}
