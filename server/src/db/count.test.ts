import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestApp } from '../test/harness.js';
import { countRows, EXACT_COUNT_LIMIT, firstPageTotal } from './count.js';

const t = await startTestApp();
const db = t.database.db;
const series = (n: number) => sql`select 1 from generate_series(1, ${n}::int)`;

describe('counting the rows a table shows', () => {
  it('counts exactly up to the limit', async () => {
    await db.transaction(async (tx) => {
      expect(await countRows(tx, series(0))).toEqual({ count: 0, exact: true });
      expect(await countRows(tx, series(EXACT_COUNT_LIMIT))).toEqual({ count: EXACT_COUNT_LIMIT, exact: true });
    });
  });

  it("beyond the limit answers the planner's estimate, marked inexact and never below what was counted", async () => {
    await db.transaction(async (tx) => {
      const total = await countRows(tx, series(EXACT_COUNT_LIMIT + 5_000));
      expect(total.exact).toBe(false);
      expect(total.count).toBeGreaterThan(EXACT_COUNT_LIMIT);
    });
  });

  it('counts for the first page only', async () => {
    await db.transaction(async (tx) => {
      expect(await firstPageTotal(tx, undefined, () => series(3))).toEqual({ count: 3, exact: true });
      expect(await firstPageTotal(tx, 'a-cursor', () => series(3))).toBeNull();
    });
  });
});
