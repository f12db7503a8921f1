import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, request, type Dispatcher } from 'undici';
import type { AddressPolicy } from './address-policy.js';
import { AddressNotAllowedError, guardedLookup, type Resolver } from './guarded-lookup.js';
import { isHtmlContentType, looksBinary } from './content.js';
import type { Politeness } from './politeness.js';

export type FetchSettings = {
  userAgent: string;
  /** Total time for one request: connect, headers and body. */
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  resolver: Resolver;
  policy: AddressPolicy;
  /**
   * PEM certificates trusted on top of Node's root certificates. Only tests set it (for the farm's
   * test CA); the configuration never does, so production trusts Node's bundled roots (Mozilla's list) only.
   */
  extraCaCertificates?: string[];
};

export type FetchedPage = {
  requestedUrl: string;
  /** Where the redirects ended. */
  url: string;
  /** Every URL requested before `url`, in order (empty without redirects). */
  redirects: string[];
  status: number;
  headers: Record<string, string>;
  contentType: string | null;
  /** Time to the response headers of the final hop. */
  elapsedMs: number;
  /** When the final hop's response headers arrived. */
  fetchedAt: Date;
  body: Buffer;
  /** The body went past maxBytes and was cut off there. */
  truncated: boolean;
  /** Set when the page is not HTML (by type or by content); its body is not kept. */
  notHtml: string | null;
};

export type FailureKind =
  | 'address-not-allowed'
  | 'timeout'
  | 'tls'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'unsupported-url'
  | 'dns'
  | 'refused'
  | 'reset'
  | 'network';

/**
 * A request that produced no page. `kind` says what happened in terms a finding can put to a
 * business owner; `reason` is the technical detail (it is kept as the finding's proof) and `code`
 * the error code behind it (ENOTFOUND, CERT_HAS_EXPIRED…) when there is one.
 */
export class FetchFailure extends Error {
  readonly at = new Date();
  constructor(
    readonly kind: FailureKind,
    readonly reason: string,
    readonly url: string,
    readonly code: string | null = null,
  ) {
    super(`${url}: ${reason}`);
  }
}

/** What each certificate error means for a visitor; the code stays in the reason for whoever fixes the site. */
const tlsErrorMeanings = new Map<string, string>([
  ['CERT_HAS_EXPIRED', 'it has expired'],
  ['CERT_NOT_YET_VALID', 'it is not valid yet'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'it is self-signed'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'it is signed by an untrusted authority'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'it is signed by an untrusted authority, or the site omits the intermediate certificate'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'it is signed by an untrusted authority, or the site omits the intermediate certificate'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'it was issued for another host name'],
  ['CERT_REVOKED', 'it has been revoked'],
  ['CERT_UNTRUSTED', 'it is not trusted'],
]);
const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'ABORT_ERR', 23]);
/** Network error codes whose meaning a finding can state; anything else is an unexplained network failure. */
const networkKinds = new Map<string, FailureKind>([
  ['ENOTFOUND', 'dns'],
  ['ECONNREFUSED', 'refused'],
  ['ECONNRESET', 'reset'],
  ['EPIPE', 'reset'],
  ['UND_ERR_SOCKET', 'reset'],
]);

function causes(error: unknown): (Error & { code?: string | number; name: string })[] {
  const chain = [];
  for (let e = error as (Error & { cause?: unknown }) | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++)
    chain.push(e);
  return chain;
}

export function classifyFailure(error: unknown, url: string, timeoutMs: number): FetchFailure {
  if (error instanceof FetchFailure) return error;
  const chain = causes(error);
  const refused = chain.find((e): e is AddressNotAllowedError => e instanceof AddressNotAllowedError);
  if (refused) return new FetchFailure('address-not-allowed', `address not allowed (${refused.reason})`, url);
  if (chain.some((e) => e.name === 'TimeoutError' || e.name === 'AbortError' || timeoutCodes.has(e.code ?? '')))
    return new FetchFailure('timeout', `no complete answer within ${timeoutMs} ms`, url);
  const tls = chain.find((e) => tlsErrorMeanings.has(String(e.code)) || /certificate/i.test(e.message));
  if (tls) {
    const meaning = tlsErrorMeanings.get(String(tls.code));
    const reason = meaning ? `invalid TLS certificate: ${meaning} (${tls.code})` : `invalid TLS certificate (${tls.code ?? tls.message})`;
    return new FetchFailure('tls', reason, url, tls.code ? String(tls.code) : null);
  }
  const first = chain.find((e) => e.code) ?? chain[0];
  const code = first?.code ? String(first.code) : null;
  const detail = first ? `${code ?? ''} ${first.message}`.trim() : 'unknown error';
  return new FetchFailure((code && networkKinds.get(code)) || 'network', detail, url, code);
}

