import { eq } from 'drizzle-orm';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { twoFactor } from 'better-auth/plugins';
import type { Config } from '../config/config.js';
import type { Db } from '../db/client.js';
import * as schema from '../db/schema/index.js';
import type { Email, Mailer } from '../email/mailer.js';
import { countEmailTo } from '../email/limits.js';
import { existingAccountMessage, resetPasswordMessage, verifyEmailMessage } from '../email/templates.js';
import { actorFromHeaders, recordSecurityEvent } from './security-events.js';
import { provisionNewUser } from './sign-up.js';
import { singleUseTotp } from './single-use-totp.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './refusal-fields.js';

export type AuthDeps = { config: Config; db: Db; mailer: Mailer };

/** better-auth configured onto OpTarget's tables (users, sessions, accounts, verifications, two_factors, rate_limits). */
export function createAuth({ config, db, mailer }: AuthDeps) {
  const secure = config.publicUrl.startsWith('https://');
  // Emails anyone can make OpTarget send to any address are limited per address; past the limit the
  // request is answered as usual and nothing is sent, so the answer tells nothing about the address.
  const sendLimited = async (kind: string, email: Email) => {
    if ((await countEmailTo(db, kind, email.to)).allowed) await mailer.send(email);
  };
  return betterAuth({
    appName: 'OpTarget',
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    secret: config.appSecret,
    trustedOrigins: config.trustedOrigins,
    logger: { disabled: config.LOG_LEVEL === 'silent' },
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: {
        users: schema.users,
        sessions: schema.sessions,
        accounts: schema.accounts,
        verifications: schema.verifications,
        two_factors: schema.twoFactors,
        rate_limits: schema.rateLimits,
      },
    }),
    user: { modelName: 'users' },
    session: { modelName: 'sessions', expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    account: { modelName: 'accounts' },
    verification: { modelName: 'verifications' },
    advanced: {
      database: { generateId: () => crypto.randomUUID() },
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure },
      // The HTTP layer sets this header to the client address it trusts (see auth/routes.ts).
      ipAddress: { ipAddressHeaders: ['x-optarget-client-ip'] },
      // better-auth turns its origin and redirect checks off when NODE_ENV=test; keep them on so the
      // tests exercise what production runs (CSRF by Origin, no reset/verify links to foreign sites).
      disableOriginCheck: false,
      disableCSRFCheck: false,
    },
    // A per-address flood guard only: password guessing is stopped per account (auth/throttle.ts), and
    // better-auth's default of 3 sign-ins per 10 s per address would lock out an office behind one NAT.
    // Tests run every simulated person from the same loopback address, so the guard stays off there.
    rateLimit: {
      enabled: config.NODE_ENV !== 'test',
      storage: 'database',
      modelName: 'rate_limits',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/*': { window: 60, max: 30 },
        '/sign-up/*': { window: 60, max: 10 },
      },
    },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      // A new account signs in by the link emailed to it, so signing up with an address that already
      // has an account can be answered exactly like a new one (its owner is emailed instead).
      requireEmailVerification: true,
      onExistingUserSignUp: async ({ user }) => sendLimited('existing-account', existingAccountMessage(user.email, config.publicUrl)),
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url }) => sendLimited('password-reset', resetPasswordMessage(user.email, url)),
      onPasswordReset: async ({ user }, request) =>
        recordSecurityEvent(db, user.id, actorFromHeaders(user, request?.headers), {
          action: 'auth.password_reset',
          metadata: { sessionsRevoked: true },
        }),
    },
    emailVerification: {
      sendOnSignUp: true,
      sendOnSignIn: true,
      autoSignInAfterVerification: true,
      sendVerificationEmail: async ({ user, url }) => {
        // Someone who signed up from an invitation proved the address with its link already (auth/sign-up.ts).
        if (!(await isEmailVerified(db, user.id))) await sendLimited('verification', verifyEmailMessage(user.email, url));
      },
      afterEmailVerification: async (user, request) =>
        recordSecurityEvent(db, user.id, actorFromHeaders(user, request?.headers), {
          action: 'auth.email_verified',
          metadata: { email: user.email },
        }),
    },
    hooks: { before: singleUseTotp(db) },
    plugins: [twoFactor({ issuer: 'OpTarget', schema: { twoFactor: { modelName: 'two_factors' }, user: { modelName: 'users' } } })],
    databaseHooks: {
      user: { create: { after: (user, ctx) => provisionNewUser(db, user, ctx) } },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

async function isEmailVerified(db: Db, userId: string) {
  const [row] = await db.select({ verified: schema.users.emailVerified }).from(schema.users).where(eq(schema.users.id, userId));
  return row?.verified === true;
}
