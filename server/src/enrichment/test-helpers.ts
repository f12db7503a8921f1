import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createSecureServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, expect } from 'vitest';
import { leads } from '../db/schema/index.js';
import type { SignedUpUser, TestApp } from '../test/harness.js';

export type FarmSite = {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** https://127.0.0.1:<port> when the site also speaks TLS (on the same port), else null. */
  httpsOrigin: string | null;
  port: number;
  /** Paths requested, in order (robots.txt included). */
  requests: string[];
  /** The same requests as full URLs, so HTTP and HTTPS requests can be told apart. */
  urls: string[];
  userAgents: string[];
  /** TLS handshakes the client broke off (it did not accept the certificate). */
  refusedHandshakes: number;
  pages(): string[];
};

type Handler = (req: IncomingMessage, res: ServerResponse, site: FarmSite) => void | Promise<void>;

/** A certificate and its key, in PEM. */
export type FarmCertificate = { key: string; cert: string };

const fixture = (name: string) => readFileSync(new URL(`./testdata/tls/${name}`, import.meta.url), 'utf8');

/** Test-only certificates (see testdata/tls/README.md); no crawler outside the tests trusts `ca`. */
export const testTls = {
  /** The test CA; a crawler trusts it only when a test passes it in extraCaCertificates. */
  ca: fixture('ca.pem'),
  /** Signed by the test CA, for localhost and 127.0.0.1. */
  localhost: { key: fixture('localhost.key'), cert: fixture('localhost.pem') } satisfies FarmCertificate,
  /** Self-signed, for localhost and 127.0.0.1. */
  selfSigned: { key: fixture('self-signed.key'), cert: fixture('self-signed.pem') } satisfies FarmCertificate,
};

/**
 * A local website: a node:http server on 127.0.0.1 (never any other address) that records every
 * request it receives. Without a robots.txt route it answers 404 there, which means "no rules".
 * With `tls`, the same port also speaks HTTPS, as the crawler's fallback from a broken HTTPS
 * address to HTTP keeps the port: the first byte of a connection (0x16 opens a TLS handshake)
 * decides which server gets it.
 */
export async function farmSite(
  routes: Record<string, Handler>,
  fallback?: Handler,
  options: { tls?: FarmCertificate } = {},
): Promise<FarmSite> {
  const site: FarmSite = {
    origin: '',
    httpsOrigin: null,
    port: 0,
    requests: [],
    urls: [],
    userAgents: [],
    refusedHandshakes: 0,
    pages: () => site.requests.filter((p) => p !== '/robots.txt'),
  };
  const respond = (req: IncomingMessage, res: ServerResponse) => {
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    const path = new URL(req.url ?? '/', 'http://farm').pathname;
    site.requests.push(path);
    site.urls.push(`${scheme}://127.0.0.1:${site.port}${path}`);
    site.userAgents.push(String(req.headers['user-agent']));
    const handler = routes[path] ?? fallback;
    if (handler) return void Promise.resolve(handler(req, res, site)).catch(() => res.destroy());
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
  const plain = createServer(respond);
  const secure = options.tls ? createSecureServer(options.tls, respond) : null;
  secure?.on('tlsClientError', () => site.refusedHandshakes++);
  const listener = secure ? createNetServer((socket) => handOver(socket, plain, secure)) : plain;

  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  site.port = (listener.address() as AddressInfo).port;
  site.origin = `http://127.0.0.1:${site.port}`;
  if (secure) site.httpsOrigin = `https://127.0.0.1:${site.port}`;
  afterAll(async () => {
    for (const server of [plain, secure]) server?.closeAllConnections();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });
  return site;
}

/** Gives a fresh connection to the HTTPS server when its first byte opens a TLS handshake, else to the HTTP one. */
function handOver(socket: Socket, plain: Server, secure: Server) {
  // A client that hangs up before its first byte must not crash the test run (no server owns the socket yet).
  socket.on('error', () => socket.destroy());
  socket.once('data', (first: Buffer) => {
    socket.pause();
    socket.unshift(first);
    (first[0] === 0x16 ? secure : plain).emit('connection', socket);
    process.nextTick(() => socket.resume());
  });
}

export const html =
  (body: string, headers: Record<string, string> = {}, status = 200): Handler =>
  (_req, res) =>
    void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);

export const bytes =
  (body: Buffer, contentType: string): Handler =>
  (_req, res) =>
    void res.writeHead(200, { 'content-type': contentType }).end(body);

export const redirect =
  (location: string | ((site: FarmSite) => string), status = 302): Handler =>
  (_req, res, site) =>
    void res.writeHead(status, { location: typeof location === 'string' ? location : location(site) }).end();

export const robots =
  (text: string, status = 200): Handler =>
  (_req, res) =>
    void res.writeHead(status, { 'content-type': 'text/plain' }).end(text);

/** A full, well-kept page: title, description, viewport, a social link. */
export const goodPage = (extra = '') => `<!doctype html><html><head><title>Good Dental</title>
<meta name="description" content="A good dentist"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Good Dental</h1><a href="https://www.instagram.com/gooddental/">Instagram</a>${extra}<footer>© ${new Date().getFullYear()} Good Dental</footer></body></html>`;

export type LeadSeed = Partial<typeof leads.$inferInsert>;

/** A lead written straight to the database, as a search or an import would leave it. */
export async function insertLead(t: TestApp, tenantId: string, seed: LeadSeed = {}) {
  const [row] = await t.database.db
    .insert(leads)
    .values({ tenantId, name: 'Lead', ...seed })
    .returning();
  return row;
}

const ended = (job: { status: string }) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status);

export async function waitForJob(who: SignedUpUser, jobId: string) {
  const deadline = Date.now() + 25_000;
  for (;;) {
    const res = await who.client.get(`/api/v1/tenants/${who.tenantId}/jobs/${jobId}`);
    if (ended(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts an enrichment as the UI does and waits for it to end. */
export async function enrich(who: SignedUpUser, body: unknown) {
  const res = await who.client.post(`/api/v1/tenants/${who.tenantId}/enrichments`, body);
  expect(res.status, res.text).toBe(202);
  return waitForJob(who, res.body.id);
}
