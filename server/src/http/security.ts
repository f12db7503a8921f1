import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/catalogue.js';

/**
 * Security headers on every answer: a content security policy that allows no inline or foreign
 * script and no framing, `nosniff`, no referrer to the sites users follow out of the app (lead
 * websites), and HSTS only where the app is served over https.
 */
export async function registerSecurityHeaders(app: FastifyInstance, config: Config) {
  const https = config.publicUrl.startsWith('https://');
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // Mantine sets styles at run time (style attributes and its <style> element); styles cannot run code.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: https ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
    // The app and its API are one origin; nothing is embedded cross-origin.
    crossOriginEmbedderPolicy: false,
  });
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Endpoints that foreign servers call by design and that prove who they are by a signature over
 * the body rather than by a session cookie (Meta's WhatsApp webhooks). Nothing else is exempt.
 */
const signedWebhook = /^\/api\/v1\/webhooks\/[a-z]+\/[0-9a-f-]{36}$/i;

/**
 * Refuses a state-changing request a browser sent from another site, before its body is read:
 * its `Origin` (or, when a browser sends none, `Sec-Fetch-Site`) must be the app's own. Requests
 * with neither header do not come from a browser page, so they carry no ambient cookie risk.
 * better-auth applies the same rule to /api/auth itself.
 */
export function registerCrossSiteGuard(app: FastifyInstance, config: Config) {
  app.addHook('onRequest', async (request) => {
    if (!stateChanging.has(request.method)) return;
    const path = request.url.split('?')[0];
    if (path.startsWith('/api/auth/') || signedWebhook.test(path)) return;
    if (isCrossSite(request, config.trustedOrigins)) {
      throw new AppError('CROSS_SITE_REQUEST', 'This request came from another site and was refused. Use OpTarget itself to make changes.');
    }
  });
}

function isCrossSite(request: FastifyRequest, trustedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) return !trustedOrigins.includes(origin);
  const site = request.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin';
}
