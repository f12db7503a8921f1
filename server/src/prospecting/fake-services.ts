// Test-only: local HTTP servers on 127.0.0.1 that answer like Nominatim, Overpass and Google Places
// (formats from the fixtures next to this file), record every request, and can be told to fail.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, any>;
export const fixtures = {
  nominatim: fixture('nominatim-search-response.json') as unknown as Record<string, any>[],
  /** `GET /reverse?…&format=jsonv2&zoom=3&addressdetails=1`: the country at a point. */
  nominatimReverse: fixture('nominatim-reverse-response.json'),
  overpass: fixture('overpass-response.json'),
  overpassRemark: fixture('overpass-timeout-remark.json'),
  googleSearchText: fixture('search-text-response.json'),
  googleMissingFieldMask: fixture('error-missing-field-mask.json'),
};

export type RecordedRequest = { method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers']; body: string };
export type FakeAnswer = { status: number; body: string; contentType?: string };

const json = (body: unknown, status = 200): FakeAnswer => ({ status, body: JSON.stringify(body), contentType: 'application/json' });
export const answers = {
  json,
  overpassOk: () => json(fixtures.overpass),
  overpassRemark: () => json(fixtures.overpassRemark),
  tooManyRequests: (): FakeAnswer => ({ status: 429, body: '<html><body>Too Many Requests</body></html>', contentType: 'text/html' }),
  htmlError: (): FakeAnswer => ({
    status: 200,
    body: '<?xml version="1.0"?><html><body><p><strong style="color:#FF0000">Error</strong>: line 1: parse error</p></body></html>',
    contentType: 'text/html',
  }),
  googleError: (code: number, status: string, message: string) => json({ error: { code, status, message } }, code),
};

/**
 * One server playing all three services, each under its own path prefix. Answers come from queues
 * set by the test (`overpass.push(...)`); an empty queue gives the service's normal fixture answer.
 */
export class FakeServices {
  readonly requests: RecordedRequest[] = [];
  readonly overpass: FakeAnswer[] = [];
  readonly nominatim: FakeAnswer[] = [];
  readonly google: FakeAnswer[] = [];
  private server!: Server;
  baseUrl = '';

  static async start() {
    const fake = new FakeServices();
    fake.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const recorded = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        fake.requests.push(recorded);
        const answer = fake.answer(recorded);
        res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Configuration pointing the app's clients at this server. */
  get env() {
    return {
      NOMINATIM_URL: `${this.baseUrl}/nominatim`,
      OVERPASS_URL: `${this.baseUrl}/overpass/api/interpreter`,
      GOOGLE_PLACES_URL: `${this.baseUrl}/google`,
    };
  }

  requestsTo(prefix: '/nominatim' | '/overpass' | '/google') {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  private answer(req: RecordedRequest): FakeAnswer {
    if (req.path === '/nominatim/search') return this.nominatim.shift() ?? json(fixtures.nominatim);
    if (req.path === '/nominatim/reverse') return this.nominatim.shift() ?? json(fixtures.nominatimReverse);
    if (req.path === '/overpass/api/interpreter' && req.method === 'POST') return this.overpass.shift() ?? json(fixtures.overpass);
    if (req.path.startsWith('/google/v1/places:')) {
      if (!req.headers['x-goog-fieldmask']) return json(fixtures.googleMissingFieldMask, 400);
      return this.google.shift() ?? json(fixtures.googleSearchText);
    }
    return { status: 404, body: 'not found', contentType: 'text/plain' };
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
