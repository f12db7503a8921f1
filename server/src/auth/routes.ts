import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUuid, type AuditAction } from '@optarget/shared';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../errors/catalogue.js';
import { sessions, users } from '../db/schema/index.js';
import { auditActorFor, findSession, toFetchHeaders, type Session } from '../http/authenticate.js';
import type { Services } from '../http/services.js';
import { routeRateLimit } from '../limits/rate-limit.js';
import { invalidateSessions } from './session-invalidation.js';
import { findUserIdByEmail, recordSecurityEvent, touchLastLogin } from './security-events.js';
import { beginSignInAttempt, settleSignInAttempt } from './throttle.js';
import { authRequestBody } from './request-body.js';
import { authRefusalFields } from './refusal-fields.js';
import { withoutSessionTokens } from './tokens.js';

type SignedInEvent = Extract<AuditAction, `auth.${string}` | 'user.profile_updated'>;

/** Audit action for each account-security endpoint that succeeded while signed in. */
const signedInEvents: Partial<Record<string, SignedInEvent>> = {
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

/** Public endpoints that cost a password hash and an email each: limited per client address. */
const rateLimited = { '/sign-up/email': routeRateLimit('signUp'), '/request-password-reset': routeRateLimit('passwordReset') };

/** One answer for a wrong password and for the right password of an account whose address is not confirmed yet. */
const SIGN_IN_REFUSED = {
  code: 'INVALID_EMAIL_OR_PASSWORD',
  message: 'Invalid email or password. If you signed up recently, first open the confirmation link we emailed you.',
};

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
  const handler = (request: FastifyRequest, reply: FastifyReply) => serveAuth(services, request, reply);
  app.route({ method: ['GET', 'POST'], url: '/api/auth/*', schema: { hide: true }, handler });
  for (const [path, rateLimit] of Object.entries(rateLimited)) {
    app.route({ method: 'POST', url: `/api/auth${path}`, schema: { hide: true }, config: { rateLimit }, handler });
  }
}

async function serveAuth(services: Services, request: FastifyRequest, reply: FastifyReply) {
  const path = new URL(request.url, 'http://local').pathname.replace(/^\/api\/auth/, '');
  const body = authRequestBody(request.body);
  const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';

  const attempt =
    path === '/sign-in/email' && isStorableEmail(email) ? await beginSignInAttempt(services.db, services.config, email, request.ip) : null;
  if (attempt && !attempt.allowed) {
    await recordSecurityEvent(services.db, await findUserIdByEmail(services.db, email), auditActorFor(request, null), {
      action: 'auth.sign_in_throttled',
      metadata: { email, scope: attempt.scope },
    });
    reply.header('retry-after', String(attempt.retryAfterSeconds));
    throw new AppError('THROTTLED', `Too many sign-in attempts for this account. Try again in ${minutes(attempt.retryAfterSeconds)}.`, {
      retryAfterSeconds: attempt.retryAfterSeconds,
    });
  }

  // Read before the call: afterwards the session may be gone (sign-out, revocation) or replaced.
  const before = path in signedInEvents || path in twoFactorVerifications ? await findSession(services, request) : null;
  // Clients name a session by its id: tokens never leave the server except in the httpOnly cookie.
  const revoked = path === '/revoke-session' && before ? await findOwnSession(services, before.user.id, body.sessionId) : null;
  if (path === '/revoke-session') body.token = revoked?.token ?? crypto.randomUUID();
  // A new password ends every other session: whoever knew the old one may be signed in elsewhere.
  if (path === '/change-password') body.revokeOtherSessions = true;

  let response = await services.auth.handler(toFetchRequest(request, services, body));
  if (!readOnlyPaths.has(path)) await invalidateSessions(services);
  let responseBody = await response.text();
  if (attempt?.allowed) {
    await settleSignInAttempt(services.db, attempt.keys, signInOutcome(response.status, responseBody));
    if (response.status === 401 || response.status === 403) {
      if (isUnverifiedRefusal(response.status, responseBody)) response = new Response(null, { status: 401, headers: response.headers });
      if (response.status === 401) responseBody = JSON.stringify(SIGN_IN_REFUSED);
    }
  }
  await auditOutcome(services, request, {
    path,
    status: response.status,
    body,
    email,
    before,
    revokedSessionId: revoked?.id ?? null,
    responseBody,
  });
  if (path === '/change-password' && response.ok)
    responseBody = JSON.stringify({ ...(safeJson(responseBody) as object), otherSessionsRevoked: true });
  if (response.status === 400) responseBody = withFieldRules(path, responseBody);
  return relay(reply, response, withoutSessionTokens(responseBody));
}

/** An address better-auth could accept (authRequestBody refused text PostgreSQL cannot store); anything else is refused by better-auth without a password check. */
const isStorableEmail = (email: string) => email.length > 0 && email.length <= 320;

const minutes = (seconds: number) => (seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`);

function isUnverifiedRefusal(status: number, body: string) {
  return status === 403 && (safeJson(body) as { code?: string } | null)?.code === 'EMAIL_NOT_VERIFIED';
}

/** What a sign-in's answer says about the password it was given. */
function signInOutcome(status: number, body: string): 'wrong_password' | 'right_password' | 'not_checked' {
  if (status === 401) return 'wrong_password';
  // The right password of an unconfirmed address is answered like a wrong one, and counted like one.
  if (isUnverifiedRefusal(status, body)) return 'wrong_password';
  return status >= 200 && status < 300 ? 'right_password' : 'not_checked';
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
    await touchLastLogin(services.db, parsed.user.id);
    await recordSecurityEvent(services.db, parsed.user.id, auditActorFor(request, parsed.user), {
      action: 'auth.signed_in',
      metadata: { method: 'password' },
    });
    return;
  }
  // 401 is a wrong email or password, or the right password of an unconfirmed address (answered alike).
  if (o.status === 401 && o.email) {
    const userId = await findUserIdByEmail(services.db, o.email);
    await recordSecurityEvent(services.db, userId, auditActorFor(request, null), {
      action: 'auth.sign_in_failed',
      metadata: { email: o.email, reason: 'invalid_credentials' },
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
      return { otherSessionsRevoked: true };
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

/** The session `sessionId` when it belongs to `userId`, so one can revoke only one's own sessions. */
async function findOwnSession(services: Services, userId: string, sessionId: unknown): Promise<{ id: string; token: string } | null> {
  if (!isUuid(sessionId)) return null;
  const [row] = await services.db
    .select({ id: sessions.id, token: sessions.token })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
  return row ?? null;
}

async function isTwoFactorEnabled(services: Services, userId: string) {
  const [row] = await services.db.select({ enabled: users.twoFactorEnabled }).from(users).where(eq(users.id, userId));
  return row?.enabled === true;
}

function toFetchRequest(request: FastifyRequest, services: Services, body: Record<string, unknown>): Request {
  const headers = toFetchHeaders(request.headers);
  headers.set('x-optarget-client-ip', request.ip);
  const url = new URL(request.url, services.config.publicUrl);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(url, {
    method: request.method,
    headers,
    body: hasBody ? JSON.stringify(body) : undefined,
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

/** better-auth's refusal with the fields it names, each with a rule, as the API's own refusals have them. */
function withFieldRules(path: string, body: string): string {
  const answer = safeJson(body);
  if (typeof answer !== 'object' || answer === null || 'fields' in answer) return body;
  const fields = authRefusalFields(path, answer);
  return fields.length ? JSON.stringify({ ...answer, fields }) : body;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
