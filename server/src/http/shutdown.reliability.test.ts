import { describe, expect, it } from 'vitest';
import { runLoad, tally } from '../test/load.js';
import {
  diagnostics,
  processDatabases,
  serverEnv,
  serverWithRunningImport,
  sleep,
  startServer,
  storedLeads,
  waitForJobEnd,
} from '../test/processes.js';

/**
 * SIGTERM, as a deploy sends it, to a server process (API and worker) under load on kept-alive
 * connections and with an import running, on each database: requests in flight are answered, none
 * gets a 5xx or a reset (a connection opened after the port closed is refused, which a load
 * balancer retries elsewhere), the import is handed back to the queue, and the process exits 0.
 * The lease is long, so only the hand-back lets the restarted server resume the import at once.
 */
const ROWS = 20_000;
const databases = processDatabases('shutdown');

describe.each(databases)('SIGTERM under load, on $name', ({ env }) => {
  it('answers every request in flight without a 5xx or a reset, hands the running import back, and exits 0', async () => {
    const processEnv = serverEnv({ ...env, JOB_LEASE_SECONDS: '300' });
    const started = await serverWithRunningImport(processEnv, 'shutdown', ROWS, 1000);
    const { owner, jobId } = started;
    let server = started.server;

    const load = runLoad({
      baseUrl: server.url,
      cookie: owner.client.cookieHeader,
      loops: 8,
      durationMs: 20_000,
      maxRequests: 20_000,
      stopOn: (o) => o.error === 'ECONNREFUSED',
      next: (i) =>
        i % 4 === 0
          ? { method: 'POST', path: `/api/v1/tenants/${owner.tenantId}/leads`, body: { name: `Shutdown Load ${i}` } }
          : { method: 'GET', path: `/api/v1/tenants/${owner.tenantId}/leads?limit=20` },
    });
    await sleep(1500);
    const signalledAt = Date.now();
    server.proc.child.kill('SIGTERM');
    const [outcomes, exitCode] = await Promise.all([load, server.proc.exited]);
    const stoppedWithin = Date.now() - signalledAt;

    expect(exitCode, diagnostics(server.proc)).toBe(0);
    expect(stoppedWithin).toBeLessThan(20_000);
    const counts = tally(outcomes);
    const failures = outcomes.filter((o) => o.status >= 500 || (o.error && o.error !== 'ECONNREFUSED'));
    expect(failures, `${JSON.stringify(counts)} ${JSON.stringify(failures.slice(0, 5))}`).toEqual([]);
    const answeredAfterSignal = outcomes.filter((o) => o.status > 0 && o.at + o.ms >= signalledAt);
    expect(answeredAfterSignal.length, JSON.stringify(counts)).toBeGreaterThan(0);
    const created = outcomes.filter((o) => o.status === 201).length;

    // The import was handed back, not left to its lease: the restarted server finishes it at once.
    server = await startServer('all', processEnv);
    owner.client.baseUrl = server.url;
    const job = await waitForJobEnd(owner, jobId);
    expect(job).toMatchObject({ status: 'SUCCEEDED', result: { rows: ROWS, created: ROWS, skipped: 0 } });
    const logs = await owner.client.request('GET', `/api/v1/tenants/${owner.tenantId}/jobs/${jobId}/logs?limit=100`);
    expect(logs.body.items.some((l: { message: string }) => l.message.startsWith('The server running this job is restarting'))).toBe(true);
    // Every lead whose creation was answered 201 is there.
    expect(await storedLeads(owner)).toBe(ROWS + created);
    server.proc.child.kill('SIGTERM');
    expect(await server.proc.exited).toBe(0);
  }, 240_000);
});
