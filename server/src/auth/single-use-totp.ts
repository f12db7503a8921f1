import { and, eq, lte, sql } from 'drizzle-orm';
import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import type { Db } from '../db/client.js';
import { usedTotpCodes } from '../db/schema/index.js';

/**
 * How long a used code is remembered: a TOTP code is valid for its 30-second step and, with
 * the library's default tolerance, one step either side, so 90 s after its first use it can no
 * longer be accepted; the margin covers a slow request.
 */
const REMEMBER_SECONDS = 120;

/**
 * better-auth accepts a TOTP code as often as it is presented within its window, so a code seen
 * over someone's shoulder or replayed from a log works twice. Before the library checks a code,
 * it is claimed for its user in one statement; a code already claimed is refused without being
 * checked, so of two parallel requests with the same code only one can succeed. A claimed code
 * that turns out wrong stays claimed: it cannot become someone's right code within two minutes
 * but a handful of times in a million.
 */
export function singleUseTotp(db: Db) {
  return createAuthMiddleware(async (ctx) => {
    if (ctx.path !== '/two-factor/verify-totp') return;
    const body = ctx.body as { code?: unknown } | undefined;
    const code = typeof body?.code === 'string' ? body.code.trim() : '';
    const userId = code ? await challengedUserId(ctx) : null;
    // Without a code or a challenge, better-auth refuses the request itself.
    if (!userId) return;
    if (!(await claimCode(db, userId, code))) {
      throw new APIError('UNAUTHORIZED', {
        code: 'TOTP_CODE_ALREADY_USED',
        message: 'This code has already been used. Wait for the next code from your authenticator app.',
      });
    }
  });
}

type Ctx = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

/** The signed-in user (setting up 2FA), or the user whose sign-in waits for its second step. */
async function challengedUserId(ctx: Ctx): Promise<string | null> {
  const session = await getSessionFromCtx(ctx).catch(() => null);
  if (session) return session.user.id;
  const challenge = await ctx.getSignedCookie(ctx.context.createAuthCookie('two_factor').name, ctx.context.secret);
  if (!challenge) return null;
  const pending = await ctx.context.internalAdapter.findVerificationValue(challenge);
  return pending?.value ?? null;
}

async function claimCode(db: Db, userId: string, code: string): Promise<boolean> {
  await db.delete(usedTotpCodes).where(and(eq(usedTotpCodes.userId, userId), lte(usedTotpCodes.expiresAt, sql`now()`)));
  const rows = await db
    .insert(usedTotpCodes)
    .values({ userId, code, expiresAt: sql`now() + make_interval(secs => ${REMEMBER_SECONDS})` })
    .onConflictDoUpdate({
      target: [usedTotpCodes.userId, usedTotpCodes.code],
      set: { expiresAt: sql`excluded.expires_at` },
      setWhere: sql`${usedTotpCodes.expiresAt} <= now()`,
    })
    .returning({ userId: usedTotpCodes.userId });
  return rows.length === 1;
}
