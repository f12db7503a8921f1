import { randomInt, randomUUID } from 'node:crypto';
import { parse as parseCsvText } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { buildApp } from '../app.js';
import { startWorker } from '../jobs/worker.js';
import { loadConfig, type Config } from '../config/config.js';
import { openDatabase, runMigrations, type Database } from '../db/client.js';
import { devOutbox } from '../db/schema/index.js';
import type { Services } from '../http/services.js';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;

export type TestApp = { app: FastifyInstance; services: Services; database: Database; config: Config; close(): Promise<void> };

/**
 * A real app on a real database: PostgreSQL when TEST_DATABASE_URL/DATABASE_URL is set (migrated
 * once by the global setup; tests isolate themselves by creating their own users and tenants),
 * otherwise a fresh in-memory PGlite per test file. Without a worker (`worker: false`) jobs are
 * queued and never run, for tests that start jobs with inputs no outside service should see.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    APP_SECRET: 'test-secret-test-secret-test-secret-0000',
    DEV_OUTBOX: 'true',
    PUBLIC_URL: 'http://localhost:3000',
    // Each test client presents its own loopback address (see Client), so per-address limits of
    // the auth library are not shared by every test in the run.
    TRUST_PROXY: 'true',
    // Test files share one PostgreSQL database; each gets its own queue so that its worker runs
    // only the jobs it created, with its own settings (fake service URLs and the like).
    JOB_QUEUE_SCHEMA: `pgboss_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
    // Tests reach Meta only through a local fake; without one, Graph calls meet a closed loopback port.
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    ...(testDatabaseUrl ? { DATABASE_URL: testDatabaseUrl } : {}),
    ...env,
  });
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: 'memory://', poolSize: 4, timeouts: config.databaseTimeouts });
  if (database.driver === 'pglite') await runMigrations(database);
  const { app, services } = await buildApp({ config, database, checkResponses: true });
  await app.ready();
  const worker = options.worker === false ? null : await startWorker(services);
  const close = async () => {
    await worker?.stop();
    await app.close();
    if (database.driver === 'postgres') await database.executeSql(`drop schema if exists ${config.JOB_QUEUE_SCHEMA} cascade`);
    await database.close();
  };
  afterAll(close);
  return { app, services, database, config, close };
}

export type Reply<T = any> = {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The answer's bytes, for files. */
  raw: Buffer;
};

/** A browser-like client: keeps the session cookie between calls. */
export class Client {
  private cookies = new Map<string, string>();
  readonly ip = `127.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  constructor(private readonly app: FastifyInstance) {}

  /** `headers` add to or replace the browser's usual ones; an empty value leaves that header out. */
  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    // A Buffer is sent as it is (a file upload); anything else as JSON.
    const raw = Buffer.isBuffer(body);
    const all: Record<string, string> = {
      ...(body === undefined || raw ? {} : { 'content-type': 'application/json' }),
      origin: 'http://localhost:3000',
      'user-agent': 'optarget-tests',
      'x-forwarded-for': this.ip,
      cookie: this.cookieHeader,
      ...headers,
    };
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      payload: body === undefined ? undefined : raw ? body : JSON.stringify(body),
      headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== '')),
    });
    const setCookie = res.headers['set-cookie'];
    for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair, ...attrs] = c.split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim())) || value === '';
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    let parsed: unknown = res.body;
    try {
      parsed = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      /* not JSON: keep text */
    }
    return { status: res.statusCode, body: parsed as T, headers: res.headers as Reply['headers'], text: res.body, raw: res.rawPayload };
  }
  get = <T = any>(url: string) => this.request<T>('GET', url);
  post = <T = any>(url: string, body: unknown = {}) => this.request<T>('POST', url, body);
  put = <T = any>(url: string, body: unknown = {}) => this.request<T>('PUT', url, body);
  patch = <T = any>(url: string, body: unknown = {}) => this.request<T>('PATCH', url, body);
  delete = <T = any>(url: string) => this.request<T>('DELETE', url);
  get hasSession() {
    return [...this.cookies.keys()].some((k) => k.includes('session_token'));
  }
  /** The Cookie header this client sends, for a raw request (a multipart upload). */
  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  /** The session token in the session cookie (`<token>.<signature>`), as the server stores it. */
  get sessionTokens(): string[] {
    return [...this.cookies].filter(([k]) => k.includes('session_token')).map(([, v]) => decodeURIComponent(v).split('.')[0]);
  }
}

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}@example.test`;
export const PASSWORD = 'correct horse battery';

export type SignedUpUser = { client: Client; user: { id: string; name: string; email: string }; tenantId: string; email: string };

/** Signs up a new person (who becomes OWNER of their own tenant) and returns their signed-in client. */
export async function signUp(t: TestApp, opts: { name?: string; email?: string; password?: string } = {}): Promise<SignedUpUser> {
  const client = new Client(t.app);
  const email = opts.email ?? uniqueEmail();
  const password = opts.password ?? PASSWORD;
  const res = await client.post('/api/auth/sign-up/email', { name: opts.name ?? 'Test User', email, password });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  await completeSignUp(t, client, email, password);
  const me = await client.get('/api/v1/me');
  return { client, user: me.body.user, tenantId: me.body.memberships[0].tenantId, email };
}

/**
 * A new account is signed in by the link emailed to it, as a person would open it; an account made
 * from an invitation (whose link proved the address) signs in with its password.
 */
export async function completeSignUp(t: TestApp, client: Client, email: string, password = PASSWORD) {
  const link = linkIn((await lastEmailTo(t, email))?.text ?? '');
  const res = link?.includes('/verify-email?')
    ? await client.get(link.replace(t.config.publicUrl, ''))
    : await client.post('/api/auth/sign-in/email', { email, password });
  if (!client.hasSession) throw new Error(`sign-up could not be completed: ${res.status} ${res.text}`);
}

/** The newest email sent to `to` (emails go to the development outbox in tests). */
export async function lastEmailTo(t: TestApp, to: string) {
  const [row] = await t.database.db
    .select()
    .from(devOutbox)
    .where(eq(devOutbox.to, to.toLowerCase()))
    .orderBy(desc(devOutbox.createdAt))
    .limit(1);
  return row ?? null;
}

export const linkIn = (text: string) => text.match(/https?:\/\/\S+/)?.[0] ?? null;

/** Rows of cells of a CSV answer (RFC 4180), as a spreadsheet would read them. */
export const parseCsv = (text: string): string[][] => parseCsvText(text);
