import { describe, expect, it } from 'vitest';
import { kill, processDatabases, serverEnv, serverWithRunningImport, startServer, storedLeads, waitForJobEnd } from '../test/processes.js';

/**
 * A server process (`npm start`'s `all`: API and worker) SIGKILLed in the middle of an import, on
 * each database, then started again on the same data: the import resumes from its last committed
 * batch and ends with every row imported exactly once.
 */
const ROWS = 20_000;
const databases = processDatabases('import-crash');

describe.each(databases)('an import whose server is SIGKILLed, on $name', ({ env }) => {
  it('resumes after the restart and imports every row exactly once', async () => {
    // A short lease, so that on PostgreSQL the restarted worker takes the killed one's job within seconds.
    const processEnv = serverEnv({ ...env, JOB_LEASE_SECONDS: '3' });
    const started = await serverWithRunningImport(processEnv, 'import-crash', ROWS, 2000);
    const { owner, jobId, progress: before } = started;
    let server = started.server;
    await kill(server.proc, 'SIGKILL');
    expect(before.done).toBeLessThan(ROWS);

    server = await startServer('all', processEnv);
    owner.client.baseUrl = server.url;
    const job = await waitForJobEnd(owner, jobId);
    expect(job).toMatchObject({ status: 'SUCCEEDED', progress: { done: ROWS, total: ROWS } });
    // A row imported twice would show as skipped (matched by its phone) or as a second lead.
    expect(job.result).toMatchObject({ rows: ROWS, created: ROWS, skipped: 0, updated: 0, invalid: 0 });
    expect(await storedLeads(owner)).toBe(ROWS);
    const logs = await owner.client.request('GET', `/api/v1/tenants/${owner.tenantId}/jobs/${jobId}/logs?limit=100`);
    expect(logs.body.items.some((l: { message: string }) => l.message.startsWith('Resuming after row'))).toBe(true);
    await kill(server.proc, 'SIGTERM');
  }, 240_000);
});
