import type { FastifyInstance } from 'fastify';
import { desc } from 'drizzle-orm';
import { devOutbox } from '../db/schema/index.js';
import type { Services } from '../http/services.js';

/** Development only: the emails that were not sent because no SMTP_URL is configured. Absent in production. */
export function registerDevOutboxRoutes(app: FastifyInstance, services: Services) {
  if (!services.config.devOutboxEnabled) return;
  app.get('/api/dev/outbox', { schema: { hide: true } }, async () => {
    const items = await services.db.select().from(devOutbox).orderBy(desc(devOutbox.createdAt)).limit(100);
    return { items: items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) };
  });
}
