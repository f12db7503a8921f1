import type { FastifyInstance, FastifyRequest } from 'fastify';
import { desc } from 'drizzle-orm';
import { isIP } from 'node:net';
import { devOutbox } from '../db/schema/index.js';
import { notFound } from '../errors/catalogue.js';
import type { Services } from '../http/services.js';

/**
 * The emails that were not sent because no SMTP_URL is configured. They hold password-reset
 * links, so the outbox exists only in a local development setup (config.devOutboxEnabled: not
 * production, PUBLIC_URL on localhost) and answers only requests from this machine; to anyone
 * else it is an unknown route.
 */
export function registerDevOutboxRoutes(app: FastifyInstance, services: Services) {
  // The web app's page for it, which would otherwise be served as any client-side route.
  app.get('/dev/outbox', { schema: { hide: true } }, (request, reply) => {
    if (!services.config.devOutboxEnabled || !comesFromThisMachine(request) || typeof reply.sendFile !== 'function')
      return reply.callNotFound();
    return reply.sendFile('index.html');
  });
  if (!services.config.devOutboxEnabled) return;
  app.get('/api/dev/outbox', { schema: { hide: true } }, async (request) => {
    if (!comesFromThisMachine(request)) throw notFound(`No route for GET ${request.url.split('?')[0]}`);
    const items = await services.db.select().from(devOutbox).orderBy(desc(devOutbox.createdAt)).limit(100);
    return { items: items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) };
  });
}

/**
 * The connection is from a loopback address, and so is every client a proxy says it forwarded
 * for (a proxy on this machine would otherwise make everyone look local).
 */
function comesFromThisMachine(request: FastifyRequest): boolean {
  const forwarded = [request.headers['x-forwarded-for'], request.headers['x-real-ip']]
    .flatMap((h) => (Array.isArray(h) ? h : h ? [h] : []))
    .flatMap((h) => h.split(','));
  const forwardedFor = [request.headers.forwarded ?? ''].flatMap((h) => [...h.matchAll(/for="?\[?([^\]";,]+)/gi)].map((m) => m[1]));
  return [request.socket.remoteAddress ?? '', ...forwarded, ...forwardedFor].every((a) => isLoopback(a.trim()));
}

function isLoopback(address: string): boolean {
  const plain = address.replace(/^::ffff:/i, '');
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}
