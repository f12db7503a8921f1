import { Agent, request as httpRequest } from 'node:http';
import { ORIGIN } from './processes.js';

/** What one request of a load run got: an HTTP answer, or the network error that replaced it. */
export type Outcome = {
  at: number;
  ms: number;
  method: string;
  path: string;
  status: number;
  code?: string;
  retryAfter?: string;
  error?: string;
};

export type LoadRequest = { method: 'GET' | 'POST'; path: string; body?: unknown };

/**
 * Keeps `loops` requests in flight against `baseUrl` over kept-alive connections (a node:http agent,
 * which never retries, so a reset shows as an error) until `stop()` resolves, `durationMs` pass or
 * `maxRequests` have been sent. `next(i)` says what the i-th request is; a loop ends early on an
 * outcome `stopOn` accepts.
 */
export async function runLoad(opts: {
  baseUrl: string;
  cookie: string;
  loops: number;
  durationMs: number;
  maxRequests: number;
  next: (i: number) => LoadRequest;
  stopOn?: (outcome: Outcome) => boolean;
}): Promise<Outcome[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.loops });
  const outcomes: Outcome[] = [];
  const started = Date.now();
  let sent = 0;
  const loop = async () => {
    while (Date.now() - started < opts.durationMs && sent < opts.maxRequests) {
      const outcome = await send(agent, opts.baseUrl, opts.cookie, opts.next(sent++));
      outcomes.push(outcome);
      if (opts.stopOn?.(outcome)) return;
    }
  };
  await Promise.all(Array.from({ length: opts.loops }, loop));
  agent.destroy();
  return outcomes;
}

/** One request on `agent`; resolves with its outcome, never rejects. */
export function send(agent: Agent, baseUrl: string, cookie: string, { method, path, body }: LoadRequest): Promise<Outcome> {
  const begin = Date.now();
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    const done = (fields: Partial<Outcome> & { status: number }) => resolve({ at: begin, ms: Date.now() - begin, method, path, ...fields });
    const req = httpRequest(
      new URL(path, baseUrl),
      {
        method,
        agent,
        headers: {
          origin: ORIGIN,
          cookie,
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => done({ status: 0, error: (err as NodeJS.ErrnoException).code ?? err.message }));
        res.on('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(Buffer.concat(chunks).toString()) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          const retryAfter = res.headers['retry-after'];
          done({ status: res.statusCode ?? 0, code, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined });
        });
      },
    );
    req.on('error', (err) => done({ status: 0, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end(payload);
  });
}

/** Counts of outcomes by status (or error), for assertions and failure messages. */
export function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.error ?? `${o.status}${o.code ? ` ${o.code}` : ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
