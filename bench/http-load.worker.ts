import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { runLoad, type LoadPlan } from './load.js';
import { APP_ORIGIN } from './http-client.js';

/**
 * Runs in its own thread so the load generator does not share an event loop with the app it
 * measures: latencies then include the app's queueing, not the client's.
 */
export type HttpLoadJob = { baseUrl: string; path: string; cookie: string; plan: LoadPlan };

const job = workerData as HttpLoadJob;
const agent = new http.Agent({ keepAlive: true, maxSockets: job.plan.concurrency });
const url = new URL(job.path, job.baseUrl);

const get = () =>
  new Promise<void>((resolve, reject) => {
    const req = http.get(url, { agent, headers: { cookie: job.cookie, origin: APP_ORIGIN, accept: 'application/json' } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => (res.statusCode === 200 && bytes > 0 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timed out after 30 s')));
    req.on('error', reject);
  });

const stats = await runLoad(get, job.plan);
agent.destroy();
parentPort!.postMessage(stats);
