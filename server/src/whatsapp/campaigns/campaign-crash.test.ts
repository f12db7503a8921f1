import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../test/harness.js';
import {
  kill,
  killAll,
  serverEnv,
  signUpOverHttp,
  startProcess,
  startServer,
  waitForLine,
  waitUntil,
  type Proc,
} from '../../test/processes.js';
import { FakeGraph } from '../fake-graph.js';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, WABA_ID } from '../test-helpers.js';
import { seedOptedInList } from './test-helpers.js';

/**
 * A campaign whose worker process is SIGKILLed mid-send, on PostgreSQL with the API and workers in
 * processes of their own (PGlite serves one process). The next worker takes the job over once its
 * lease lapses (5 s here) and must not send anyone a second message.
 */
const LEASE_SECONDS = 5;
const RECIPIENTS = 200;
const workerEntry = fileURLToPath(new URL('../../jobs/test-worker-process.ts', import.meta.url));
const schema = `pgboss_campaign_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const runsOnPostgres = Boolean(testDatabaseUrl);
let graph: FakeGraph;
let pool: pg.Pool;
let apiUrl = '';

const env = () =>
  serverEnv({
    DATABASE_URL: testDatabaseUrl!,
    JOB_QUEUE_SCHEMA: schema,
    JOB_LEASE_SECONDS: String(LEASE_SECONDS),
    WORKER_CONCURRENCY: '2',
    ...graph.env,
  });

async function startWorker(label: string): Promise<Proc> {
  const worker = startProcess(workerEntry, [], { ...env(), TEST_WORKER_LABEL: label });
  await waitForLine(worker, `worker ${label} to start`, (l) => l.includes('"event":"ready"'));
  return worker;
}

describe('a campaign across worker processes (PostgreSQL)', () => {
  beforeAll(async () => {
    if (!runsOnPostgres) return;
    graph = await FakeGraph.start();
    pool = new pg.Pool({ connectionString: testDatabaseUrl, max: 2 });
    apiUrl = (await startServer('api', env())).url;
  }, 90_000);

  afterAll(async () => {
    await killAll();
    await pool?.query(`drop schema if exists ${schema} cascade`);
    await pool?.end();
    await graph?.close();
  }, 60_000);

  it.runIf(runsOnPostgres)(
    'goes on after its worker is SIGKILLed mid-campaign, and nobody is sent a message twice',
    async () => {
      const { client, tenantId } = await signUpOverHttp(apiUrl, 'campaign-crash');
      const api = `/api/v1/tenants/${tenantId}`;
      await pool.query(`update tenants set plan_code = 'business' where id = $1`, [tenantId]);
      const settings = { phoneNumberId: PHONE_NUMBER_ID, businessAccountId: WABA_ID, accessToken: ACCESS_TOKEN, appSecret: APP_SECRET };
      expect((await client.request('PATCH', `${api}/settings/whatsapp`, settings)).status).toBe(200);
      expect((await client.request('POST', `${api}/whatsapp/templates/sync`)).status).toBe(200);
      const templates = (await client.request('GET', `${api}/whatsapp/templates`)).body.items as { id: string; name: string }[];
      const listId = await seedOptedInList((text, values) => pool.query(text, values), tenantId, RECIPIENTS, 50_000);
      const created = await client.request('POST', `${api}/whatsapp/campaigns`, {
        name: 'Crash campaign',
        listId,
        templateId: templates.find((x) => x.name === 'order_confirmation')!.id,
        parameters: [
          { source: 'field', field: 'name' },
          { source: 'field', field: 'city' },
        ],
        ratePerSecond: 20,
      });
      expect(created.status).toBe(201);
      const campaignUrl = `${api}/whatsapp/campaigns/${created.body.id}`;

      const first = await startWorker('first');
      expect((await client.request('POST', `${campaignUrl}/start`)).status).toBe(200);
      await waitUntil('the first worker to send a third of the campaign', async () => graph.sent.length >= RECIPIENTS / 3, 60_000);
      await kill(first);
      const sentBeforeKill = graph.sent.length;
      expect(sentBeforeKill).toBeLessThan(RECIPIENTS);

      const second = await startWorker('second');
      const done = await waitUntil(
        'the campaign to complete on the second worker',
        async () => {
          const c = (await client.request('GET', campaignUrl)).body;
          return c.status === 'COMPLETED' && c;
        },
        120_000,
      );
      await kill(second);

      // Meta saw each phone at most once.
      const phones = graph.sent.map((r) => r.body.to as string);
      expect(new Set(phones).size).toBe(phones.length);
      expect(graph.sent.length).toBeGreaterThan(sentBeforeKill);
      // Every recipient is sent, or unconfirmed when the kill came between Meta's answer and the database.
      const { sent, unconfirmed, pending, failed } = done.stats;
      expect({ pending, failed }).toEqual({ pending: 0, failed: 0 });
      expect(sent + unconfirmed).toBe(RECIPIENTS);
      expect(unconfirmed).toBeLessThanOrEqual(graph.sent.length - sent);
      expect(phones.length).toBeLessThanOrEqual(RECIPIENTS);
      expect(phones.length).toBeGreaterThanOrEqual(sent);
      const logs = (await client.request('GET', `${api}/jobs/${done.jobId}/logs?limit=100`)).body.items.map(
        (l: any) => l.message as string,
      );
      expect(logs.some((m: string) => m.startsWith('The worker running this job stopped responding'))).toBe(true);
      if (unconfirmed) expect(logs.some((m: string) => m.includes('messages are not sent again'))).toBe(true);
    },
    240_000,
  );
});
