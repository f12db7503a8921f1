import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import type { BenchClient } from './http-client.js';
import { copyCsvFile } from './copy.js';
import { copyColumns, importMapping } from './csv.js';

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
