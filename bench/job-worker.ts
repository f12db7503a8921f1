// Bench-only: a job worker process as `npm run start:worker` runs it (queue + consumers, no HTTP),
// plus BENCH_NOOP, a job type that does nothing, so queue throughput measures the engine itself.
import pino from 'pino';
import { createAuth } from '../server/src/auth/auth.js';
import { loadConfig } from '../server/src/config/config.js';
import { openDatabase } from '../server/src/db/client.js';
import { createMailer } from '../server/src/email/mailer.js';
import { jobDefinitions } from '../server/src/job-definitions.js';
import { startJobQueue } from '../server/src/jobs/queue.js';
import { registerJobs, registeredJobs } from '../server/src/jobs/registry.js';
import { startWorker } from '../server/src/jobs/worker.js';

registerJobs([
  ...jobDefinitions,
  {
    type: 'BENCH_NOOP',
    // A short job that waits on nothing: one process runs many at once, as such types should.
    concurrency: 64,
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    timeoutSeconds: 60,
    handler: async () => ({ run: async () => ({}) }),
  },
]);

const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL!, dataDir: 'unused' });
const log = pino({ level: config.LOG_LEVEL });
const mailer = createMailer(config, database.db, log);
const queue = await startJobQueue(database, config, log, registeredJobs());
const services = { config, database, db: database.db, mailer, log, queue, auth: createAuth({ config, db: database.db, mailer }) };
const worker = await startWorker(services);
console.log('bench worker ready');

const stop = async () => {
  await worker.stop();
  await queue.stop();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
