import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { LeadSort, Text, Uuid, type AttentionFlag, type Lead, type LeadFilter } from '@optarget/shared';
import { PgDialect } from 'drizzle-orm/pg-core';
import { jobLeads, leadDuplicates, leadLists, leads, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { JsonText } from '../http/serializer.js';
import { ExactTime, exactTime, invalidCursor, keysetCursor } from '../http/cursor.js';
import { leadDtoKeys, toLeadDto, type LeadDtoRow } from './dto.js';
import { outreachCondition } from './outreach-filter.js';
import { searchTerm } from './search-term.js';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const sameText = (column: AnyColumn, value: string) => sql`lower(${column}) = lower(${value})`;
const presence = (column: AnyColumn, wanted: boolean | undefined) =>
  wanted === undefined ? undefined : wanted ? isNotNull(column) : isNull(column);

const attentionColumns = {
  phone: leads.phoneRaw,
  email: leads.emailRaw,
  website: leads.websiteRaw,
} satisfies Record<Exclude<AttentionFlag, 'duplicate'>, AnyColumn>;

/** Leads that may be the same business as another (lead-records.ts). */
const hasDuplicates = (tenantId: string) =>
  sql`exists (select 1 from ${leadDuplicates} where ${leadDuplicates.leadId} = ${leads.id} and ${leadDuplicates.tenantId} = ${tenantId})`;

/** The WHERE clause for one tenant's leads matching the filter (used by the table, bulk actions and exports alike). */
export function leadConditions(tenantId: string, f: LeadFilter): SQL {
  const conditions: (SQL | undefined)[] = [eq(leads.tenantId, tenantId)];
  if (f.q) conditions.push(sql`${leads.searchText} ilike ${`%${escapeLike(searchTerm(f.q))}%`}`);
  if (f.status?.length) conditions.push(inArray(leads.status, f.status));
  if (f.scoreMin !== undefined) conditions.push(gte(leads.score, f.scoreMin));
  if (f.scoreMax !== undefined) conditions.push(lte(leads.score, f.scoreMax));
  if (f.category) conditions.push(sameText(leads.category, f.category));
  if (f.city) conditions.push(sameText(leads.city, f.city));
  if (f.country) conditions.push(sameText(leads.country, f.country));
  if (f.source?.length) conditions.push(inArray(leads.source, f.source));
  conditions.push(presence(leads.website, f.hasWebsite), presence(leads.phone, f.hasPhone), presence(leads.email, f.hasEmail));
  if (f.attention?.length)
    conditions.push(or(...f.attention.map((flag) => (flag === 'duplicate' ? hasDuplicates(tenantId) : isNotNull(attentionColumns[flag])))));
  if (f.tag) conditions.push(sql`${leads.tags} @> array[${f.tag}]::text[]`);
  if (f.listId) {
    conditions.push(
      sql`exists (select 1 from ${leadLists} where ${leadLists.listId} = ${f.listId} and ${leadLists.leadId} = ${leads.id} and ${leadLists.tenantId} = ${tenantId})`,
    );
  }
  if (f.jobId) {
    const outcome = f.jobOutcome ? sql` and ${jobLeads.outcome} = ${f.jobOutcome}` : sql``;
    conditions.push(
      sql`exists (select 1 from ${jobLeads} where ${jobLeads.jobId} = ${f.jobId} and ${jobLeads.leadId} = ${leads.id} and ${jobLeads.tenantId} = ${tenantId}${outcome})`,
    );
  }
  if (f.ownerUserId) conditions.push(f.ownerUserId === 'none' ? isNull(leads.ownerUserId) : eq(leads.ownerUserId, f.ownerUserId));
  if (f.createdFrom) conditions.push(sql`${leads.createdAt} >= ${f.createdFrom}::timestamptz`);
  if (f.createdTo) conditions.push(sql`${leads.createdAt} < ${f.createdTo}::timestamptz`);
  if (f.outreach) conditions.push(outreachCondition(tenantId, f.outreach, f.outreachFrom));
  return and(...conditions)!;
}

/** What a cursor's value may be for each column type, checked before it is cast: a value of another type is a 400, never a database error. */
const sortValues = {
  int: z.number().int().min(-2147483648).max(2147483647),
  real: z.number().min(-3.4e38).max(3.4e38),
  text: Text,
  timestamptz: ExactTime,
};

type SortSpec = {
  column: AnyColumn;
  /** Value as the cursor stores it; times at full microsecond precision (a JS Date would round). */
  value: SQL;
  cast: keyof typeof sortValues;
  dir: 'asc' | 'desc';
  /** The id tie-breaker runs in the direction the index (scanned forward or backward) delivers it. */
  idDir: 'asc' | 'desc';
  nullable: boolean;
  /** Spelled out to match the index exactly: drizzle creates DESC indexes as NULLS LAST, and the planner matches null order too. */
  nulls: 'first' | 'last';
};

const sorts: Record<LeadSort, SortSpec> = {
  '-score': { column: leads.score, value: sql`${leads.score}`, cast: 'int', dir: 'desc', idDir: 'asc', nullable: false, nulls: 'last' },
  score: { column: leads.score, value: sql`${leads.score}`, cast: 'int', dir: 'asc', idDir: 'desc', nullable: false, nulls: 'first' },
  name: { column: leads.name, value: sql`${leads.name}`, cast: 'text', dir: 'asc', idDir: 'asc', nullable: false, nulls: 'last' },
  '-name': { column: leads.name, value: sql`${leads.name}`, cast: 'text', dir: 'desc', idDir: 'desc', nullable: false, nulls: 'first' },
  '-createdAt': {
    column: leads.createdAt,
    value: exactTime(leads.createdAt),
    cast: 'timestamptz',
    dir: 'desc',
    idDir: 'asc',
    nullable: false,
    nulls: 'last',
  },
  createdAt: {
    column: leads.createdAt,
    value: exactTime(leads.createdAt),
    cast: 'timestamptz',
    dir: 'asc',
    idDir: 'desc',
    nullable: false,
    nulls: 'first',
  },
  '-updatedAt': {
    column: leads.updatedAt,
    value: exactTime(leads.updatedAt),
    cast: 'timestamptz',
    dir: 'desc',
    idDir: 'asc',
    nullable: false,
    nulls: 'last',
  },
  updatedAt: {
    column: leads.updatedAt,
    value: exactTime(leads.updatedAt),
    cast: 'timestamptz',
    dir: 'asc',
    idDir: 'desc',
    nullable: false,
    nulls: 'first',
  },
  // Unrated leads come last in both directions: nobody sorting by rating wants a first page of blanks.
  '-rating': { column: leads.rating, value: sql`${leads.rating}`, cast: 'real', dir: 'desc', idDir: 'asc', nullable: true, nulls: 'last' },
  rating: { column: leads.rating, value: sql`${leads.rating}`, cast: 'real', dir: 'asc', idDir: 'asc', nullable: true, nulls: 'last' },
};

function orderBy(spec: SortSpec): SQL[] {
  const main = spec.dir === 'desc' ? desc(spec.column) : asc(spec.column);
  const id = spec.idDir === 'desc' ? desc(leads.id) : asc(leads.id);
  return [sql`${main} nulls ${sql.raw(spec.nulls)}`, id];
}

/**
 * Rows strictly after the cursor in the sort order. For non-null columns the leading `<=`/`>=`
 * bound lets PostgreSQL start the index scan at the cursor instead of filtering from the top.
 */
function afterCursor(spec: SortSpec, cursor: LeadCursor): SQL {
  const op = sql.raw(spec.dir === 'desc' ? '<' : '>');
  const opOrEqual = sql.raw(spec.dir === 'desc' ? '<=' : '>=');
  const idOp = sql.raw(spec.idDir === 'desc' ? '<' : '>');
  const value = sql`${cursor.v}::${sql.raw(spec.cast)}`;
  const idAfter = sql`${leads.id} ${idOp} ${cursor.id}::uuid`;
  if (spec.nullable) {
    if (cursor.v === null) return sql`(${spec.column} is null and ${idAfter})`;
    return sql`(${spec.column} ${op} ${value} or (${spec.column} = ${value} and ${idAfter}) or ${spec.column} is null)`;
  }
  return sql`(${spec.column} ${opOrEqual} ${value} and (${spec.column} ${op} ${value} or ${idAfter}))`;
}

/** Position after the last row of a page: the sort it belongs to, that row's sort value and its id. */
export type LeadCursor = { s: LeadSort; v: string | number | null; id: string };

const leadCursor = keysetCursor(
  z
    .object({ s: LeadSort, v: z.union([z.number(), z.string(), z.null()]), id: Uuid })
    .refine(({ s, v }) => (v === null ? sorts[s].nullable : sortValues[sorts[s].cast].safeParse(v).success)),
);

/** Reads the `cursor` parameter of a list request; a cursor from another sort or a damaged one is a 400 naming it. */
export function readCursor(raw: string | undefined, sort: LeadSort): LeadCursor | undefined {
  const cursor = leadCursor.read(raw);
  if (cursor && cursor.s !== sort) throw invalidCursor();
  return cursor;
}

export type LeadWithCursor = { lead: Lead; cursor: LeadCursor };

/**
 * The answer's columns under the property names of a lead row, written once. A page is read with
 * them as plain rows: drizzle's generic row mapping took an eighth of a list request's JavaScript.
 */
const pageColumns = sql.raw(
  [
    ...leadDtoKeys.map((key) => `"leads"."${leads[key].name}" as "${key}"`),
    `(select count(*)::int from lead_duplicates d where d.lead_id = "leads"."id") as "possibleDuplicates"`,
  ].join(', '),
);

export type PageRow = LeadDtoRow & { ownerName: string | null; sortValue: string | number | null };

/** SQL without values as text, built once: each page request then spends building time only on its filter. */
const dialect = new PgDialect();
function asText(query: SQL): SQL {
  const built = dialect.sqlToQuery(query);
  if (built.params.length) throw new Error('only SQL without values can be kept as text');
  return sql.raw(built.sql);
}
const pageQueryParts = Object.fromEntries(
  Object.entries(sorts).map(([sort, spec]) => [
    sort,
    {
      head: asText(
        sql`select ${pageColumns}, ${users.name} as "ownerName", ${spec.value} as "sortValue" from ${leads} left join ${users} on ${users.id} = ${leads.ownerUserId} where `,
      ),
      order: asText(sql` order by ${sql.join(orderBy(spec), sql`, `)} limit `),
    },
  ]),
) as Record<LeadSort, { head: SQL; order: SQL }>;

/** The SELECT of one page of leads in the given sort, after `cursor` when given. */
export function leadPageQuery(where: SQL, sort: LeadSort, limit: number, cursor?: LeadCursor): SQL {
  const { head, order } = pageQueryParts[sort];
  return sql`${head}${cursor ? and(where, afterCursor(sorts[sort], cursor)) : where}${order}${limit}`;
}

/** The rows of leadPageQuery as leads with the position after each. */
export function toLeadsOnPage(rows: PageRow[], sort: LeadSort): LeadWithCursor[] {
  const textual = sorts[sort].cast === 'timestamptz' || sorts[sort].cast === 'text';
  return rows.map((row) => ({
    lead: toLeadDto(row, row.ownerName),
    cursor: { s: sort, v: row.sortValue === null ? null : textual ? String(row.sortValue) : Number(row.sortValue), id: row.id },
  }));
}

/** One page of leads in the given sort, after `cursor` when given. */
export async function findLeadPage(tx: Tx, where: SQL, sort: LeadSort, limit: number, cursor?: LeadCursor): Promise<LeadWithCursor[]> {
  const { rows } = await tx.execute<PageRow>(leadPageQuery(where, sort, limit, cursor));
  return toLeadsOnPage(rows, sort);
}

/**
 * The answer of a lead table request, from a page read with one row more than `limit` (that row
 * only tells whether another page exists), written as JSON here: the leads are plain objects with
 * exactly the schema's properties (toLeadDto), and JSON.stringify writes a page of them with a
 * fraction of the garbage of the compiled serializer's string pieces.
 */
export function leadPageAnswer(rows: LeadWithCursor[], limit: number): JsonText {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? leadCursor.encode(items[items.length - 1].cursor) : null;
  return new JsonText(JSON.stringify({ items: items.map((r) => r.lead), nextCursor }));
}
