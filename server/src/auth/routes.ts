import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../errors/catalogue.js';
import { verifications } from '../db/schema/index.js';
import { auditActorFor, findSession, toFetchHeaders, type Session } from '../http/authenticate.js';
import type { Services } from '../http/services.js';
import { findUserIdByEmail, recordSecurityEvent, touchLastLogin } from './security-events.js';
import { clearSignInFailures, isSignInThrottled, recordSignInFailure } from './throttle.js';

/** Audit action for each account-security endpoint that succeeded while signed in. */
const signedInEvents: Record<string, string> = {
  '/sign-out': 'auth.signed_out',
  '/change-password': 'auth.password_changed',
  '/revoke-session': 'auth.session_revoked',
  '/revoke-sessions': 'auth.session_revoked',
  '/revoke-other-sessions': 'auth.session_revoked',
  '/two-factor/enable': 'auth.two_factor_setup_started',
  '/two-factor/disable': 'auth.two_factor_disabled',
  '/two-factor/generate-backup-codes': 'auth.two_factor_backup_codes_regenerated',
  '/update-user': 'user.profile_updated',
};

/**
 * Serves better-auth under /api/auth. Around the library's handler sit the parts that are
 * OpTarget's own: throttling of failed sign-ins and the audit entries of security events.
 */
export function registerAuthRoutes(app: FastifyInstance, services: Services) {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    schema: { hide: true },
    handler: async (request, reply) => {
      const path = new URL(request.url, 'http://local').pathname.replace(/^\/api\/auth/, '');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const email = typeof body.email === 'string' ? body.email : '';

      if (path === '/sign-in/email' && (await isSignInThrottled(services.db, services.config, email))) {
        await recordSecurityEvent(services.db, await findUserIdByEmail(services.db, email), auditActorFor(request, null), {
          action: 'auth.sign_in_throttled',
          metadata: { email: email.toLowerCase() },
        });
        throw new AppError('THROTTLED', 'Too many failed sign-in attempts for this account. Wait a few minutes and try again.');
      }

      const before = path in signedInEvents || path.startsWith('/two-factor/verify') ? await findSession(services, request) : null;
      const resetUserId = path === '/reset-password' ? await findResetTokenUser(services, body.token) : null;

      const response = await services.auth.handler(toFetchRequest(request, services));
      const responseBody = await response.text();
      await auditOutcome(services, request, { path, status: response.status, before, resetUserId, email, responseBody });
      return relay(reply, response, responseBody);
    },
  });
}

async function auditOutcome(
  services: Services,
  request: FastifyRequest,
  o: { path: string; status: number; before: Session | null; resetUserId: string | null; email: string; responseBody: string },
) {
  const ok = o.status >= 200 && o.status < 400;
  const actorOf = (user: { id: string; email: string } | null) => auditActorFor(request, user);
  if (o.path === '/sign-in/email') {
    if (ok) {
      const parsed = safeJson(o.responseBody) as { user?: { id: string; email: string }; twoFactorRedirect?: boolean };
      if (parsed?.twoFactorRedirect) {
        const userId = await findUserIdByEmail(services.db, o.email);
        await recordSecurityEvent(services.db, userId, actorOf(null), { action: 'auth.sign_in_two_factor_required', metadata: { email: o.email } });
        return;
      }
      if (!parsed?.user) return;
      await clearSignInFailures(services.db, o.email);
      await touchLastLogin(services.db, parsed.user.id);
      await recordSecurityEvent(services.db, parsed.user.id, actorOf(parsed.user), { action: 'auth.signed_in', metadata: { method: 'password' } });
    } else if (o.status === 401 || o.status === 403) {
      await recordSignInFailure(services.db, o.email, request.ip);
      const userId = await findUserIdByEmail(services.db, o.email);
      await recordSecurityEvent(services.db, userId, actorOf(null), {
        action: 'auth.sign_in_failed',
        metadata: { email: o.email.toLowerCase(), reason: o.status === 403 ? 'email_not_verified' : 'invalid_credentials' },
      });
    }
    return;
  }
  if (!ok) return;
  if (o.path.startsWith('/two-factor/verify')) {
    if (o.before) {
      await recordSecurityEvent(services.db, o.before.user.id, actorOf(o.before.user), { action: 'auth.two_factor_enabled' });
    } else {
      const parsed = safeJson(o.responseBody) as { user?: { id: string; email: string } };
      if (parsed?.user) {
        await touchLastLogin(services.db, parsed.user.id);
        await recordSecurityEvent(services.db, parsed.user.id, actorOf(parsed.user), {
          action: 'auth.signed_in',
          metadata: { method: o.path.includes('backup') ? 'password+backup_code' : 'password+totp' },
        });
      }
    }
    return;
  }
  if (o.path === '/reset-password' && o.resetUserId) {
    await recordSecurityEvent(services.db, o.resetUserId, actorOf(null), { action: 'auth.password_reset' });
    return;
  }
  if (o.path === '/request-password-reset' && o.email) {
    const userId = await findUserIdByEmail(services.db, o.email);
    if (userId) await recordSecurityEvent(services.db, userId, actorOf(null), { action: 'auth.password_reset_requested' });
    return;
  }
  const action = signedInEvents[o.path];
  if (action && o.before) {
    // Ignore a two-factor "disable"/"enable" that was answered 200 but changed nothing.
    await recordSecurityEvent(services.db, o.before.user.id, actorOf(o.before.user), { action });
  }
}

async function findResetTokenUser(services: Services, token: unknown): Promise<string | null> {
  if (typeof token !== 'string' || token.length > 200) return null;
  const [row] = await services.db
    .select({ value: verifications.value })
    .from(verifications)
    .where(and(eq(verifications.identifier, `reset-password:${token}`)));
  return row?.value ?? null;
}

function toFetchRequest(request: FastifyRequest, services: Services): Request {
  const headers = toFetchHeaders(request.headers);
  headers.set('x-optarget-client-ip', request.ip);
  const url = new URL(request.url, services.config.publicUrl);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(url, {
    method: request.method,
    headers,
    body: hasBody ? JSON.stringify(request.body ?? {}) : undefined,
  });
}

function relay(reply: FastifyReply, response: Response, body: string) {
  reply.status(response.status);
  response.headers.forEach((value, key) => {
    if (key === 'set-cookie' || key === 'content-length' || key === 'content-encoding') return;
    reply.header(key, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) reply.header('set-cookie', cookies);
  return reply.send(body);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
