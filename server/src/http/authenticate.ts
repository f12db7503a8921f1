import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '../errors/catalogue.js';
import type { AuditActor } from '../audit/record.js';
import { sessionCacheFor, sessionCookieValue } from '../auth/session-cache.js';
import type { Services } from './services.js';

export type SessionUser = { id: string; name: string; email: string; emailVerified: boolean; twoFactorEnabled: boolean; createdAt: Date };
export type Session = { user: SessionUser; sessionId: string; token: string };

export function toFetchHeaders(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) value.forEach((v) => out.append(key, v));
    else out.set(key, String(value));
  }
  return out;
}

/** The signed-in session behind the request's cookie, or null. Recently resolved sessions come from this process's cache. */
export async function findSession(services: Services, request: FastifyRequest): Promise<Session | null> {
  const cookie = sessionCookieValue(request.headers.cookie, (await services.auth.$context).authCookies.sessionToken.name);
  const cache = sessionCacheFor<Session>(services.auth);
  const cached = cookie ? cache.get(cookie) : null;
  if (cached) return cached;
  const mark = cache.mark();
  const result = await services.auth.api.getSession({ headers: toFetchHeaders(request.headers) });
  if (!result) return null;
  const u = result.user as typeof result.user & { twoFactorEnabled?: boolean | null };
  const session: Session = {
    user: {
      id: u.id,
      name: u.name,
      email: u.email,
      emailVerified: u.emailVerified,
      twoFactorEnabled: Boolean(u.twoFactorEnabled),
      createdAt: u.createdAt,
    },
    sessionId: result.session.id,
    token: result.session.token,
  };
  // Kept only under the cookie that carries this very session (its value is `<token>.<signature>`).
  if (cookie && cookieToken(cookie) === result.session.token) cache.set(cookie, session, result.session.expiresAt, mark);
  return session;
}

function cookieToken(cookie: string): string | null {
  try {
    return decodeURIComponent(cookie).split('.')[0];
  } catch {
    return null;
  }
}

export async function requireSession(services: Services, request: FastifyRequest): Promise<Session> {
  const session = await findSession(services, request);
  if (!session) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  return session;
}

export function auditActorFor(request: FastifyRequest, user: { id: string; email: string } | null): AuditActor {
  return {
    userId: user?.id ?? null,
    email: user?.email ?? null,
    ip: request.ip ?? null,
    userAgent: request.headers['user-agent'] ?? null,
  };
}
