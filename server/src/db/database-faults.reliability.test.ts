import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../test/fault-proxy.js';
import { testDatabaseUrl } from '../test/harness.js';
import { runLoad, tally, type Outcome } from '../test/load.js';
import { alive, HttpClient, killAll, serverEnv, signUpOverHttp, sleep, startServer, waitUntil, type Proc } from '../test/processes.js';

/**
 * The server process (`main.ts all`: API and worker) against a PostgreSQL that fails: its
 * connections terminated under load, its port closed, its port silent. The server reaches the
 * database through a loopback proxy the test controls, with short timeouts so each case takes
 * seconds. Connections are killed only where they belong to this server: this database's
 * backends (by datname) with this server's application_name.
 */
const CONNECT_MS = 1000;
const STATEMENT_MS = 2000;
/** A request against a database that stopped answering fails within the read timeout (statement + connect) and a margin. */
const FAIL_WITHIN_MS = STATEMENT_MS + CONNECT_MS + 1500;
const applicationName = `optarget_faults_${randomUUID().slice(0, 8)}`;
const runsOnPostgres = Boolean(testDatabaseUrl);

let proxy: FaultProxy;
let admin: pg.Pool;
let server: { proc: Proc; url: string };
let owner: { client: HttpClient; tenantId: string };

const leadsPath = () => `/api/v1/tenants/${owner.tenantId}/leads?limit=5`;

/** Answers of the database while it is away: 503 DATABASE_UNAVAILABLE with Retry-After, never a 500 or a reset. */
function expectUnavailable(o: Outcome) {
  expect(o, JSON.stringify(o)).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  expect(Number(o.retryAfter)).toBeGreaterThan(0);
}

/** Terminates this server's backends in this database; returns how many. */
async function terminateServerBackends() {
  const { rows } = await admin.query(
    `select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and application_name = $1 and pid <> pg_backend_pid()`,
    [applicationName],
  );
  return rows[0].n as number;
}

/** Timed single requests, the way a user meets the fault. */
async function timed(client: HttpClient, path: string) {
  const begin = Date.now();
  const res = await client.request('GET', path);
  return {
    status: res.status,
    code: res.body?.code as string | undefined,
    retryAfter: res.headers.get('retry-after') ?? undefined,
    ms: Date.now() - begin,
  };
}

async function recovered() {
  const lead = await waitUntil(
    'the server to serve again',
    async () => {
      const res = await owner.client.request('POST', `/api/v1/tenants/${owner.tenantId}/leads`, {
        name: `After ${randomUUID().slice(0, 6)}`,
      });
      return res.status === 201 && res.body;
    },
    15_000,
  );
  expect((await owner.client.request('GET', `/api/v1/tenants/${owner.tenantId}/leads/${lead.id}`)).status).toBe(200);
  expect((await owner.client.request('GET', '/readyz')).status).toBe(200);
}

describe.runIf(runsOnPostgres)('the server survives a failing PostgreSQL', () => {
  beforeAll(async () => {
    const target = new URL(testDatabaseUrl!);
    proxy = await new FaultProxy({ host: target.hostname, port: Number(target.port || 5432) }).start();
    admin = new pg.Pool({ connectionString: testDatabaseUrl, max: 1 });
    const url = new URL(proxy.urlFor(testDatabaseUrl!));
    url.searchParams.set('application_name', applicationName);
    server = await startServer(
      'all',
      serverEnv({
        DATABASE_URL: url.href,
        JOB_QUEUE_SCHEMA: `pgboss_faults_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
        DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_MS),
        DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_MS),
      }),
    );
    owner = await signUpOverHttp(server.url, 'faults');
  }, 120_000);

  afterAll(async () => {
    await killAll();
    await proxy?.close();
    await admin?.end();
  }, 30_000);

  it('connections terminated under load fail only the requests using them; the process keeps serving and recovers', async () => {
    let killed = 0;
    const kills = (async () => {
      for (let round = 0; round < 4; round++) {
        await sleep(800);
        killed += await terminateServerBackends();
      }
    })();
    const outcomes = await runLoad({
      baseUrl: server.url,
      cookie: owner.client.cookieHeader,
      loops: 6,
      durationMs: 5000,
      maxRequests: 5000,
      next: (i) =>
        i % 3 === 0
          ? { method: 'POST', path: `/api/v1/tenants/${owner.tenantId}/leads`, body: { name: `Load ${i}` } }
          : { method: 'GET', path: leadsPath() },
    });
    await kills;
    expect(killed).toBeGreaterThan(0);
    expect(alive(server.proc)).toBe(true);
    const counts = tally(outcomes);
    // Every answer is a success or the database's 503; nothing else (no 500, no dropped connection).
    for (const o of outcomes) if (!(o.status === 200 || o.status === 201)) expectUnavailable(o);
    expect(outcomes.filter((o) => o.status === 200 || o.status === 201).length, JSON.stringify(counts)).toBeGreaterThan(
      outcomes.length / 2,
    );
    await recovered();
  }, 60_000);

  it('idle connections terminated between requests are replaced without a failed request', async () => {
    expect((await owner.client.request('GET', leadsPath())).status).toBe(200);
    expect(await terminateServerBackends()).toBeGreaterThan(0);
    await sleep(300); // the pool hears of the loss and drops its idle connections
    for (let i = 0; i < 5; i++) expect((await owner.client.request('GET', leadsPath())).status).toBe(200);
    expect(alive(server.proc)).toBe(true);
  }, 30_000);

  for (const mode of ['refuse', 'silent'] as const) {
    it(`a database whose port is ${mode === 'refuse' ? 'closed' : 'silent'} gets 503 with Retry-After within the timeout, /readyz says not ready, and service resumes`, async () => {
      expect((await owner.client.request('GET', leadsPath())).status).toBe(200);
      await proxy.setMode(mode);
      try {
        for (let i = 0; i < 4; i++) {
          const answer = await timed(owner.client, leadsPath());
          expectUnavailable({ ...answer, at: 0, method: 'GET', path: leadsPath() });
          expect(answer.ms).toBeLessThan(FAIL_WITHIN_MS);
        }
        const write = await owner.client.request('POST', `/api/v1/tenants/${owner.tenantId}/leads`, { name: 'While away' });
        expect(write.status).toBe(503);
        const ready = await timed(owner.client, '/readyz');
        expect(ready.status).toBe(503);
        expect(ready.ms).toBeLessThan(2000);
        expect((await owner.client.request('GET', '/healthz')).status).toBe(200);
        expect(alive(server.proc)).toBe(true);
      } finally {
        await proxy.setMode('pass');
      }
      await recovered();
      const list = await owner.client.request('GET', `/api/v1/tenants/${owner.tenantId}/leads?limit=100&q=While%20away`);
      expect(list.body.items).toEqual([]);
    }, 60_000);
  }
});
