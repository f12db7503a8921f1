// Test-only: a job worker in a process of its own, as `npm run start:worker` runs one (the queue and
// the consumers, no HTTP), so tests can SIGKILL it mid-job or run two side by side on PostgreSQL.
//
//   node --import tsx server/src/jobs/test-worker-process.ts
//
// Configuration comes from the environment like the real worker's (DATABASE_URL, JOB_QUEUE_SCHEMA,
// WORKER_CONCURRENCY, service URLs…). TEST_WORKER_LABEL names the process: every delivery it takes
// is announced on stdout as a JSON line `{"event":"run","worker":…,"jobId":…,"type":…}`, which is
// how a test tells which process ran which job (the database does not record it).
import pino from 'pino';
import { createAuth } from '../auth/auth.js';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/client.js';
import { createMailer } from '../email/mailer.js';
import { startJobQueue } from './queue.js';
import { jobDefinitions } from '../job-definitions.js';
import type { AnyJobDefinition } from './definitions.js';
import { registerJobs, registeredJobs } from './registry.js';
import { startWorker } from './worker.js';

const label = process.env.TEST_WORKER_LABEL ?? `worker-${process.pid}`;
const announce = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ worker: label, ...line })}\n`);

const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('the test worker process needs DATABASE_URL (PGlite serves one process only)');
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: 'unused', timeouts: config.databaseTimeouts });
const log = pino({ level: config.LOG_LEVEL });
registerJobs(
  jobDefinitions.map((def: AnyJobDefinition): AnyJobDefinition => ({
    ...def,
    handler: async () => {
      const handler = await def.handler();
      return {
        run: (job, input) => {
          announce({ event: 'run', jobId: job.jobId, type: def.type, attempt: job.attempt });
          return handler.run(job, input);
        },
      };
    },
  })),
);
const mailer = createMailer(config, database.db, log);
const queue = await startJobQueue(database, config, log, registeredJobs());
const services = { config, database, db: database.db, mailer, log, queue, auth: createAuth({ config, db: database.db, mailer }) };
const worker = await startWorker(services);
announce({ event: 'ready', pid: process.pid });

const stop = async () => {
  await worker.stop();
  await queue.stop();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
