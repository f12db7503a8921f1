import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { twoFactor } from 'better-auth/plugins';
import type { Config } from '../config/config.js';
import type { Db } from '../db/client.js';
import * as schema from '../db/schema/index.js';
import type { Mailer } from '../email/mailer.js';
import { resetPasswordMessage, verifyEmailMessage } from '../email/templates.js';
import { provisionNewUser } from './sign-up.js';

export type AuthDeps = { config: Config; db: Db; mailer: Mailer };

/** better-auth configured onto OpTarget's tables (users, sessions, accounts, verifications, two_factors, rate_limits). */
export function createAuth({ config, db, mailer }: AuthDeps) {
  const secure = config.publicUrl.startsWith('https://');
  return betterAuth({
    appName: 'OpTarget',
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    secret: config.appSecret,
    trustedOrigins: [config.publicUrl],
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
    },
    rateLimit: {
      enabled: true,
      storage: 'database',
      modelName: 'rate_limits',
      window: 60,
      max: 300,
    },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      requireEmailVerification: false,
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url }) => mailer.send(resetPasswordMessage(user.email, url)),
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      sendVerificationEmail: async ({ user, url }) => mailer.send(verifyEmailMessage(user.email, url)),
    },
    plugins: [twoFactor({ issuer: 'OpTarget', schema: { twoFactor: { modelName: 'two_factors' }, user: { modelName: 'users' } } })],
    databaseHooks: {
      user: { create: { after: (user, ctx) => provisionNewUser(db, user, ctx) } },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
