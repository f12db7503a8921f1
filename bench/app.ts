import path from 'node:path';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config/config.js';
import { openDatabase, runMigrations, type Database } from '../server/src/db/client.js';
import { loggerOptions } from '../server/src/logging.js';
import { startWorker } from '../server/src/jobs/worker.js';
import type { Services } from '../server/src/http/services.js';
import { APP_ORIGIN } from './http-client.js';

export type RunningApp = {
  app: FastifyInstance;
  services: Services;
  database: Database;
  baseUrl: string;
  logFile: string;
  close(): Promise<void>;
};

/**
 * The real app as `npm start` runs it (API and job worker in one process, default pool size), on
 * the bench database, listening on a free loopback port. It logs at info level, as production
 * does, into a file so request lines cost what they cost without flooding the results. `env` adds
 * settings, such as the URL of a local stand-in for an outside service.
 */
export async function startBenchApp(databaseUrl: string, workDir: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({
    // As the test harness: better-auth's per-address rate limit is off so the bench can sign up its owners from one address.
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    APP_SECRET: 'bench-secret-bench-secret-bench-secret-00',
    PUBLIC_URL: APP_ORIGIN,
    DEV_OUTBOX: 'true',
    // Each bench client presents its own loopback address (BenchClient), so per-address limits such as sign-ups per hour are not shared by all owners.
    TRUST_PROXY: 'true',
    LOG_LEVEL: 'info',
    ...env,
  });
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: 'unused', timeouts: config.databaseTimeouts });
  await runMigrations(database);
  const logFile = path.join(workDir, 'app.log');
  const logger = pino(loggerOptions(config) as pino.LoggerOptions, pino.destination({ dest: logFile, sync: false }));
  const { app, services } = await buildApp({ config, database, logger });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('the app did not report its port');
  const worker = await startWorker(services);
  return {
    app,
    services,
    database,
    baseUrl: `http://127.0.0.1:${address.port}`,
    logFile,
    close: async () => {
      await worker.stop();
      await app.close();
      await database.close();
    },
  };
}
