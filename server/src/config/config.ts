import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url({ message: 'must be a URL such as https://optarget.example.com' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(25_000),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters (generate one with `openssl rand -hex 32`)').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  EMAIL_FROM: z.string().min(3).default('OpTarget <no-reply@optarget.local>'),
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  SIGN_IN_MAX_ACCOUNT_FAILURES: z.coerce.number().int().min(1).default(25),
  SIGN_IN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  JOB_QUEUE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('pgboss'),
  TRUST_PROXY: bool,
  CRAWLER_ALLOW_PRIVATE: bool,
  CRAWLER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  CRAWLER_USER_AGENT: z.string().min(3).optional(),
  CRAWLER_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  CRAWLER_HOST_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  NOMINATIM_URL: z.url().default('https://nominatim.openstreetmap.org'),
  OVERPASS_URL: z.url().default('https://overpass-api.de/api/interpreter'),
  GOOGLE_PLACES_URL: z.url().default('https://places.googleapis.com'),
  WHATSAPP_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  WHATSAPP_GRAPH_VERSION: z
    .string()
    .regex(/^v\d{1,3}\.\d$/, 'must be a Graph API version such as v23.0')
    .default('v23.0'),
  OSM_USER_AGENT: z.string().min(3).optional(),
  DEV_OUTBOX: bool,
});

export type Config = z.infer<typeof schema> & {
  publicUrl: string;
  appSecret: string;
  devOutboxEnabled: boolean;
  /** Origins whose pages may make state-changing requests (PUBLIC_URL's, and 127.0.0.1 beside localhost when it is unset). */
  trustedOrigins: string[];
  /** NODE_ENV is not production and PUBLIC_URL is a loopback address: the app is only reachable as the developer's own. */
  localDevelopment: boolean;
  osmUserAgent: string;
  crawlerUserAgent: string;
  databaseTimeouts: DatabaseTimeouts;
};

/** How long PostgreSQL may take to accept a connection, run one statement, and sit idle inside a transaction (0 = no limit). */
export type DatabaseTimeouts = { connectMs: number; statementMs: number; idleInTransactionMs: number };

/** Reads and validates the environment; a bad value stops start-up with one line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, '');
  const localDevelopment = c.NODE_ENV !== 'production' && isLoopbackHost(new URL(publicUrl).hostname);
  const problems: string[] = [];
  if (!localDevelopment && (!c.APP_SECRET || c.APP_SECRET === DEVELOPMENT_SECRET)) {
    problems.push(
      `APP_SECRET: ${c.APP_SECRET ? 'is the public development value' : 'is required'} when ${c.NODE_ENV === 'production' ? 'NODE_ENV=production' : `PUBLIC_URL (${publicUrl}) is not a localhost address`}; anyone who knows the development value could forge sessions. Set at least 32 random characters (openssl rand -hex 32)`,
    );
  }
  if (c.DEV_OUTBOX === true && !localDevelopment) {
    problems.push(
      'DEV_OUTBOX: the development outbox shows password-reset links, so it is only for a local setup (NODE_ENV not production, PUBLIC_URL on localhost)',
    );
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const origin = new URL(publicUrl).origin;
  return {
    ...c,
    publicUrl,
    localDevelopment,
    trustedOrigins: c.PUBLIC_URL ? [origin] : [origin, origin.replace('localhost', '127.0.0.1')],
    osmUserAgent: c.OSM_USER_AGENT ?? `OpTarget/1.0 (+${publicUrl})`,
    crawlerUserAgent: c.CRAWLER_USER_AGENT ?? `OpTargetBot/1.0 (+${publicUrl})`,
    databaseTimeouts: {
      connectMs: c.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionMs: c.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    // A fixed development secret keeps `npm start` zero-configuration on the developer's own machine only.
    appSecret: c.APP_SECRET ?? DEVELOPMENT_SECRET,
    devOutboxEnabled: localDevelopment && !c.SMTP_URL && (c.DEV_OUTBOX ?? true),
  };
}

const DEVELOPMENT_SECRET = 'optarget-development-secret-change-me-0000';

/** localhost, 127.0.0.0/8 or ::1 (as URL hostnames spell them). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
}

export class ConfigError extends Error {}
