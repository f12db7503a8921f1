import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startBenchApp, type RunningApp } from './app.js';
import { assertLoopback, recreateDatabase } from './database.js';
import { signUpOwner, type BenchClient } from './http-client.js';
import { runImportBenchmark, type ImportBenchmark, type ImportOwners } from './imports.js';
import { defaultPlan } from './load.js';
import { deepPageQuery, measureQuery, typicalQueries, type QueryResult } from './queries.js';
import { runJobsBenchmark } from './jobs.js';
import { runEmbeddedBenchmark } from './embedded.js';
import { runReportsBenchmark } from './reports.js';
import { checksTable, table, writeResults, type Check } from './report.js';
import { seedLeads, type ListSeed, type SeedTenant } from './seed.js';
import { runWhatsappBenchmark } from './whatsapp.js';
import { runCampaignBenchmark } from './whatsapp-campaign.js';

/**
 * `npm run bench` — the benchmarks on PostgreSQL, in three sections. `leads` (issue 3): seeds one
 * tenant with 1,000,000 leads and nine with 100,000, measures six list queries over HTTP against the
 * same SQL on a raw pool, a 100,000-row CSV import against COPY, and memory of a 200,000-row import.
 * `imports`: only the two import measurements, on a database with no seeded leads (minutes, not a
 * quarter of an hour); not run by default, since `leads` already includes them.
 * `jobs` (issue 4): enrichment throughput and peak memory against local sites, queue throughput with
 * one and two worker processes, time from job creation to the first progress event (see jobs.ts).
 * `embedded` (issue 13.11): the server on the embedded database (PGlite) importing 50,000 rows
 * while requests are timed; no request may wait 200 ms behind the import.
 * `reports` (issue 17): warm render latency of a lead report, resident memory across 2,000 reports
 * (flat because the typst child process is replaced), and a 100-lead list's reports through the API.
 * `whatsapp` (issue 18): signed webhook deliveries at concurrency 32, acknowledged per second, p99,
 * and every event applied exactly once despite redeliveries (see whatsapp.ts).
 * `campaigns` (issue 19): a campaign's send rate as the local Graph API sees it, at 20 and 80
 * messages/s, within 5 % and with no recipient sent twice (see whatsapp-campaign.ts).
 * Prints a table, writes bench/results/<timestamp>.json, and exits 0 whatever the figures (it is a measurement).
 *
 * BENCH_DATABASE_URL  the database to DROP and recreate (default postgres://postgres@127.0.0.1:5432/optarget_bench)
 * BENCH_ONLY          comma-separated sections to run: leads, jobs, imports, embedded, reports, whatsapp, campaigns (default all but imports)
 * BENCH_SCALE         fraction of the row counts, for a quick smoke run (default 1)
 * BENCH_LOAD_SECONDS  measured time per query, for HTTP and for raw SQL each, in three rounds (default 10; at most 60,000 requests)
 * BENCH_SITES         sites in the enrichment farm (default 200)
 * BENCH_QUEUE_JOBS    no-op jobs per queue throughput run (default 3000; the targets need at least that)
 * BENCH_JOBS_SKIP_ENRICHMENT  1: the `jobs` section leaves out the enrichment of the site farm (about 100 s), for the queue figures alone
 * BENCH_WEBHOOK_EVENTS signed WhatsApp deliveries posted to the webhook (default 10000)
 */
const url = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/optarget_bench';
const scale = Number(process.env.BENCH_SCALE || 1);
const plan = { ...defaultPlan, durationMs: Number(process.env.BENCH_LOAD_SECONDS || 10) * 1000 };
const rows = (n: number) => Math.max(100, Math.round(n * scale));

const BIG = rows(1_000_000);
const SMALL = rows(100_000);
const IMPORT_ROWS = rows(100_000);
const MEMORY_ROWS = rows(200_000);
const EMBEDDED_ROWS = rows(50_000);
const IMPORT_TIMEOUT_MS = 6 * 60_000;

