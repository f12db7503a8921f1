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
  APP_SECRET: z.string().min(32, 'must be at least 32 characters (generate one with `openssl rand -hex 32`)').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  EMAIL_FROM: z.string().min(3).default('OpTarget <no-reply@optarget.local>'),
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
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
  OSM_USER_AGENT: z.string().min(3).optional(),
  DEV_OUTBOX: bool,
});

export type Config = z.infer<typeof schema> & {
  publicUrl: string;
  appSecret: string;
  devOutboxEnabled: boolean;
  osmUserAgent: string;
  crawlerUserAgent: string;
};

/** Reads and validates the environment; a bad value stops start-up with one line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && !c.APP_SECRET) {
    throw new ConfigError('Invalid configuration:\n  APP_SECRET: required in production (at least 32 characters)');
  }
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, '');
  return {
    ...c,
    publicUrl,
    osmUserAgent: c.OSM_USER_AGENT ?? `OpTarget/1.0 (+${publicUrl})`,
    crawlerUserAgent: c.CRAWLER_USER_AGENT ?? `OpTargetBot/1.0 (+${publicUrl})`,
    // A fixed development secret keeps `npm start` zero-configuration; production must set its own.
    appSecret: c.APP_SECRET ?? 'optarget-development-secret-change-me-0000',
    devOutboxEnabled: c.DEV_OUTBOX ?? (!c.SMTP_URL && c.NODE_ENV !== 'production'),
  };
}

export class ConfigError extends Error {}
