import type { Db } from '../db/client.js';
import type { Tx } from '../db/transactions.js';
import { hitCounter, type Hit } from '../limits/counters.js';

/** Emails of one kind that one address receives per hour at most, however often they are asked for. */
export const EMAILS_PER_ADDRESS_PER_HOUR = 3;
const HOUR_MS = 60 * 60 * 1000;

/**
 * Counts an email about to go to `address` and says whether it is within the hourly limit for its
 * kind. `scope` narrows the count (an organization's invitations are counted per organization, so
 * one organization's sending never shows in another's answers).
 */
export async function countEmailTo(db: Db | Tx, kind: string, address: string, scope = ''): Promise<Hit & { allowed: boolean }> {
  const hit = await hitCounter(db, `email:${kind}:${scope}:${address.trim().toLowerCase()}`, HOUR_MS);
  return { ...hit, allowed: hit.count <= EMAILS_PER_ADDRESS_PER_HOUR };
}
