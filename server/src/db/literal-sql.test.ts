import { describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { alias, PgDialect } from 'drizzle-orm/pg-core';
import { leadSorts, type LeadFilter } from '@optarget/shared';
import { leadConditions, leadPageQuery } from '../leads/query.js';
import { leads } from './schema/index.js';
import { literal, toLiteralSql } from './literal-sql.js';
import { startTestApp } from '../test/harness.js';

const t = await startTestApp();
const dialect = new PgDialect();

/** drizzle's own text for the statement, each `$n` replaced by its value's literal. */
function asDrizzleWritesIt(query: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return text.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

const tenantId = '6f1c7a52-52a1-4c8e-9a57-3b0a8f3c1d2e';
const someone = '0b9d6c1e-7f3a-4d8b-a2c5-9e8f7d6c5b4a';
const filters: LeadFilter[] = [
  {},
  { q: "O'Brien 50%_off \\ مطعم" },
  { status: ['CONTACTED', 'QUALIFIED'], scoreMin: 60, scoreMax: 90 },
  { category: 'Dentist', city: 'Riyadh', country: 'SA', source: ['osm', 'csv'] },
  { hasWebsite: true, hasPhone: false, hasEmail: true },
  { tag: 'vip', listId: someone, ownerUserId: someone },
  { ownerUserId: 'none', createdFrom: '2026-01-01', createdTo: '2026-02-01' },
];

describe('toLiteralSql: a statement with its values written in, for a query that takes no parameters', () => {
  it('writes every lead table statement exactly as drizzle does, with each value as a quoted literal', () => {
    for (const filter of filters) {
      for (const sort of leadSorts) {
        // Rating is the nullable sort: its cursor may carry no value.
        for (const cursor of [undefined, { s: sort, v: sort.endsWith('rating') ? null : 42, id: someone }]) {
          const query = leadPageQuery(leadConditions(tenantId, filter), sort, 51, cursor);
          expect(toLiteralSql(query)).toBe(asDrizzleWritesIt(query));
        }
      }
    }
  });

  it('keeps every value, however it is quoted, a value: the database reads back exactly what was given', async () => {
    const values = ["O'Brien", 'back\\slash', "\\'; drop table leads; --", 'line\nbreak', 'مطعم الرياض', '$1', '"quoted"', ''];
    for (const value of values) {
      const { rows } = await t.database.executeSql(toLiteralSql(sql`select ${value}::text as v`));
      expect(rows[0].v).toBe(value);
    }
    const { rows } = await t.database.executeSql(toLiteralSql(sql`select ${7}::int as n, ${true}::boolean as b, ${null}::text as z`));
    expect(rows[0]).toEqual({ n: 7, b: true, z: null });
  });

  it('refuses what it cannot write safely instead of guessing', () => {
    expect(() => toLiteralSql(sql`select ${{ a: 1 }}`)).toThrow(/no literal SQL for a statement piece of type Object/);
    expect(() => toLiteralSql(sql`select ${Number.NaN}`)).toThrow(/no literal form/);
    expect(() => toLiteralSql(sql`select ${sql.placeholder('p')}`)).toThrow(/no literal SQL for a statement piece of type Placeholder/);
    expect(() => toLiteralSql(sql`select 1 from ${alias(leads, 'l')}`)).toThrow(/table alias l/);
  });

  it('writes lists of values in parentheses, and columns and tables by their quoted names', () => {
    expect(toLiteralSql(sql`select ${leads.name} from ${leads} where ${leads.score} in ${[1, 2]}`)).toBe(
      `select "leads"."name" from "leads" where "leads"."score" in ('1', '2')`,
    );
  });
});
