import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { seedOptedInList } from '../server/src/whatsapp/campaigns/test-helpers.js';
import { startBenchApp } from './app.js';
import { signUpOwner } from './http-client.js';
import type { Check } from './report.js';

const okAnswer = readFileSync(new URL('../server/src/whatsapp/fixtures/send-response-ok.json', import.meta.url), 'utf8');
const RATES = [20, 80];
/** Each run sends for about 15 seconds at its rate. */
const SECONDS_PER_RUN = 15;
const RUN_TIMEOUT_MS = 3 * 60_000;

/** Meta's send endpoint on 127.0.0.1: answers every send with send-response-ok.json and notes when each arrived, for whom. */
async function startGraph() {
  const arrivals: { at: number; to: string }[] = [];
  let sequence = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { to?: string };
      arrivals.push({ at: performance.now(), to: String(body.to) });
      const answer = JSON.parse(okAnswer) as { messages: { id: string }[] };
      answer.messages[0] = { id: `wamid.CAMPAIGNBENCH${++sequence}` };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, arrivals, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Campaign sending (issue 19): a campaign to an opted-in list against a local Graph API at 20 and
 * at 80 messages per second. The rate is what Meta's side saw, from its first to its last send;
 * each recipient must have been sent exactly once.
 */
export async function runCampaignBenchmark(url: string, log: (line: string) => void) {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'optarget-bench-campaign-'));
  const graph = await startGraph();
  const running = await startBenchApp(url, workDir, { WHATSAPP_GRAPH_URL: graph.url });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const checks: Check[] = [];
  const results: Record<string, unknown> = {};
  try {
    const owner = await signUpOwner(running.baseUrl, 'Campaign Owner', `campaign-owner-${Date.now()}@example.test`);
    const api = `/api/v1/tenants/${owner.tenantId}`;
    await pool.query(`update tenants set plan_code = 'business' where id = $1`, [owner.tenantId]);
    await owner.client.expect(200, 'PATCH', `${api}/settings/whatsapp`, {
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
      accessToken: 'EAAGbenchaccesstoken0123456789',
      appSecret: 'bench_campaign_app_secret',
    });
    const {
      rows: [template],
    } = await pool.query(
      `insert into whatsapp_templates (tenant_id, name, language, category, status, components)
       values ($1, 'order_confirmation', 'en_US', 'UTILITY', 'APPROVED', $2) returning id`,
      [owner.tenantId, JSON.stringify([{ type: 'BODY', text: 'Hi {{1}}! Your order number is {{2}}.' }])],
    );
    let offset = 0;
    for (const rate of RATES) {
      const count = rate * SECONDS_PER_RUN;
      const listId = await seedOptedInList((text, values) => pool.query(text, values), owner.tenantId, count, offset);
      offset += count;
      const campaign = await owner.client.expect(201, 'POST', `${api}/whatsapp/campaigns`, {
        name: `Bench at ${rate}/s`,
        listId,
        templateId: template.id,
        parameters: [
          { source: 'field', field: 'name' },
          { source: 'field', field: 'city' },
        ],
        ratePerSecond: rate,
      });
      const before = graph.arrivals.length;
      await owner.client.expect(200, 'POST', `${api}/whatsapp/campaigns/${campaign.id}/start`);
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      let status = '';
      while (Date.now() < deadline) {
        status = (await owner.client.expect(200, 'GET', `${api}/whatsapp/campaigns/${campaign.id}`)).status;
        if (status !== 'RUNNING') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const sends = graph.arrivals.slice(before);
      const seconds = sends.length > 1 ? (sends.at(-1)!.at - sends[0].at) / 1000 : 0;
      const measured = seconds ? (sends.length - 1) / seconds : 0;
      const duplicates = sends.length - new Set(sends.map((s) => s.to)).size;
      const deviation = Math.abs(measured - rate) / rate;
      log(
        `${rate}/s: ${status}, ${sends.length} of ${count} sent in ${seconds.toFixed(1)} s = ${measured.toFixed(1)}/s ` +
          `(${(deviation * 100).toFixed(1)} % off), ${duplicates} duplicate(s).`,
      );
      checks.push(
        {
          measure: `WhatsApp campaign: send rate at ${rate}/s configured`,
          value: `${measured.toFixed(1)}/s`,
          target: `within 5 % (${(rate * 0.95).toFixed(1)}–${(rate * 1.05).toFixed(1)})`,
          pass: deviation <= 0.05 && status === 'COMPLETED' && sends.length === count,
        },
        { measure: `WhatsApp campaign: duplicate sends at ${rate}/s`, value: String(duplicates), target: '0', pass: duplicates === 0 },
      );
      results[`rate${rate}`] = { status, sent: sends.length, expected: count, seconds, measured, duplicates };
    }
    return { checks, results };
  } finally {
    await pool.end();
    await running.close();
    await graph.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
