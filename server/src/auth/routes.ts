import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../errors/catalogue.js';
import { sessions, users } from '../db/schema/index.js';
import { auditActorFor, findSession, toFetchHeaders, type Session } from '../http/authenticate.js';
import type { Services } from '../http/services.js';
import { sessionCacheFor } from './session-cache.js';
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

const twoFactorVerifications: Record<string, string> = {
  '/two-factor/verify-totp': 'password+totp',
  '/two-factor/verify-backup-code': 'password+backup_code',
  '/two-factor/verify-otp': 'password+otp',
};

/** better-auth endpoints that change no session and no user; every other call empties the session cache. */
const readOnlyPaths = new Set(['/get-session', '/list-sessions', '/ok', '/error']);

type Outcome = {
  path: string;
  status: number;
  body: Record<string, unknown>;
  email: string;
  before: Session | null;
  revokedSessionId: string | null;
  responseBody: string;
};

/**
 * Serves better-auth under /api/auth. Around the library's handler sit the parts that are
 * OpTarget's own: throttling of failed sign-ins and the audit entries of security events
 * (email verification and password reset are audited by better-auth hooks in auth.ts).
 */
export function registerAuthRoutes(app: FastifyInstance, services: Services) {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    schema: { hide: true },
    handler: async (request, reply) => {
      const path = new URL(request.url, 'http://local').pathname.replace(/^\/api\/auth/, '');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';

      if (path === '/sign-in/email' && (await isSignInThrottled(services.db, services.config, email))) {
        await recordSecurityEvent(services.db, await findUserIdByEmail(services.db, email), auditActorFor(request, null), {
          action: 'auth.sign_in_throttled',
          metadata: { email },
        });
        throw new AppError('THROTTLED', 'Too many failed sign-in attempts for this account. Wait a few minutes and try again.');
      }

      // Read before the call: afterwards the session may be gone (sign-out, revocation) or replaced.
      const before = path in signedInEvents || path in twoFactorVerifications ? await findSession(services, request) : null;
      const revokedSessionId = path === '/revoke-session' && before ? await findOwnSessionId(services, before.user.id, body.token) : null;

      const response = await services.auth.handler(toFetchRequest(request, services));
      if (!readOnlyPaths.has(path)) sessionCacheFor(services.auth).clear();
      const responseBody = await response.text();
      await auditOutcome(services, request, { path, status: response.status, body, email, before, revokedSessionId, responseBody });
      return relay(reply, response, responseBody);
    },
  });
}

async function auditOutcome(services: Services, request: FastifyRequest, o: Outcome) {
  const ok = o.status >= 200 && o.status < 300;
  if (o.path === '/sign-in/email') return auditSignIn(services, request, o, ok);
  if (!ok) return;
  const actorOf = (user: { id: string; email: string } | null) => auditActorFor(request, user);

  if (o.path in twoFactorVerifications) {
    if (!o.before) {
      // The second step of a sign-in: better-auth answers with the user and sets the session cookie.
      const parsed = safeJson(o.responseBody) as { user?: { id: string; email: string } } | null;
      if (!parsed?.user) return;
      await clearSignInFailures(services.db, parsed.user.email);
      await touchLastLogin(services.db, parsed.user.id);
      await recordSecurityEvent(services.db, parsed.user.id, actorOf(parsed.user), {
        action: 'auth.signed_in',
        metadata: { method: twoFactorVerifications[o.path] },
      });
    } else if (!o.before.user.twoFactorEnabled && (await isTwoFactorEnabled(services, o.before.user.id))) {
      await recordSecurityEvent(services.db, o.before.user.id, actorOf(o.before.user), {
        action: 'auth.two_factor_enabled',
        metadata: { method: 'totp' },
      });
    }
    return;
  }
  if (o.path === '/request-password-reset' && o.email) {
    const userId = await findUserIdByEmail(services.db, o.email);
    if (userId) await recordSecurityEvent(services.db, userId, actorOf(null), { action: 'auth.password_reset_requested' });
    return;
  }
  const action = signedInEvents[o.path];
  if (!action || !o.before) return;
  const metadata = signedInEventMetadata(o);
  // better-auth answers 200 to these even when nothing changed (revoking someone else's session, disabling 2FA that was off).
  if (o.path === '/revoke-session' && !o.revokedSessionId) return;
  if (o.path === '/two-factor/disable' && !o.before.user.twoFactorEnabled) return;
  await recordSecurityEvent(services.db, o.before.user.id, actorOf(o.before.user), { action, ...(metadata ? { metadata } : {}) });
}

