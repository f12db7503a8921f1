import type { FastifyInstance } from 'fastify';
import { migrationsApplied } from '../db/client.js';
import type { Services } from '../http/services.js';

export function registerHealthRoutes(app: FastifyInstance, services: Services) {
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    try {
      await services.database.ping();
      if (!(await migrationsApplied(services.database))) {
        return reply.status(503).send({ status: 'not ready', database: 'ok', migrations: 'pending' });
      }
      return { status: 'ready', database: 'ok', migrations: 'applied' };
    } catch {
      return reply.status(503).send({ status: 'not ready', database: 'unreachable' });
    }
  });
}
