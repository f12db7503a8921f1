import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import type { BenchClient } from './http-client.js';
import { copyCsvFile } from './copy.js';
import { copyColumns, importMapping, writeLeadFiles } from './csv.js';
import type { Check } from './report.js';

export type ImportRun = {
  rows: number;
  uploadSeconds: number;
  jobSeconds: number;
  totalSeconds: number;
  result: Record<string, unknown> | null;
  status: string;
  error: string | null;
};

const POLL_MS = 200;

/**
 * A user's import through the real endpoints: multipart upload, start with the mapping, then the
 * job polled until it finishes or `timeoutMs` passes. `onPhase` marks the moment the job starts.
 */
export async function importThroughApi(
  client: BenchClient,
  tenantId: string,
  file: string,
  timeoutMs: number,
  onPhase: (phase: 'job') => void = () => undefined,
): Promise<ImportRun> {
  const base = `/api/v1/tenants/${tenantId}/imports`;
  const t0 = performance.now();
  const upload = await client.upload<{ id: string; rowCount: number }>(base, file);
  if (upload.status !== 201) throw new Error(`upload answered ${upload.status}: ${JSON.stringify(upload.body).slice(0, 500)}`);
  const t1 = performance.now();
  onPhase('job');
  const job = await client.expect<{ id: string }>(202, 'POST', `${base}/${upload.body.id}/start`, {
    mapping: importMapping,
    onMatch: 'skip',
  });
  const deadline = t1 + timeoutMs;
  let state: { status: string; result: Record<string, unknown> | null; error: string | null } = {
    status: 'PENDING',
    result: null,
    error: null,
  };
  while (performance.now() < deadline) {
    state = await client.expect(200, 'GET', `/api/v1/tenants/${tenantId}/jobs/${job.id}`);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state.status)) break;
    await sleep(POLL_MS);
  }
  const t2 = performance.now();
  const finished = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(state.status);
  return {
    rows: upload.body.rowCount,
    uploadSeconds: (t1 - t0) / 1000,
    jobSeconds: (t2 - t1) / 1000,
    totalSeconds: (t2 - t0) / 1000,
    result: state.result,
    status: finished ? state.status : `still ${state.status} after ${timeoutMs / 1000} s`,
    error: state.error,
  };
}

/** The baseline: the same rows, already normalised, written with one `COPY leads … FROM STDIN`. */
export async function copyBaseline(url: string, file: string): Promise<{ rows: number; seconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = performance.now();
    const rows = await copyCsvFile(client, 'leads', copyColumns, file);
    return { rows, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await client.end();
  }
}

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

export type MemoryRun = {
  /** RSS after a full GC just before the upload. */
  baselineMb: number;
  /** Lowest RSS seen from then until the job started (V8 returns freed pages to the OS lazily, so it can sit below the baseline). */
  lowBeforeJobMb: number;
  peakMb: number;
  /** Peak RSS minus the lowest RSS before the job: the import's growth, counted conservatively. */
  growthMb: number;
  /** Peak minus the RSS right after the GC, the kinder reading. */
  growthOverBaselineMb: number;
  heapUsedBeforeMb: number;
  heapUsedPeakMb: number;
  externalPeakMb: number;
  samples: number;
  import: ImportRun;
};

const mb = (bytes: number) => bytes / (1024 * 1024);

/**
 * RSS of this process (which runs the API and the job worker) sampled every 100 ms during an import
 * (upload and job). Heap and external (Buffer) memory are sampled alongside, to tell retained objects
 * from memory the allocator has simply not returned yet.
 */
export async function measureImportMemory(client: BenchClient, tenantId: string, file: string, timeoutMs: number): Promise<MemoryRun> {
  collectGarbage();
  const before = process.memoryUsage();
  let low = before.rss;
  let peak = before.rss;
  let heapPeak = before.heapUsed;
  let externalPeak = before.external;
  let inJob = false;
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    samples++;
    if (!inJob) low = Math.min(low, m.rss);
    peak = Math.max(peak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
    externalPeak = Math.max(externalPeak, m.external);
  };
  const timer = setInterval(sample, 100);
  try {
    const run = await importThroughApi(client, tenantId, file, timeoutMs, () => {
      sample();
      inJob = true;
    });
    return {
      baselineMb: mb(before.rss),
      lowBeforeJobMb: mb(low),
      peakMb: mb(peak),
      growthMb: mb(peak - low),
      growthOverBaselineMb: mb(peak - before.rss),
      heapUsedBeforeMb: mb(before.heapUsed),
      heapUsedPeakMb: mb(heapPeak),
      externalPeakMb: mb(externalPeak),
      samples,
      import: run,
    };
  } finally {
    clearInterval(timer);
  }
}