const SECTIONS = ['leads', 'jobs', 'imports', 'embedded', 'reports', 'whatsapp', 'campaigns'] as const;
const only = (process.env.BENCH_ONLY || 'leads,jobs,embedded,reports,whatsapp,campaigns')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknownSection = only.find((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknownSection) throw new Error(`BENCH_ONLY names an unknown section "${unknownSection}"; use ${SECTIONS.join(', ')}`);

const log = (line: string) => console.log(line);
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

async function main() {
  assertLoopback(url);
  const started = new Date();
  log(
    `OpTarget benchmark (${only.join(', ')}) — ${os.cpus().length} CPUs, ${fmt(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`,
  );
  log(`Database ${url} (dropped and recreated)`);
  await recreateDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pgVersion = (await client.query('show server_version')).rows[0].server_version as string;
  await client.end();

  const checks: Check[] = [];
  const results: Record<string, unknown> = {};
  if (only.includes('leads')) {
    const leads = await runLeadsBenchmark();
    checks.push(...leads.checks);
    Object.assign(results, leads.results);
  }
  if (only.includes('imports')) {
    const imports = await runImportsOnly();
    checks.push(...imports.checks);
    Object.assign(results, imports.results);
  }
  if (only.includes('jobs')) {
    log('');
    log('Job engine (issue 4): API and workers as separate processes, default settings except CRAWLER_ALLOW_PRIVATE=true.');
    const jobs = await runJobsBenchmark(
      {
        databaseUrl: url,
        sites: Number(process.env.BENCH_SITES || 200),
        queueJobs: Number(process.env.BENCH_QUEUE_JOBS || 3000),
        firstEventRuns: 10,
        skipEnrichment: process.env.BENCH_JOBS_SKIP_ENRICHMENT === '1',
      },
      log,
    );
    checks.push(...jobs.checks);
    results.jobs = jobs.results;
  }
  if (only.includes('reports')) {
    log('');
    log('Reports (issue 17): typst in a child process replaced after a number of documents or above a memory bound.');
    const reports = await runReportsBenchmark(url, log);
    checks.push(...reports.checks);
    Object.assign(results, reports.results);
  }

  if (only.includes('embedded')) {
    log('');
    const embedded = await runEmbeddedBenchmark(EMBEDDED_ROWS, log);
    checks.push(...embedded.checks);
    results.embedded = embedded.results;
  }

  if (only.includes('whatsapp')) {
    log('');
    log('WhatsApp webhook ingestion (issue 18): API and worker in one process, as npm start runs them.');
    const whatsapp = await runWhatsappBenchmark(
      url,
      Math.max(100, Math.round(Number(process.env.BENCH_WEBHOOK_EVENTS || 10_000) * scale)),
      log,
    );
    checks.push(...whatsapp.checks);
    results.whatsapp = whatsapp.results;
  }

  if (only.includes('campaigns')) {
    log('');
    log('WhatsApp campaigns (issue 19): send rate against a local Graph API at 20 and 80 messages/s, no duplicates.');
    const campaigns = await runCampaignBenchmark(url, log);
    checks.push(...campaigns.checks);
    results.campaigns = campaigns.results;
  }

  log('');
  log(checksTable(checks));
  const failed = checks.filter((c) => c.pass === false);
  log(failed.length ? `${failed.length} of ${checks.filter((c) => c.pass !== null).length} targets missed.` : 'All targets met.');
  const file = writeResults({
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      totalMemGb: os.totalmem() / 2 ** 30,
      node: process.version,
      postgres: pgVersion,
    },
    settings: {
      databaseUrl: url,
      sections: only,
      scale,
      plan,
      rows: { big: BIG, small: SMALL, import: IMPORT_ROWS, memory: MEMORY_ROWS, embedded: EMBEDDED_ROWS },
    },
    ...results,
    checks,
  });
  log(`Results written to ${path.relative(process.cwd(), file)}`);
}