/** One HTTP client for the crawler: every hop is checked against the address policy and waits its turn for the host. */
export class Fetcher {
  private readonly agent: Dispatcher;

  constructor(
    readonly settings: FetchSettings,
    private readonly politeness: Politeness,
  ) {
    this.agent = new Agent({
      connect: {
        timeout: settings.connectTimeoutMs,
        lookup: guardedLookup(settings.resolver, settings.policy),
        // `ca` replaces the default roots, so they are listed too.
        ...(settings.extraCaCertificates?.length ? { ca: [...rootCertificates, ...settings.extraCaCertificates] } : {}),
      },
      connections: 2,
      keepAliveTimeout: 4_000,
    });
  }

  close() {
    return this.agent.close();
  }

  /**
   * GET `url`, following at most maxRedirects redirects by hand so each hop's address is checked
   * before it is contacted. `beforeHop` may refuse a hop (robots.txt) by throwing; `anyType` keeps
   * bodies that are not HTML (robots.txt is plain text).
   */
  async get(url: string, opts: { beforeHop?: (hop: URL) => Promise<void>; anyType?: boolean } = {}): Promise<FetchedPage> {
    const redirects: string[] = [];
    let current = url;
    for (;;) {
      const hop = this.checkedUrl(current);
      await opts.beforeHop?.(hop);
      const answer = await this.politeness.run(hop.host, () => this.single(hop, opts.anyType ?? false));
      if (answer.location === null) return { ...answer.page, requestedUrl: url, redirects };
      redirects.push(hop.href);
      let next: URL;
      try {
        next = new URL(answer.location, hop);
      } catch {
        throw new FetchFailure('network', `redirect to an invalid address "${answer.location}"`, hop.href);
      }
      next.hash = '';
      if (redirects.includes(next.href) || next.href === hop.href) throw new FetchFailure('redirect-loop', 'redirect loop', url);
      if (redirects.length > this.settings.maxRedirects)
        throw new FetchFailure('too-many-redirects', `more than ${this.settings.maxRedirects} redirects`, url);
      current = next.href;
    }
  }

  /** Only http(s) URLs; an IP literal never reaches the lookup, so it is checked here. */
  private checkedUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new FetchFailure('unsupported-url', 'not a valid web address', raw);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new FetchFailure('unsupported-url', `${url.protocol} is not crawled`, raw);
    if (url.username || url.password) throw new FetchFailure('unsupported-url', 'addresses with credentials are not crawled', raw);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const reason = this.settings.policy(host, host);
      if (reason) throw new FetchFailure('address-not-allowed', `address not allowed (${reason})`, raw);
    }
    url.hash = '';
    return url;
  }

  private async single(
    url: URL,
    anyType: boolean,
  ): Promise<{ location: string | null; page: Omit<FetchedPage, 'requestedUrl' | 'redirects'> }> {
    const { timeoutMs, maxBytes } = this.settings;
    const started = performance.now();
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: 'GET',
        headers: {
          'user-agent': this.settings.userAgent,
          accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
          'accept-language': 'en,ar;q=0.8,*;q=0.5',
        },
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const elapsedMs = Math.round(performance.now() - started);
      const fetchedAt = new Date();
      const headers = Object.fromEntries(
        Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v ?? '')]),
      );
      const contentType = headers['content-type'] || null;
      const base = { url: url.href, status: res.statusCode, headers, contentType, elapsedMs, fetchedAt };
      if (res.statusCode >= 300 && res.statusCode < 400 && headers.location) {
        await res.body.dump();
        return { location: headers.location, page: { ...base, body: Buffer.alloc(0), truncated: false, notHtml: null } };
      }
      if (!anyType && !isHtmlContentType(contentType)) {
        await res.body.dump();
        return { location: null, page: { ...base, body: Buffer.alloc(0), truncated: false, notHtml: `served as ${contentType}` } };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (size + chunk.length > maxBytes) {
          chunks.push(chunk.subarray(0, maxBytes - size));
          size = maxBytes;
          truncated = true;
          // Destroying the stream closes the connection: the rest is never downloaded.
          res.body.destroy();
          break;
        }
        chunks.push(chunk);
        size += chunk.length;
      }
      const body = Buffer.concat(chunks, size);
      if (!anyType && looksBinary(body))
        return { location: null, page: { ...base, body: Buffer.alloc(0), truncated, notHtml: 'binary content served as HTML' } };
      return { location: null, page: { ...base, body, truncated, notHtml: null } };
    } catch (error) {
      throw classifyFailure(error, url.href, timeoutMs);
    }
  }
}
