import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import { trackConnections, type ConnectionDrain } from './http/drain.js';
import { ConfigError, loadConfig } from './config/config.js';
import { openDatabase, runMigrations } from './db/client.js';
import { startWorker, type Worker } from './jobs/worker.js';
import { startJobQueue } from './jobs/queue.js';
import { registerJobs, registeredJobs } from './jobs/registry.js';
import { jobDefinitions } from './job-definitions.js';
import { closeCrawlerFor } from './enrichment/crawler/crawler.js';
import { createAuth } from './auth/auth.js';
import { createMailer } from './email/mailer.js';
import pino from 'pino';

type Mode = 'all' | 'api' | 'worker';

async function main() {
  const mode = (process.argv[2] ?? 'all') as Mode;
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  if (mode !== 'all' && !config.DATABASE_URL) {
    console.error(`Running the ${mode} on its own needs DATABASE_URL: the embedded database serves one process only. Use \`npm start\`.`);
    process.exit(1);
  }

  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, timeouts: config.databaseTimeouts });
  await runMigrations(database);

  const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
  let worker: Worker | null = null;
  let stopApi: (() => Promise<void>) | null = null;
  let connections: ConnectionDrain | null = null;

  if (mode === 'all' || mode === 'api') {
    const { app, services } = await buildApp({ config, database, webDist });
    connections = trackConnections(app.server);
    await app.listen({ port: config.PORT, host: config.HOST });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    console.log(
      `OpTarget is running at http://localhost:${port} (${database.driver === 'pglite' ? `embedded database in ${config.DATA_DIR}` : 'PostgreSQL'})`,
    );
    if (mode === 'all') worker = await startWorker(services);
    stopApi = () => app.close();
  } else {
    const log = pino({ level: config.LOG_LEVEL });
    const mailer = createMailer(config, database.db, log);
    registerJobs(jobDefinitions);
    const queue = await startJobQueue(database, config, log, registeredJobs());
    const services = { config, database, db: database.db, mailer, log, queue, auth: createAuth({ config, db: database.db, mailer }) };
    const consumer = await startWorker(services);
    worker = {
      stop: (waitMs) =>
        consumer
          .stop(waitMs)
          .then(() => queue.stop())
          .then(() => closeCrawlerFor(config)),
    };
    console.log('OpTarget worker is running');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing in-flight work`);
    const force = setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS + 5000).unref();
    try {
      await Promise.all([
        connections?.drain(config.SHUTDOWN_TIMEOUT_MS), // no new connections; open ones finish their request
        worker?.stop(config.SHUTDOWN_TIMEOUT_MS), // no new jobs; running ones stop at their next check and go back to the queue
      ]);
      await stopApi?.(); // the queue and the listeners of the API
      await database.close();
      clearTimeout(force);
      process.exit(0);
    } catch (err) {
      console.error(err);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
