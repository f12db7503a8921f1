import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { EnrichLeadsBody } from '@optarget/shared';
import { leads, lists } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { leadConditions } from '../leads/query.js';

/** The WHERE clause for the leads an enrichment covers. */
export const selectionWhere = (tenantId: string, s: EnrichLeadsBody): SQL =>
  s.leadIds
    ? and(eq(leads.tenantId, tenantId), inArray(leads.id, s.leadIds))!
    : leadConditions(tenantId, s.listId ? { listId: s.listId } : s.filter!);

export async function listExists(tx: Tx, tenantId: string, listId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: lists.id })
    .from(lists)
    .where(and(eq(lists.tenantId, tenantId), eq(lists.id, listId)));
  return Boolean(row);
}
