import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyRateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { Db } from '../db/client.js';
import { AppError } from '../errors/catalogue.js';
import { hitCounter } from './counters.js';

const MINUTE = 60_000;

/**
 * Requests per window on public and expensive routes. Public routes are counted per client
 * address; signed-in ones per person, so colleagues behind one address do not share a budget;
 * routes opened by a secret link (a shared report) per link, whoever opens it.
 */
export const rateLimits = {
  signUp: { max: 10, windowMs: 60 * MINUTE, per: 'address' },
  passwordReset: { max: 10, windowMs: 60 * MINUTE, per: 'address' },
  inviteAccept: { max: 20, windowMs: 15 * MINUTE, per: 'person' },
  export: { max: 30, windowMs: 10 * MINUTE, per: 'person' },
  jobStart: { max: 60, windowMs: 10 * MINUTE, per: 'person' },
  // A report takes tens of milliseconds: one for each lead of a list is an ordinary request.
  reportStart: { max: 300, windowMs: 10 * MINUTE, per: 'person' },
  sharedReport: { max: 60, windowMs: 10 * MINUTE, per: 'link' },
} as const;

export type RateLimitName = keyof typeof rateLimits;

/** The `config.rateLimit` of a route limited by `name`; it runs after authentication, so a signed-in caller is counted as a person. */
export function routeRateLimit(name: RateLimitName): RateLimitOptions {
  const limit = rateLimits[name];
  return {
    max: limit.max,
    timeWindow: limit.windowMs,
    hook: 'preHandler',
    keyGenerator: (request: FastifyRequest) => `${name}:${keyOf(request, limit.per)}`,
  };
}

function keyOf(request: FastifyRequest, per: (typeof rateLimits)[RateLimitName]['per']): string {
  if (per === 'person') return personOf(request) ?? request.ip;
  // The link's hash, so the counters table never holds a usable link.
  if (per === 'link')
    return createHash('sha256')
      .update(String((request.params as { token?: string }).token))
      .digest('hex');
  return request.ip;
}

const personOf = (request: FastifyRequest) => (request.tenantAccess?.session ?? request.userSession)?.user.id;

/**
 * @fastify/rate-limit with its counts in the database (`rate_counters`), so every API process
 * shares them; no route is limited unless it asks (`config.rateLimit`). A refused request is a
 * problem+json 429 with `Retry-After`.
 */
export async function registerRateLimits(app: FastifyInstance, db: Db) {
  await app.register(fastifyRateLimit, {
    global: false,
    store: databaseStore(db),
    errorResponseBuilder: (_request, context) =>
      new AppError('THROTTLED', `Too many requests of this kind. Try again in ${context.after}.`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
}

function databaseStore(db: Db) {
  return class DatabaseStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number) {
      hitCounter(db, `rate:${key}`, timeWindow).then(
        (hit) => callback(null, { current: hit.count, ttl: hit.retryAfterSeconds * 1000 }),
        (err: Error) => callback(err),
      );
    }

    child() {
      return new DatabaseStore();
    }
  };
}
