import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { composeLeadDocument } from '../server/src/reports/lead-document.js';
import { ReportRenderer, defaultRendererLimits } from '../server/src/reports/render/pool.js';
import { startBenchApp } from './app.js';
import { signUpOwner } from './http-client.js';
import type { Check } from './report.js';
import { percentile } from './stats.js';

type Loaded = Parameters<typeof composeLeadDocument>[0];
const MB = 1024 * 1024;
const kinds = [
  'NO_HTTPS',
  'SLOW_RESPONSE',
  'NO_MOBILE_VIEWPORT',
  'MISSING_META_DESCRIPTION',
  'NO_SOCIAL_PROFILES',
  'LOW_RATING',
  'FEW_REVIEWS',
];

/** A realistic lead report's data, different for each `i` (typst caches by content, so each document is new to it). */
function leadData(i: number): Loaded {
  const at = new Date(Date.UTC(2026, 3, 1 + (i % 28), 10, i % 60));
  const lead = {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: i % 2 ? `Clinic number ${i}` : `عيادة رقم ${i} لطب الأسنان`,
    category: 'Dentist',
    city: 'Riyadh',
    address: `${i} King Fahd Road`,
    source: 'osm',
    score: 40 + (i % 50),
    scoreBasis: { checkedAt: at.toISOString(), website: 'read', pagesRead: 4 },
  };
  const rows = kinds.map((kind, k) => ({
    kind,
    weight: 5 + ((i + k) % 3) * 5,
    params: { seconds: 3 + (i % 7), rating: 3.1, reviews: i % 9 },
    sourceUrl: `https://clinic-${i}.example/page-${k}`,
    fetchedAt: at,
    capturedAt: at,
  }));
  const branding = {
    displayName: 'Bench Agency',
    brandColor: '#1c7ed6',
    contactLine: 'Call +966 11 456 7890',
    reportLanguage: 'en',
    digits: 'latin',
    logo: null,
  };
  const standing = ['website', 'security', 'speed', 'mobile', 'contact', 'social', 'reputation'].map((area, k) => ({
    area,
    total: 11,
    doBetter: (i + k) % 11,
    doWorse: 10 - ((i + k) % 11),
  }));
  return { lead, rows, branding, standing, custom: [] } as unknown as Loaded;
}

const renderOne = (renderer: ReportRenderer, i: number) =>
  renderer.render('lead', composeLeadDocument(leadData(i), i % 3 === 0 ? 'ar' : 'en', new Date()), null);

/** Resident memory of this process and of the renderer's child, in bytes. */
const rssNow = (renderer: ReportRenderer) => process.memoryUsage.rss() + renderer.childRssBytes;

/**
 * Reports (issue 17): warm render latency of one lead report; resident memory across 2,000
 * distinct reports, held flat by replacing the typst child process; and a 100-lead list with
 * one PDF per lead plus its market map, generated through the API and the job worker.
 */
export async function runReportsBenchmark(
  databaseUrl: string,
  log: (line: string) => void,
): Promise<{ checks: Check[]; results: Record<string, unknown> }> {
  const renderer = new ReportRenderer();
  const fmt = (n: number) => n.toFixed(1);
  try {
    for (let i = 0; i < 20; i++) await renderOne(renderer, i);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await renderOne(renderer, 1000 + i);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const median = percentile(times, 50);
    const p99 = percentile(times, 99);
    log(`Warm lead report render: median ${fmt(median)} ms, p99 ${fmt(p99)} ms over 200 documents.`);

    const baseline = rssNow(renderer);
    let peak = baseline;
    const startedBefore = renderer.started;
    for (let i = 0; i < 2000; i++) {
      await renderOne(renderer, 10_000 + i);
      peak = Math.max(peak, rssNow(renderer));
      if ((i + 1) % 500 === 0) log(`  ${i + 1} reports: RSS ${fmt(rssNow(renderer) / MB)} MiB (peak ${fmt(peak / MB)} MiB)`);
    }
    const growth = (peak - baseline) / MB;
    const replacements = renderer.started - startedBefore;
    log(`RSS across 2,000 reports: ${fmt(baseline / MB)} → peak ${fmt(peak / MB)} MiB; the renderer was replaced ${replacements} times.`);

    const bundle = await listBundle(databaseUrl, log);
    const checks: Check[] = [
      { measure: 'lead report render, warm: median', value: `${fmt(median)} ms`, target: '< 50 ms', pass: median < 50 },
      { measure: 'lead report render, warm: p99', value: `${fmt(p99)} ms`, target: '—', pass: null },
      {
        measure: `RSS growth over 2,000 reports (renderer replaced every ${defaultRendererLimits.maxDocuments} or above ${defaultRendererLimits.maxRssBytes / MB} MiB)`,
        value: `${fmt(growth)} MiB`,
        target: '< 300 MB',
        pass: growth < 300,
      },
      {
        measure: '100-lead list: 100 lead PDFs + market map through the API',
        value: `${fmt(bundle.seconds)} s`,
        target: '< 15 s',
        pass: bundle.seconds < 15,
      },
    ];
    return { checks, results: { reports: { median, p99, baselineRss: baseline, peakRss: peak, replacements, bundle } } };
  } finally {
    await renderer.close();
  }
}

