import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signUpOwner, type BenchClient } from './http-client.js';
import { importThroughApi, type ImportRun } from './imports.js';
import { writeLeadFiles } from './csv.js';
import { startProcess, stopProcess, waitForLine } from './processes.js';
import type { Check } from './report.js';
import { percentile } from './stats.js';

/** What a user waits for while the import runs, one request at a time, each path in turn. */
type Probe = { path: string; ms: number[]; errors: number };

const PROBE_GAP_MS = 25;
const IDLE_MS = 5000;
const TARGET_MS = 200;

/**
 * Issue 13.11: the embedded database (PGlite) runs in the server's own process, so a long import
 * could hold up every request. Runs `npm start`'s server (API and worker) on a fresh data folder,
 * imports `rows` leads through the real endpoints, and meanwhile times requests a user makes:
 * `/healthz` (no database), a page of leads and the list of jobs (each a database read).
 * Target: no request takes more than 200 ms while the import runs.
 */
export async function runEmbeddedBenchmark(rows: number, log: (line: string) => void): Promise<{ checks: Check[]; results: unknown }> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'optarget-bench-embedded-'));
  const server = startProcess('../server/src/main.ts', ['all'], {
    NODE_ENV: 'test',
    DATA_DIR: path.join(workDir, 'data'),
    PUBLIC_URL: 'http://localhost:3000',
    APP_SECRET: 'bench-secret-bench-secret-bench-secret-00',
    DEV_OUTBOX: 'true',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
  });
  try {
    const ready = await waitForLine(server, 'the embedded server to listen', (l) => l.includes('OpTarget is running at'), 120_000);
    const baseUrl = `http://127.0.0.1:${/:(\d+)/.exec(ready.slice(ready.indexOf('http')))![1]}`;
    const owner = await signUpOwner(baseUrl, 'Bench Embedded', 'bench-embedded@example.test');
    await owner.client.expect(200, 'PUT', `/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'business' });
    const file = path.join(workDir, 'embedded.csv');
    await writeLeadFiles(rows, 13, file, path.join(workDir, 'embedded-copy.csv'), owner.tenantId);

    const paths = ['/healthz', `/api/v1/tenants/${owner.tenantId}/leads?limit=50`, `/api/v1/tenants/${owner.tenantId}/jobs?limit=5`];
    const newProbes = (): Probe[] => paths.map((p) => ({ path: p, ms: [], errors: 0 }));
    // The same requests with nothing running first: on a busy machine they are slow on their own.
    const idle = newProbes();
    const idleUntil = Date.now() + IDLE_MS;
    for (let i = 0; Date.now() < idleUntil; i++) {
      await timeRequest(owner.client, idle[i % idle.length]);
      await sleep(PROBE_GAP_MS);
    }
    const idleMs = idle.flatMap((p) => p.ms).sort((a, b) => a - b);

    log(`Embedded database: importing ${rows.toLocaleString('en')} rows while timing requests one at a time…`);
    let importing = false;
    const probes = newProbes();
    const probing = (async () => {
      while (!importing) await sleep(5);
      for (let i = 0; importing; i++) {
        await timeRequest(owner.client, probes[i % probes.length]);
        await sleep(PROBE_GAP_MS);
      }
    })();
    const run: ImportRun = await importThroughApi(owner.client, owner.tenantId, file, 10 * 60_000, () => {
      importing = true;
    }).finally(() => {
      importing = false;
    });
    await probing;

    const all = probes.flatMap((p) => p.ms).sort((a, b) => a - b);
    const worst = all.at(-1) ?? NaN;
    const errors = probes.reduce((n, p) => n + p.errors, 0);
    log(
      `  import ${run.status} in ${run.jobSeconds.toFixed(1)} s (${Math.round(rows / run.jobSeconds).toLocaleString('en')} rows/s); ` +
        `${all.length} requests meanwhile: p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms, max ${worst.toFixed(1)} ms, ${errors} errors`,
    );
    log(
      `  the same requests before the import: p50 ${percentile(idleMs, 50).toFixed(1)} ms, p99 ${percentile(idleMs, 99).toFixed(1)} ms, max ${(idleMs.at(-1) ?? NaN).toFixed(1)} ms`,
    );
    for (const p of probes)
      log(`  ${p.path.replace(owner.tenantId, '…')}: max ${(Math.max(...p.ms) || 0).toFixed(1)} ms over ${p.ms.length}`);
    const checks: Check[] = [
      {
        measure: `embedded database: longest request during a ${rows.toLocaleString('en')}-row import`,
        value: `${worst.toFixed(1)} ms (${all.length} requests, ${errors} errors)`,
        target: `< ${TARGET_MS} ms`,
        pass: run.status === 'SUCCEEDED' && errors === 0 && all.length > 0 && worst < TARGET_MS,
      },
      {
        measure: `embedded database: ${rows.toLocaleString('en')}-row import`,
        value: `${run.jobSeconds.toFixed(1)} s, ${run.status}`,
        target: '—',
        pass: null,
      },
      {
        measure: 'embedded database: longest of the same requests with nothing running',
        value: `${(idleMs.at(-1) ?? NaN).toFixed(1)} ms (${idleMs.length} requests)`,
        target: '—',
        pass: null,
      },
    ];
    const summarise = (list: Probe[]) => list.map((p) => ({ path: p.path, ...summary(p.ms), errors: p.errors }));
    return { checks, results: { rows, import: run, probes: summarise(probes), idle: summarise(idle) } };
  } finally {
    await stopProcess(server);
    rmSync(workDir, { recursive: true, force: true });
  }

  async function timeRequest(client: BenchClient, probe: Probe) {
    const t0 = performance.now();
    const res = await client.request('GET', probe.path).catch(() => ({ status: 0 }));
    probe.ms.push(performance.now() - t0);
    if (res.status !== 200) probe.errors++;
  }
}

function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? null };
}
