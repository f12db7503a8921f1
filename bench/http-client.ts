import { openAsBlob } from 'node:fs';
import path from 'node:path';

/** The origin the app trusts for cookie-authenticated writes (its PUBLIC_URL); requests still go to 127.0.0.1. */
export const APP_ORIGIN = 'http://localhost:3000';

/** A signed-in browser stand-in for the bench: keeps the session cookie, speaks JSON, uploads files. */
export class BenchClient {
  private readonly jar = new Map<string, string>();
  /** The loopback address this client presents (the bench app trusts X-Forwarded-For), as one person's browser would have its own. */
  readonly address = `127.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(this.baseUrl + url, {
      method,
      headers: {
        origin: APP_ORIGIN,
        cookie: this.cookie,
        'x-forwarded-for': this.address,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    this.keepCookies(res);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text for the error message */
    }
    return { status: res.status, body: parsed as T };
  }

  async expect<T = any>(status: number, method: string, url: string, body?: unknown): Promise<T> {
    const res = await this.request<T>(method, url, body);
    if (res.status !== status)
      throw new Error(`${method} ${url} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    return res.body;
  }

  /** Multipart upload of a file on disk, streamed from the file rather than read into memory. */
  async upload<T = any>(url: string, file: string): Promise<{ status: number; body: T }> {
    const form = new FormData();
    form.append('file', await openAsBlob(file, { type: 'text/csv' }), path.basename(file));
    const res = await fetch(this.baseUrl + url, { method: 'POST', headers: { origin: APP_ORIGIN, cookie: this.cookie }, body: form });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.jar.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
  }
}

export const BENCH_PASSWORD = 'bench password correct horse';

/** Signs up through the real endpoint (which provisions the person's own tenant as OWNER) and returns the signed-in client. */
export async function signUpOwner(
  baseUrl: string,
  name: string,
  email: string,
): Promise<{ client: BenchClient; userId: string; tenantId: string }> {
  const client = new BenchClient(baseUrl);
  await client.expect(200, 'POST', '/api/auth/sign-up/email', { name, email, password: BENCH_PASSWORD });
  // A new account is signed in by the link emailed to it (read from the development outbox).
  const { items } = await client.expect<{ items: { to: string; text: string }[] }>(200, 'GET', '/api/dev/outbox');
  const link = new URL(items.find((e) => e.to === email.toLowerCase())!.text.match(/https?:\/\/\S+/)![0]);
  await client.expect(302, 'GET', link.pathname + link.search);
  const me = await client.expect(200, 'GET', '/api/v1/me');
  return { client, userId: me.user.id, tenantId: me.memberships[0].tenantId };
}