export type ImportOwners = Record<'importOwner' | 'memoryOwner' | 'copyOwner', { client: BenchClient; tenantId: string }>;
export type ImportBenchmark = { checks: Check[]; results: Record<string, unknown>; report: string[] };

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/**
 * Issue 3's import figures: `importRows` rows through the API against COPY of the same rows (each
 * into its own empty tenant), then memory of a `memoryRows`-row import. Both files are written to
 * `workDir` first. Returns the checks, the raw figures and the lines to print after the tables.
 */
export async function runImportBenchmark(
  url: string,
  owners: ImportOwners,
  workDir: string,
  sizes: { importRows: number; memoryRows: number; timeoutMs: number },
  log: (line: string) => void,
): Promise<ImportBenchmark> {
  const { importOwner, memoryOwner, copyOwner } = owners;
  const { importRows, memoryRows, timeoutMs } = sizes;
  log(`Writing ${importRows.toLocaleString('en')}- and ${memoryRows.toLocaleString('en')}-row CSV files…`);
  const importFile = path.join(workDir, `leads-${importRows}.csv`);
  const copyFile = path.join(workDir, `leads-${importRows}.copy.csv`);
  const memoryFile = path.join(workDir, `leads-${memoryRows}.csv`);
  await writeLeadFiles(importRows, 1, importFile, copyFile, copyOwner.tenantId);
  await writeLeadFiles(memoryRows, 2, memoryFile, path.join(workDir, 'unused.copy.csv'), memoryOwner.tenantId);
  log(`Importing ${importRows.toLocaleString('en')} rows through the API…`);
  const imported = await importThroughApi(importOwner.client, importOwner.tenantId, importFile, timeoutMs);
  log(`COPY of the same rows…`);
  const copy = await copyBaseline(url, copyFile);
  log(`Importing ${memoryRows.toLocaleString('en')} rows while sampling memory…`);
  const memory = await measureImportMemory(memoryOwner.client, memoryOwner.tenantId, memoryFile, timeoutMs);

  const importOk = imported.status === 'SUCCEEDED';
  const ratio = imported.totalSeconds / copy.seconds;
  const checks: Check[] = [
    {
      measure: `CSV import ${importRows.toLocaleString('en')} rows (upload + job) vs COPY`,
      value: importOk ? `${fmt(imported.totalSeconds)} s / ${fmt(copy.seconds)} s = ${fmt(ratio, 2)}×` : imported.status,
      target: '≤ 3×',
      pass: importOk && ratio <= 3,
    },
    {
      measure: `RSS growth, ${memoryRows.toLocaleString('en')}-row import`,
      value: memory.import.status === 'SUCCEEDED' ? `${fmt(memory.growthMb)} MB` : `${fmt(memory.growthMb)} MB (${memory.import.status})`,
      target: '< 200 MB',
      pass: memory.import.status === 'SUCCEEDED' && memory.growthMb < 200,
    },
  ];
  const report = [
    `Import: upload ${fmt(imported.uploadSeconds)} s + job ${fmt(imported.jobSeconds)} s, result ${JSON.stringify(imported.result)}; ` +
      `COPY ${copy.rows.toLocaleString('en')} rows in ${fmt(copy.seconds, 2)} s.`,
    `Memory: RSS ${fmt(memory.baselineMb, 0)} MB after GC, lowest ${fmt(memory.lowBeforeJobMb, 0)} MB before the job, peak ${fmt(memory.peakMb, 0)} MB ` +
      `(growth counted from the lowest; ${fmt(memory.growthOverBaselineMb)} MB over the post-GC figure); JS heap ${fmt(memory.heapUsedBeforeMb, 0)} → ` +
      `peak ${fmt(memory.heapUsedPeakMb, 0)} MB, external peak ${fmt(memory.externalPeakMb, 0)} MB; ${memory.samples} samples; ` +
      `import ${fmt(memory.import.totalSeconds)} s, result ${JSON.stringify(memory.import.result)}.`,
  ];
  return { checks, results: { import: { api: imported, copy, ratio }, memory }, report };
}
