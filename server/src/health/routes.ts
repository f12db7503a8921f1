import type { FastifyInstance } from 'fastify';
import { migrationsApplied } from '../db/client.js';
import type { Services } from '../http/services.js';

/** A load balancer must hear "not ready" quickly, even from a database that accepts and never answers. */
export const READY_TIMEOUT_MS = 1500;

export function registerHealthRoutes(app: FastifyInstance, services: Services) {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    const check = async () => {
      await services.database.ping();
      return migrationsApplied(services.database);
    };
    const applied = await withinTime(check(), READY_TIMEOUT_MS).catch(() => null);
    if (applied === null) return reply.status(503).send({ status: 'not ready', database: 'unreachable' });
    if (!applied) return reply.status(503).send({ status: 'not ready', database: 'ok', migrations: 'pending' });
    return { status: 'ready', database: 'ok', migrations: 'applied' };
  });
}

/** `work`'s value, or a rejection once `ms` have passed (the work itself goes on and is bounded by the database timeouts). */
function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a failure after the deadline has already been answered
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
