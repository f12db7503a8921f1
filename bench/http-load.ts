import { Worker } from 'node:worker_threads';
import type { LoadSamples } from './load.js';
import type { HttpLoadJob } from './http-load.worker.js';

// Node 20 workers do not inherit the parent's tsx loader: register it, then load the TypeScript worker.
const workerBootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(
  new URL('./http-load.worker.ts', import.meta.url).href,
)}); });`;

/** Load of one GET path over real HTTP with a keep-alive agent, generated from a worker thread. */
export function runHttpLoad(job: HttpLoadJob): Promise<LoadSamples> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerBootstrap, { eval: true, workerData: job });
    worker.once('message', (samples: LoadSamples) => resolve(samples));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load worker exited with ${code}`))));
  });
}
