import { sql } from 'drizzle-orm';
import type { LeadCount, LeadFilter } from '@optarget/shared';
import { countRows } from '../db/count.js';
import { leads } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { leadConditions } from './query.js';

/** The number of the tenant's leads matching the filter, as the table's total and bulk confirmations show it. */
export function countLeads(tx: Tx, tenantId: string, filter: LeadFilter): Promise<LeadCount> {
  return countRows(
    tx,
    tx
      .select({ one: sql`1` })
      .from(leads)
      .where(leadConditions(tenantId, filter)),
  );
}
