import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

export type FarmSite = {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** Paths requested, in order (robots.txt included). */
  requests: string[];
  userAgents: string[];
  pages(): string[];
};

type Handler = (req: IncomingMessage, res: ServerResponse, site: FarmSite) => void | Promise<void>;

/**
 * A local website: a node:http server on 127.0.0.1 (never any other address) that records every
 * request it receives. Without a robots.txt route it answers 404 there, which means "no rules".
 */
export async function farmSite(routes: Record<string, Handler>, fallback?: Handler): Promise<FarmSite> {
  const site: FarmSite = {
    origin: '',
    port: 0,
    requests: [],
    userAgents: [],
    pages: () => site.requests.filter((p) => p !== '/robots.txt'),
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://farm').pathname;
    site.requests.push(path);
    site.userAgents.push(String(req.headers['user-agent']));
    const handler = routes[path] ?? fallback;
    if (handler) return void Promise.resolve(handler(req, res, site)).catch(() => res.destroy());
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.port = (server.address() as AddressInfo).port;
  site.origin = `http://127.0.0.1:${site.port}`;
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return site;
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
