import pg from 'pg';
import type { BenchClient } from './http-client.js';
import { captureStatements, leadPageStatement, type CapturedStatement } from './capture.js';
import { runHttpLoad } from './http-load.js';
import { combineSamples, sampleLoad, type LoadPlan, type LoadSamples } from './load.js';
import type { RunStats } from './stats.js';

export type QueryShape = { name: string; query: Record<string, string> };

/** The six typical views of the lead table, on the big tenant. The deep page is added after walking the cursor chain. */
export function typicalQueries(listId: string): QueryShape[] {
  return [
    { name: 'default sort (score)', query: {} },
    { name: 'text search q=coffee', query: { q: 'coffee' } },
    { name: 'status + score range', query: { status: 'CONTACTED,QUALIFIED', scoreMin: '60', scoreMax: '90' } },
    { name: 'city + has website', query: { city: 'Dubai', hasWebsite: 'true' } },
    { name: 'list members (50k list)', query: { listId } },
  ];
}

export const DEEP_PAGES = 50;

/** Follows `nextCursor` from the first page for DEEP_PAGES pages and returns the query of the page after them. */
export async function deepPageQuery(client: BenchClient, leadsPath: string): Promise<QueryShape> {
  let cursor: string | null = null;
  for (let page = 1; page <= DEEP_PAGES; page++) {
    const body: { nextCursor: string | null } = await client.expect(
      200,
      'GET',
      `${leadsPath}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (!body.nextCursor) throw new Error(`the cursor chain ended at page ${page}`);
    cursor = body.nextCursor;
  }
  return { name: `page ${DEEP_PAGES + 1} via cursor`, query: { cursor: cursor! } };
}

export type QueryResult = {
  name: string;
  path: string;
  rowsOnPage: number;
  /** Queries the app sent PostgreSQL for one request (job-queue polling left out). */
  roundTripsPerRequest: number;
  /** Those queries, first 300 characters each. */
  requestStatements: string[];
  sql: string;
  values: unknown[];
  http: RunStats;
  raw: RunStats;
  /** HTTP requests/s divided by raw-SQL requests/s. */
  throughputRatio: number;
  planAsApp: string;
  planRaw: string;
};

/** EXPLAIN ANALYZE of a captured statement, either as the app runs it (tenant setting + role, so RLS applies) or as plain superuser SQL. */
async function explain(pool: pg.Pool, s: CapturedStatement, tenantId: string, asApp: boolean): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    if (asApp) {
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      await client.query('set local role optarget_app');
    }
    const { rows } = await client.query({ text: `explain (analyze, buffers) ${s.config.text}`, values: s.values });
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

const ROUNDS = 3;

/**
 * One query shape: the exact statement the app sends (captured from one real request), then load over
 * HTTP and the same statement through the raw pool, both at the plan's concurrency, in ROUNDS
 * rounds that share the plan's measured time (the first of each after the full warm-up, the others
 * after 1 s), the side that goes first alternating from round to round. The raw baseline runs the
 * SELECT alone: no session lookup, no role lookup or settings.
 */
export async function measureQuery(
  shape: QueryShape,
  opts: { client: BenchClient; baseUrl: string; leadsPath: string; tenantId: string; rawPool: pg.Pool; plan: LoadPlan },
): Promise<QueryResult> {
  const search = new URLSearchParams(shape.query).toString();
  const path = `${opts.leadsPath}${search ? `?${search}` : ''}`;
  let rowsOnPage = 0;
  const statements = await captureStatements(async () => {
    const body: { items: unknown[] } = await opts.client.expect(200, 'GET', path);
    rowsOnPage = body.items.length;
  });
  if (rowsOnPage === 0) throw new Error(`${shape.name}: the first request returned no rows; the seed does not fit the query`);
  const statement = leadPageStatement(statements);
  const appStatements = statements.filter((s) => !/pgboss/i.test(s.config.text));
  const rawConfig = { text: statement.config.text, rowMode: statement.config.rowMode, types: statement.config.types } as pg.QueryConfig;

  const rawQuery = async () => void (await opts.rawPool.query(rawConfig, statement.values));
  const httpRuns: LoadSamples[] = [];
  const rawRuns: LoadSamples[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const plan: LoadPlan = {
      ...opts.plan,
      warmupMs: round === 0 ? opts.plan.warmupMs : 1_000,
      durationMs: opts.plan.durationMs / ROUNDS,
      maxRequests: Math.ceil(opts.plan.maxRequests / ROUNDS),
    };
    const runHttp = async () => void httpRuns.push(await runHttpLoad({ baseUrl: opts.baseUrl, path, cookie: opts.client.cookie, plan }));
    const runRaw = async () => void rawRuns.push(await sampleLoad(rawQuery, plan));
    // HTTP, raw | raw, HTTP | HTTP, raw: a drift that fades during the measurement (the seed's
    // writes still reaching the disk, say) falls on both sides alike instead of always on the first.
    for (const run of round % 2 === 0 ? [runHttp, runRaw] : [runRaw, runHttp]) await run();
  }
  const http = combineSamples(httpRuns);
  const raw = combineSamples(rawRuns);
  return {
    name: shape.name,
    path,
    rowsOnPage,
    roundTripsPerRequest: appStatements.length,
    requestStatements: appStatements.map((s) => s.config.text.slice(0, 300)),
    sql: statement.config.text,
    values: statement.values,
    http,
    raw,
    throughputRatio: http.perSecond / raw.perSecond,
    planAsApp: await explain(opts.rawPool, statement, opts.tenantId, true),
    planRaw: await explain(opts.rawPool, statement, opts.tenantId, false),
  };
}
