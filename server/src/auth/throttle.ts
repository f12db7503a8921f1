import { and, eq, gt, sql } from 'drizzle-orm';
import type { Config } from '../config/config.js';
import type { Db } from '../db/client.js';
import { sessions, users } from '../db/schema/index.js';
import { hitCounter, resetCounters, unhitCounter } from '../limits/counters.js';

export type SignInAttempt =
  { allowed: true; keys: string[] } | { allowed: false; retryAfterSeconds: number; scope: 'account_and_address' | 'account' };

/**
 * Counts a sign-in attempt before its password is checked, so parallel guesses cannot all pass a
 * check that only counts earlier failures. Two counts, as OWASP ASVS (V6) describes:
 * - per account and client address: SIGN_IN_MAX_FAILURES attempts per window. A guesser is stopped
 *   at that address; the owner, elsewhere, is not affected.
 * - per account from every address: SIGN_IN_MAX_ACCOUNT_FAILURES per window, against guessing from
 *   many addresses. Past it only addresses the account has a live session from may still try, so
 *   the owner's usual devices keep working; anyone else waits at most until the window ends.
 * An attempt counts towards the account only once its address was allowed, so one blocked address
 * cannot use up the account's count. Settle the attempt with `settleSignInAttempt`.
 */
export async function beginSignInAttempt(db: Db, config: Config, email: string, ip: string): Promise<SignInAttempt> {
  const windowMs = config.SIGN_IN_FAILURE_WINDOW_SECONDS * 1000;
  const addressKey = `sign-in:${email}:${ip}`;
  const accountKey = `sign-in:${email}`;
  const byAddress = await hitCounter(db, addressKey, windowMs);
  if (byAddress.count > config.SIGN_IN_MAX_FAILURES) {
    return { allowed: false, retryAfterSeconds: byAddress.retryAfterSeconds, scope: 'account_and_address' };
  }
  const byAccount = await hitCounter(db, accountKey, windowMs);
  if (byAccount.count > config.SIGN_IN_MAX_ACCOUNT_FAILURES && !(await hasLiveSessionFrom(db, email, ip))) {
    await unhitCounter(db, accountKey);
    return { allowed: false, retryAfterSeconds: byAccount.retryAfterSeconds, scope: 'account' };
  }
  return { allowed: true, keys: [addressKey, accountKey] };
}

/**
 * After the check: a wrong password keeps its count; the right password (with or without a second
 * step to come) clears both counts; anything else (a refused origin, a malformed request) did not
 * test a password and gives its count back.
 */
export async function settleSignInAttempt(db: Db, keys: string[], outcome: 'wrong_password' | 'right_password' | 'not_checked') {
  if (outcome === 'right_password') await resetCounters(db, keys);
  else if (outcome === 'not_checked') for (const key of keys) await unhitCounter(db, key);
}

async function hasLiveSessionFrom(db: Db, email: string, ip: string): Promise<boolean> {
  const [row] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(users.email, email), eq(sessions.ipAddress, ip), gt(sessions.expiresAt, sql`now()`)))
    .limit(1);
  return Boolean(row);
}