async function auditSignIn(services: Services, request: FastifyRequest, o: Outcome, ok: boolean) {
  if (ok) {
    const parsed = safeJson(o.responseBody) as { user?: { id: string; email: string }; twoFactorRedirect?: boolean } | null;
    if (parsed?.twoFactorRedirect) {
      const userId = await findUserIdByEmail(services.db, o.email);
      await recordSecurityEvent(services.db, userId, auditActorFor(request, null), {
        action: 'auth.sign_in_two_factor_required',
        metadata: { email: o.email },
      });
      return;
    }
    if (!parsed?.user) return;
    await clearSignInFailures(services.db, o.email);
    await touchLastLogin(services.db, parsed.user.id);
    await recordSecurityEvent(services.db, parsed.user.id, auditActorFor(request, parsed.user), {
      action: 'auth.signed_in',
      metadata: { method: 'password' },
    });
    return;
  }
  // A wrong email or password is 401; 403 is either an unverified email (the password was right) or a
  // refused origin, which says nothing about the password and must not count.
  const code = (safeJson(o.responseBody) as { code?: string } | null)?.code;
  if ((o.status === 401 || code === 'EMAIL_NOT_VERIFIED') && o.email) {
    await recordSignInFailure(services.db, o.email, request.ip);
    const userId = await findUserIdByEmail(services.db, o.email);
    await recordSecurityEvent(services.db, userId, auditActorFor(request, null), {
      action: 'auth.sign_in_failed',
      metadata: { email: o.email, reason: o.status === 401 ? 'invalid_credentials' : 'email_not_verified' },
    });
  }
}

/** What an admin reading the audit log needs to know about the event; never tokens or passwords. */
function signedInEventMetadata(o: Outcome): Record<string, unknown> | null {
  switch (o.path) {
    case '/revoke-session':
      return { sessionId: o.revokedSessionId, scope: 'one' };
    case '/revoke-other-sessions':
      return { scope: 'others' };
    case '/revoke-sessions':
      return { scope: 'all' };
    case '/change-password':
      return { otherSessionsRevoked: o.body.revokeOtherSessions === true };
    case '/update-user': {
      const fields = (['name', 'image'] as const).filter((f) => f in o.body);
      const user = o.before!.user as Record<string, unknown>;
      return {
        before: Object.fromEntries(fields.map((f) => [f, user[f] ?? null])),
        after: Object.fromEntries(fields.map((f) => [f, o.body[f] ?? null])),
      };
    }
    default:
      return null;
  }
}

/** The id of the session behind `token` when it belongs to `userId`, so the audit names a session without storing its token. */
async function findOwnSessionId(services: Services, userId: string, token: unknown): Promise<string | null> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 200) return null;
  const [row] = await services.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.token, token), eq(sessions.userId, userId)));
  return row?.id ?? null;
}

async function isTwoFactorEnabled(services: Services, userId: string) {
  const [row] = await services.db.select({ enabled: users.twoFactorEnabled }).from(users).where(eq(users.id, userId));
  return row?.enabled === true;
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
  // better-auth answers paths it does not serve with an empty 404; give them the API's usual problem+json.
  if (response.status === 404 && !body) return reply.callNotFound();
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
