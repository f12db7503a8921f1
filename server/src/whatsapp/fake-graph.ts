// Test-only: a local HTTP server on 127.0.0.1 that plays Meta's Graph API for WhatsApp in the
// formats of the fixtures beside this file, records every request, and can be told to fail.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, any>;

export type RecordedRequest = { method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers']; body: any };
export type FakeAnswer = { status: number; body: unknown };

/** JSON as JSON; a multipart upload (the media endpoint) as its fields, the file as a `File`. */
async function parseBody(contentType: string | undefined, raw: Buffer): Promise<any> {
  if (!raw.length) return null;
  if (!contentType?.startsWith('multipart/form-data')) return JSON.parse(raw.toString('utf8'));
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, FormDataEntryValue> = {};
  form.forEach((value, key) => (fields[key] = value));
  return fields;
}

/** Meta's error envelope with `code` (send-response-rate-limited.json's shape). */
export const graphError = (code: number, title: string, status = 400): FakeAnswer => ({
  status,
  body: {
    error: {
      message: `(#${code}) ${title}`,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details: title },
      fbtrace_id: 'AbC',
    },
  },
});

/** The signature Meta puts in X-Hub-Signature-256 for these bytes. */
export const signatureOf = (appSecret: string, body: string | Buffer) =>
  `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;

export const TEST_TEMPLATES = [
  {
    id: '1689556908129835',
    name: 'order_confirmation',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Hi {{1}}! Your order number is {{2}}. Thank you.' }],
  },
  {
    id: '1689556908129836',
    name: 'welcome_named',
    language: 'ar',
    category: 'MARKETING',
    status: 'APPROVED',
    parameter_format: 'NAMED',
    components: [{ type: 'BODY', text: 'أهلاً {{first_name}}' }],
  },
  {
    id: '1689556908129837',
    name: 'abandoned_cart',
    language: 'en',
    category: 'MARKETING',
    status: 'PENDING',
    components: [{ type: 'BODY', text: 'Come back' }],
  },
];

/**
 * Answers: `POST /{v}/{phone-id}/messages` with send-response-ok.json (a new wamid each time),
 * `POST /{v}/{phone-id}/media` (multipart) with a new media id,
 * `GET /{v}/{phone-id}` with the number's details, `GET /{v}/{waba-id}/message_templates` in pages
 * of two with `paging.next`. Answers queued in `sends` (or `next`) are used first, in order.
 */
export class FakeGraph {
  readonly requests: RecordedRequest[] = [];
  /** Answers for the next send requests, in order; empty means success. */
  readonly sends: FakeAnswer[] = [];
  /** Answers for the next requests of any other kind. */
  readonly next: FakeAnswer[] = [];
  templates: {
    id: string;
    name: string;
    language: string;
    category: string;
    status: string;
    components: { type: string; text?: string }[];
  }[] = TEST_TEMPLATES;
  private server!: Server;
  private sequence = 0;
  baseUrl = '';

  /** Records the request as received, multipart bodies parsed, and answers it. */
  private async reply(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: await parseBody(req.headers['content-type'], raw),
    };
    this.requests.push(recorded);
    const answer = this.answer(recorded);
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  }

  static async start() {
    const fake = new FakeGraph();
    fake.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void fake.reply(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  get env() {
    return { WHATSAPP_GRAPH_URL: this.baseUrl, WHATSAPP_GRAPH_VERSION: 'v23.0' };
  }

  get uploads() {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/media'));
  }

  get sent() {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
  }

  private answer(req: RecordedRequest): FakeAnswer {
    if (!req.headers.authorization?.startsWith('Bearer ')) return graphError(190, 'Invalid OAuth access token', 401);
    if (req.method === 'POST' && req.path.endsWith('/messages')) {
      const queued = this.sends.shift();
      if (queued) return queued;
      const ok = fixture('send-response-ok.json');
      ok.contacts[0] = { input: req.body.to, wa_id: String(req.body.to).replace(/\D/g, '') };
      ok.messages[0] = { id: `wamid.TEST${++this.sequence}` };
      return { status: 200, body: ok };
    }
    const queued = this.next.shift();
    if (queued) return queued;
    if (req.method === 'POST' && req.path.endsWith('/media')) {
      if (req.body?.messaging_product !== 'whatsapp' || !(req.body?.file instanceof File)) return graphError(100, 'Invalid parameter');
      return { status: 200, body: { ...fixture('media-upload-response.json'), id: `17908${String(++this.sequence).padStart(11, '0')}` } };
    }
    const templatePage = req.path.match(/\/message_templates$/);
    if (templatePage && req.method === 'POST') return this.createTemplate(req.body);
    if (templatePage && req.method === 'DELETE') return this.deleteTemplate(req.query);
    if (templatePage) {
      const after = Number(req.query.get('after') ?? 0);
      const data = this.templates.slice(after, after + 2);
      const more = after + 2 < this.templates.length;
      const next = `${this.baseUrl}${req.path}?limit=2&after=${after + 2}`;
      return {
        status: 200,
        body: { data, paging: { cursors: { before: String(after), after: String(after + 2) }, ...(more ? { next } : {}) } },
      };
    }
    if (req.method === 'GET') {
      return {
        status: 200,
        body: {
          verified_name: 'Riyadh Growth Agency',
          display_phone_number: '+1 555-078-3881',
          quality_rating: 'GREEN',
          messaging_limit_tier: 'TIER_1K',
          id: '106540352242922',
        },
      };
    }
    return { status: 404, body: { error: { message: 'Unknown path', code: 803 } } };
  }

  /** As Meta answers a template submitted for review: its new id, PENDING, and the category. */
  private createTemplate(body: {
    name: string;
    language: string;
    category: string;
    components: { type: string; text?: string }[];
  }): FakeAnswer {
    if (this.templates.some((t) => t.name === body.name && t.language === body.language))
      return graphError(100, 'Message template already exists in this language');
    const created = {
      id: String(1_700_000_000_000_000 + ++this.sequence),
      name: body.name,
      language: body.language,
      category: body.category.toUpperCase(),
      status: 'PENDING',
      components: body.components.map((c) => ({ ...c, type: c.type.toUpperCase() })),
    };
    this.templates = [...this.templates, created];
    return { status: 200, body: { id: created.id, status: 'PENDING', category: created.category } };
  }

  /** `DELETE …/message_templates?hsm_id=…&name=…` removes that one template; an unknown one is Meta's error 100. */
  private deleteTemplate(query: URLSearchParams): FakeAnswer {
    const found = this.templates.find((t) => t.id === query.get('hsm_id') && t.name === query.get('name'));
    if (!found) return graphError(100, 'Message template not found');
    this.templates = this.templates.filter((t) => t !== found);
    return { status: 200, body: { success: true } };
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
