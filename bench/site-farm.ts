import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Small websites on 127.0.0.1, one port each (the crawler takes turns per host:port, as it would per
 * real host): robots.txt allowing everything, a home page linking to a contact page, and the
 * contact page with an email and a phone. Counts every request.
 */
export type SiteFarm = { urls: string[]; requests(): number; close(): Promise<void> };

const page = (n: number, title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${title}</title><meta name="description" content="Farm site ${n}, a bench business."></head><body>${body}` +
  `<footer>© 2019 Farm Site ${n}</footer></body></html>`;

export async function startSiteFarm(count: number): Promise<SiteFarm> {
  let requests = 0;
  const servers: Server[] = [];
  for (let n = 1; n <= count; n++) {
    const server = createServer((req, res) => {
      requests++;
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path === '/robots.txt') return res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
      const html = { 'content-type': 'text/html; charset=utf-8' };
      if (path === '/')
        return res.writeHead(200, html).end(page(n, `Farm Site ${n}`, `<h1>Farm Site ${n}</h1><a href="/contact">Contact us</a>`));
      if (path === '/contact')
        return res
          .writeHead(200, html)
          .end(
            page(
              n,
              'Contact',
              `<a href="mailto:hello@farm-${n}.example.com">Email</a> <a href="tel:+966114567${String(n).padStart(3, '0')}">Call</a>`,
            ),
          );
      res.writeHead(404, html).end('<h1>Not found</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return {
    urls: servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/`),
    requests: () => requests,
    close: async () => {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}
