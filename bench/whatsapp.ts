import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { startBenchApp } from './app.js';
import { signUpOwner } from './http-client.js';
import type { Check } from './report.js';
import { summarise } from './stats.js';
import type { WebhookLoadJob, WebhookLoadResult } from './webhook-load.worker.js';

const APP_SECRET = 'bench_webhook_app_secret_0123456789';
const PHONE_NUMBER_ID = '106540352242922';
const CONCURRENCY = 32;
/** Deliveries posted just before the measured ones, so the figures are those of a server that has been running (compiled code, open connections). */
const WARM_UP = 1000;
const fixture = JSON.parse(
  readFileSync(new URL('../server/src/whatsapp/fixtures/webhook-inbound-text.json', import.meta.url), 'utf8'),
) as Record<string, any>;

const workerBootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(
  new URL('./webhook-load.worker.ts', import.meta.url).href,
)}); });`;

function runLoad(job: WebhookLoadJob): Promise<WebhookLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerBootstrap, { eval: true, workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Meta's inbound text delivery (the fixture) for message `i`, from one of 500 senders, signed as Meta signs it. */
function delivery(i: number) {
  const body = structuredClone(fixture);
  const value = body.entry[0].changes[0].value;
  const from = `9665${String(10_000_000 + (i % 500)).padStart(8, '0')}`;
  Object.assign(value.messages[0], {
    from,
    id: `wamid.BENCH${i}`,
    timestamp: String(Math.floor(Date.now() / 1000)),
    text: { body: `Message ${i}` },
  });
  value.contacts[0].wa_id = from;
  const text = JSON.stringify(body);
  return { body: text, signature: `sha256=${createHmac('sha256', APP_SECRET).update(text).digest('hex')}` };
}

/**
 * Webhook ingestion (issue 18): WARM_UP signed deliveries, then without a pause `events` more, POSTed
 * by 32 concurrent callers and timed, then a tenth of those again (Meta's redeliveries). Measures acknowledgements per second and their p99,
 * waits for the worker to apply everything, and checks each message was stored exactly once.
 */
export async function runWhatsappBenchmark(url: string, events: number, log: (line: string) => void) {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'optarget-bench-whatsapp-'));
  const running = await startBenchApp(url, workDir);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const owner = await signUpOwner(running.baseUrl, 'Webhook Owner', `webhook-owner-${Date.now()}@example.test`);
    await pool.query(`update tenants set plan_code = 'business' where id = $1`, [owner.tenantId]);
    await owner.client.expect(200, 'PATCH', `/api/v1/tenants/${owner.tenantId}/settings/whatsapp`, {
      phoneNumberId: PHONE_NUMBER_ID,
      businessAccountId: '102290129340398',
      accessToken: 'EAAGbenchaccesstoken0123456789',
      appSecret: APP_SECRET,
    });
    const webhookUrl = `${running.baseUrl}/api/v1/webhooks/whatsapp/${owner.tenantId}`;
    const all = Array.from({ length: WARM_UP + events }, (_, i) => delivery(i));
    log(`Posting ${WARM_UP} signed deliveries to warm up and, without a pause, ${events} timed, at concurrency ${CONCURRENCY}…`);
    const { warmUp, timed: first } = await runLoad({ url: webhookUrl, deliveries: all, warmUp: WARM_UP, concurrency: CONCURRENCY });
    const replays = all.slice(WARM_UP).filter((_, i) => i % 10 === 0);
    const { timed: second } = await runLoad({ url: webhookUrl, deliveries: replays, warmUp: 0, concurrency: CONCURRENCY });
    const stats = summarise(first.latenciesMs, first.failures.length, first.seconds, first.failures[0]);
    const warmUpStats = summarise(warmUp.latenciesMs, warmUp.failures.length, warmUp.seconds, warmUp.failures[0]);

    const applyStarted = Date.now();
    const deadline = applyStarted + 10 * 60_000;
    for (;;) {
      const { rows } = await pool.query(
        `select (select count(*) from whatsapp_webhook_events where tenant_id = $1 and processed_at is null)::int as pending,
                (select count(*) from jobs where tenant_id = $1 and type = 'WHATSAPP_WEBHOOK' and status in ('PENDING', 'RUNNING'))::int as jobs`,
        [owner.tenantId],
      );
      if (rows[0].pending === 0 && rows[0].jobs === 0) break;
      if (Date.now() > deadline) throw new Error(`deliveries still pending after 10 minutes: ${JSON.stringify(rows[0])}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const appliedSeconds = (Date.now() - applyStarted) / 1000;
    const { rows: counted } = await pool.query(
      `select count(*)::int as messages, count(distinct wa_message_id)::int as distinct_ids
         from whatsapp_messages where tenant_id = $1 and direction = 'IN'`,
      [owner.tenantId],
    );
    const stored = counted[0] as { messages: number; distinct_ids: number };
    const lost = all.length - stored.distinct_ids;
    const doubled = stored.messages - stored.distinct_ids;
    log(
      `Acknowledged ${stats.requests} in ${stats.seconds.toFixed(1)} s (${stats.perSecond.toFixed(0)}/s), p50 ${stats.p50.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms; ` +
        `${replays.length} redeliveries (${second.failures.length} refused); warm-up p99 ${warmUpStats.p99.toFixed(1)} ms; all applied ${appliedSeconds.toFixed(1)} s after the last POST; ` +
        `${lost} lost, ${doubled} doubled.`,
    );
    const checks: Check[] = [
      {
        measure: 'WhatsApp webhook: acknowledged per second (concurrency 32)',
        value: stats.perSecond.toFixed(0),
        target: '≥ 1000',
        pass: stats.perSecond >= 1000,
      },
      { measure: 'WhatsApp webhook: p99 acknowledgement', value: `${stats.p99.toFixed(1)} ms`, target: '< 50 ms', pass: stats.p99 < 50 },
      {
        measure: 'WhatsApp webhook: events lost or applied twice (with 10 % redelivered)',
        value: `${lost + doubled + warmUp.failures.length + first.failures.length + second.failures.length}`,
        target: '0',
        pass: lost === 0 && doubled === 0 && warmUp.failures.length + first.failures.length + second.failures.length === 0,
      },
    ];
    return {
      checks,
      results: { warmUp: warmUpStats, acknowledgements: stats, redeliveries: replays.length, appliedSeconds, stored, lost, doubled },
    };
  } finally {
    await pool.end();
    await running.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
