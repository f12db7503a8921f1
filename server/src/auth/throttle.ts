import { and, count, eq, gt } from 'drizzle-orm';
import type { Config } from '../config/config.js';
import type { Db } from '../db/client.js';
import { signInFailures } from '../db/schema/index.js';

/**
 * Failed sign-ins are counted per email address (not per IP, which an attacker can rotate and
 * many honest users behind one NAT share). Past the limit inside the window, sign-in answers 429
 * until the oldest failure leaves the window.
 */
export async function isSignInThrottled(db: Db, config: Config, email: string): Promise<boolean> {
  if (!email) return false;
  const since = new Date(Date.now() - config.SIGN_IN_FAILURE_WINDOW_SECONDS * 1000);
  const [row] = await db
    .select({ n: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.email, email.trim().toLowerCase()), gt(signInFailures.createdAt, since)));
  return (row?.n ?? 0) >= config.SIGN_IN_MAX_FAILURES;
}

export async function recordSignInFailure(db: Db, email: string, ip: string | null) {
  await db.insert(signInFailures).values({ email: email.trim().toLowerCase(), ipAddress: ip });
}

export async function clearSignInFailures(db: Db, email: string) {
  await db.delete(signInFailures).where(eq(signInFailures.email, email.trim().toLowerCase()));
}
