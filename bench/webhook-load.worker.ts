import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Agent, request } from 'undici';

/**
 * Runs in its own thread so the load generator does not share an event loop with the app:
 * `concurrency` callers POST the signed deliveries in order over keep-alive connections and time
 * each acknowledgement. The first `warmUp` deliveries are timed apart, and the load does not pause
 * between them and the rest. Answers are the latencies and every status other than 200.
 */
export type WebhookLoadJob = { url: string; deliveries: { body: string; signature: string }[]; warmUp: number; concurrency: number };
export type WebhookLoadPart = { latenciesMs: number[]; seconds: number; failures: string[] };
export type WebhookLoadResult = { warmUp: WebhookLoadPart; timed: WebhookLoadPart };

const job = workerData as WebhookLoadJob;
const dispatcher = new Agent({ connections: job.concurrency, pipelining: 1 });
const part = (): WebhookLoadPart & { startedAt?: number } => ({ latenciesMs: [], seconds: 0, failures: [] });
const warmUp = part();
const timed = part();
let next = 0;

async function caller() {
  while (next < job.deliveries.length) {
    const index = next++;
    const { body, signature } = job.deliveries[index];
    const into = index < job.warmUp ? warmUp : timed;
    const started = performance.now();
    into.startedAt ??= started;
    try {
      const res = await request(job.url, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        body,
      });
      await res.body.dump();
      into.latenciesMs.push(performance.now() - started);
      if (res.statusCode !== 200) into.failures.push(`HTTP ${res.statusCode}`);
    } catch (err) {
      into.failures.push((err as Error).message);
    }
    into.seconds = Math.max(into.seconds, (performance.now() - into.startedAt) / 1000);
  }
}

await Promise.all(Array.from({ length: job.concurrency }, caller));
await dispatcher.close();
parentPort!.postMessage({ warmUp, timed } satisfies WebhookLoadResult);