/** One owner's 100-lead list: a report per lead and the list's market map, started over HTTP, timed until all are stored. */
async function listBundle(databaseUrl: string, log: (line: string) => void) {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'optarget-bench-reports-'));
  const running = await startBenchApp(databaseUrl, workDir);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const owner = await signUpOwner(running.baseUrl, 'Report Bench Owner', `report-bench-${Date.now()}@example.test`);
    await pool.query(`update tenants set plan_code = 'business' where id = $1`, [owner.tenantId]);
    const list = await owner.client.expect<{ id: string }>(201, 'POST', `/api/v1/tenants/${owner.tenantId}/lists`, {
      name: 'Bench market',
    });
    const { rows: leadRows } = await pool.query<{ id: string }>(
      `insert into leads (tenant_id, name, category, city, score, score_basis)
       select $1, 'Bench clinic ' || n, 'Dentist', 'Riyadh', n % 100, '{"checkedAt":"2026-04-01T00:00:00Z","website":"read","pagesRead":3}'
       from generate_series(1, 100) n returning id`,
      [owner.tenantId],
    );
    await pool.query(
      `insert into evidence (tenant_id, lead_id, kind, weight, params, source_url)
       select $1, l, k, 10, '{"seconds": 4}', 'https://bench.example/' from unnest($2::uuid[]) l, unnest(array['NO_HTTPS','SLOW_RESPONSE','LOW_RATING']) k`,
      [owner.tenantId, leadRows.map((r) => r.id)],
    );
    await pool.query(`insert into lead_lists (tenant_id, list_id, lead_id) select $1, $2, unnest($3::uuid[])`, [
      owner.tenantId,
      list.id,
      leadRows.map((r) => r.id),
    ]);
    const started = performance.now();
    const reportIds: string[] = [];
    const url = `/api/v1/tenants/${owner.tenantId}/reports`;
    reportIds.push((await owner.client.expect<{ id: string }>(201, 'POST', url, { listId: list.id })).id);
    for (const lead of leadRows) reportIds.push((await owner.client.expect<{ id: string }>(201, 'POST', url, { leadId: lead.id })).id);
    for (;;) {
      const { rows } = await pool.query<{ status: string; n: number }>(
        `select status, count(*)::int n from reports where id = any($1::uuid[]) group by status`,
        [reportIds],
      );
      const done = rows.filter((r) => r.status === 'SUCCEEDED' || r.status === 'FAILED').reduce((s, r) => s + r.n, 0);
      if (done === reportIds.length) {
        const failed = rows.find((r) => r.status === 'FAILED')?.n ?? 0;
        const seconds = (performance.now() - started) / 1000;
        log(`100-lead list: ${reportIds.length} reports generated in ${seconds.toFixed(1)} s (${failed} failed).`);
        return { seconds, reports: reportIds.length, failed };
      }
      if (performance.now() - started > 300_000) throw new Error('the list reports did not finish within 5 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await pool.end();
    await running.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
