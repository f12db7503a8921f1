import type { Logger } from 'pino';
import type { Auth } from '../auth/auth.js';
import type { Config } from '../config/config.js';
import type { Database, Db } from '../db/client.js';
import type { Mailer } from '../email/mailer.js';
import type { JobQueue } from '../jobs/queue.js';

/** What route and job handlers need from the running process, passed explicitly. */
export type Services = {
  config: Config;
  database: Database;
  db: Db;
  auth: Auth;
  mailer: Mailer;
  queue: JobQueue;
  log: Logger;
};
