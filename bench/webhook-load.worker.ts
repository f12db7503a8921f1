import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Agent, request } from 'undici';

/**
 * Runs in its own thread so the load generator does not share an event loop with the app:
 * `concurrency` callers POST the signed deliveries in order over keep-alive connections and time
 * each acknowledgement. Answers are the latencies and every status other than 200.
 */
export type WebhookLoadJob = { url: string; deliveries: { body: string; signature: string }[]; concurrency: number };
export type WebhookLoadResult = { latenciesMs: number[]; seconds: number; failures: string[] };

const job = workerData as WebhookLoadJob;
const dispatcher = new Agent({ connections: job.concurrency, pipelining: 1 });
const latenciesMs: number[] = [];
const failures: string[] = [];
let next = 0;

async function caller() {
  while (next < job.deliveries.length) {
    const { body, signature } = job.deliveries[next++];
    const started = performance.now();
    try {
      const res = await request(job.url, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        body,
      });
      await res.body.dump();
      latenciesMs.push(performance.now() - started);
      if (res.statusCode !== 200) failures.push(`HTTP ${res.statusCode}`);
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: job.concurrency }, caller));
const seconds = (performance.now() - started) / 1000;
await dispatcher.close();
parentPort!.postMessage({ latenciesMs, seconds, failures } satisfies WebhookLoadResult);