/** Issue 3's lead benchmark: its tables are printed here, its checks join the final table. */
async function runLeadsBenchmark(): Promise<{ checks: Check[]; results: Record<string, unknown> }> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'optarget-bench-'));
  let running: RunningApp | null = null;
  const rawPool = new pg.Pool({ connectionString: url, max: plan.concurrency });
  try {
    running = await startBenchApp(url, workDir);
    const { baseUrl } = running;

    // Owners sign up through the real endpoint: each gets a tenant, an OWNER membership and a session cookie.
    log('Signing up owners…');
    const owners: { client: BenchClient; userId: string; tenantId: string }[] = [];
    for (let i = 0; i < 13; i++) owners.push(await signUpOwner(baseUrl, `Bench Owner ${i + 1}`, `bench-owner-${i + 1}@example.test`));
    const [big, ...rest] = owners;
    const small = rest.slice(0, 9);
    const [importOwner, memoryOwner, copyOwner] = rest.slice(9);

    const seedTenants: SeedTenant[] = [
      { tenantId: big.tenantId, ownerUserId: big.userId, leads: BIG, salt: 1 },
      ...small.map((o, i) => ({ tenantId: o.tenantId, ownerUserId: o.userId, leads: SMALL, salt: i + 2 })),
    ];
    const listSeeds: ListSeed[] = [
      { tenantId: big.tenantId, name: 'Bench 50k', members: rows(50_000) },
      { tenantId: big.tenantId, name: 'Hot prospects', members: rows(2_000) },
      ...small.map((o) => ({ tenantId: o.tenantId, name: 'Bench 5k', members: rows(5_000) })),
    ];
    log(`Seeding ${BIG.toLocaleString('en')} + 9 × ${SMALL.toLocaleString('en')} leads…`);
    await rawPool.query(`update tenants set plan_code = 'business' where id = any($1::uuid[])`, [owners.map((o) => o.tenantId)]);
    const seed = await seedLeads(url, seedTenants, listSeeds, log);
    log(`Seeded in ${fmt(seed.seconds)} s`);

    // Six list queries on the big tenant.
    const leadsPath = `/api/v1/tenants/${big.tenantId}/leads`;
    const shapes = typicalQueries(seed.lists[`${big.tenantId}:Bench 50k`]);
    shapes.push(await deepPageQuery(big.client, leadsPath));
    const queries: QueryResult[] = [];
    for (const shape of shapes) {
      log(`Measuring ${shape.name}…`);
      queries.push(await measureQuery(shape, { client: big.client, baseUrl, leadsPath, tenantId: big.tenantId, rawPool, plan }));
    }

    // CSV import against COPY of the same rows, each into an empty tenant.
    const imports = await importBenchmark({ importOwner, memoryOwner, copyOwner }, workDir);
    const checks: Check[] = [
      {
        measure: `seed ${(BIG + 9 * SMALL).toLocaleString('en')} leads (SQL, indexes rebuilt, analyzed, checkpointed)`,
        value: `${fmt(seed.seconds)} s`,
        target: '—',
        pass: null,
      },
      ...queries.flatMap((q): Check[] => [
        {
          measure: `${q.name}: HTTP p99`,
          value: `${fmt(q.http.p99)} ms`,
          target: '< 100 ms',
          pass: q.http.errors === 0 && q.http.p99 < 100,
        },
        {
          measure: `${q.name}: HTTP / raw req/s`,
          value: `${fmt(q.http.perSecond, 0)} / ${fmt(q.raw.perSecond, 0)} = ${fmt(q.throughputRatio, 2)}×`,
          target: '≥ 0.5×',
          pass: q.http.errors === 0 && q.throughputRatio >= 0.5,
        },
      ]),
      ...imports.checks,
    ];

    log('');
    log(
      `List queries on the ${BIG.toLocaleString('en')}-lead tenant, concurrency ${plan.concurrency}: HTTP and raw SQL alternate in three rounds (${plan.warmupMs / 1000} s warm-up, then 1 s), measuring ${plan.durationMs / 1000} s or ${plan.maxRequests.toLocaleString('en')} requests each in all (latencies in ms).`,
    );
    log('Raw = the same SELECT the app sends (values written in as literals, as the app writes them), captured from a real request,');
    log('on a pg pool of 8 — without the BEGIN, role lookup, settings and COMMIT the app sends with it (so row-level security is');
    log('not applied to it). Trips = queries the app sent PostgreSQL for one request (more when its session had to be looked up).');
    log('The app runs as `npm start` does (API + worker in one process, pool of 10), logging requests at info level to a file.');
    log(
      table(
        ['Query', 'rows', 'trips', 'HTTP p50', 'HTTP p99', 'HTTP req/s', 'raw p50', 'raw p99', 'raw req/s', 'HTTP/raw'],
        queries.map((q) => [
          q.name,
          String(q.rowsOnPage),
          String(q.roundTripsPerRequest),
          fmt(q.http.p50),
          fmt(q.http.p99),
          fmt(q.http.perSecond, 0),
          fmt(q.raw.p50),
          fmt(q.raw.p99),
          fmt(q.raw.perSecond, 0),
          `${fmt(q.throughputRatio, 2)}×`,
        ]),
        [false, true, true, true, true, true, true, true, true, true],
      ),
    );
    for (const q of queries) {
      if (q.http.errors || q.raw.errors)
        log(
          `  ${q.name}: ${q.http.errors} HTTP errors (${q.http.firstError ?? ''}), ${q.raw.errors} raw errors (${q.raw.firstError ?? ''})`,
        );
    }
    log('');
    for (const line of imports.report) log(line);
    return { checks, results: { seed, queries, ...imports.results } };
  } finally {
    await running?.close().catch((err) => console.error('closing the app failed:', err));
    await rawPool.end();
    rmSync(workDir, { recursive: true, force: true });
  }
}

const importBenchmark = (owners: ImportOwners, workDir: string): Promise<ImportBenchmark> =>
  runImportBenchmark(url, owners, workDir, { importRows: IMPORT_ROWS, memoryRows: MEMORY_ROWS, timeoutMs: IMPORT_TIMEOUT_MS }, log);

/** The `imports` section: the app, three owners on the business plan and the import measurements, with no seeded leads. */
async function runImportsOnly(): Promise<{ checks: Check[]; results: Record<string, unknown> }> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'optarget-bench-'));
  let running: RunningApp | null = null;
  try {
    running = await startBenchApp(url, workDir);
    log('');
    log('CSV import (issue 3) on an otherwise empty database: API and worker in this process, as in `leads`.');
    const [importOwner, memoryOwner, copyOwner] = await Promise.all(
      ['import', 'memory', 'copy'].map((role) => signUpOwner(running!.baseUrl, `Bench ${role}`, `bench-${role}@example.test`)),
    );
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`update tenants set plan_code = 'business' where id = any($1::uuid[])`, [
      [importOwner, memoryOwner, copyOwner].map((o) => o.tenantId),
    ]);
    await admin.end();
    const imports = await importBenchmark({ importOwner, memoryOwner, copyOwner }, workDir);
    for (const line of imports.report) log(line);
    return { checks: imports.checks, results: imports.results };
  } finally {
    await running?.close().catch((err) => console.error('closing the app failed:', err));
    rmSync(workDir, { recursive: true, force: true });
  }
}

try {
  await main();
  process.exit(0);
} catch (err) {
  console.error(err);
  process.exit(1);
}
