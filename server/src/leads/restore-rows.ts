import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/transactions.js';

/** A row as PostgreSQL's `to_jsonb` gives it: column names as keys. */
export type JsonRow = Record<string, unknown>;

/** Column → the table it references by id. */
type Refs = Record<string, string>;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const column = (name: string) => sql`r.${sql.identifier(name)}`;

/** Runs a statement and gives its rows, whichever driver (node-postgres or PGlite) answers. */
export async function rowsOf<T>(tx: Tx, query: SQL): Promise<T[]> {
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Puts rows saved with `to_jsonb` back into their table, skipping any that already exist.
 * `required` references must still exist (else the row is left out); a `nullable` reference whose
 * row is gone is written as null, as its foreign key would have done. Returns how many went in.
 */
export async function insertRows(
  tx: Tx,
  table: string,
  rows: JsonRow[],
  opts: { skip?: string[]; required?: Refs; nullable?: Refs } = {},
): Promise<number> {
  if (!rows.length) return 0;
  const columns = Object.keys(rows[0]).filter((c) => !opts.skip?.includes(c));
  const values = columns.map((c) => {
    const ref = opts.nullable?.[c];
    return ref ? sql`(select g.id from ${sql.identifier(ref)} g where g.id = ${column(c)})` : column(c);
  });
  const guards = Object.entries(opts.required ?? {}).map(
    ([c, ref]) => sql`exists (select 1 from ${sql.identifier(ref)} g where g.id = ${column(c)})`,
  );
  const inserted = await rowsOf<{ n: number }>(
    tx,
    sql`with added as (
      insert into ${sql.identifier(table)} (${sql.join(
        columns.map((c) => sql.identifier(c)),
        sql`, `,
      )})
      select ${sql.join(values, sql`, `)} from jsonb_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(rows)}::jsonb) r
      ${guards.length ? sql`where ${sql.join(guards, sql` and `)}` : sql``}
      on conflict do nothing returning 1)
    select count(*)::int as n from added`,
  );
  return Number(inserted[0]?.n ?? 0);
}

/**
 * Sets a row's columns back to `before` where a change made them `after` and nothing changed them
 * since (a value edited after the change stays). Returns the columns set back.
 */
export async function restoreColumns(
  tx: Tx,
  table: string,
  where: SQL,
  before: JsonRow,
  after: JsonRow,
  skip: string[],
): Promise<string[]> {
  const [current] = await rowsOf<{ row: JsonRow }>(tx, sql`select to_jsonb(x) as row from ${sql.identifier(table)} x where ${where}`);
  if (!current) return [];
  const columns = Object.keys(before).filter(
    (c) => !skip.includes(c) && c in current.row && !same(before[c], after[c]) && same(current.row[c], after[c]),
  );
  if (!columns.length) return [];
  const patch = Object.fromEntries(columns.map((c) => [c, before[c]]));
  await tx.execute(sql`
    update ${sql.identifier(table)} x set ${sql.join(
      columns.map((c) => sql`${sql.identifier(c)} = ${column(c)}`),
      sql`, `,
    )}
    from jsonb_populate_record(null::${sql.identifier(table)}, ${JSON.stringify(patch)}::jsonb) r
    where ${where}`);
  return columns;
}
