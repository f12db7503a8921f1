import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { leadDuplicates, leads } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { findLeadRow, selectLeadsWithOwner, toLeadDto } from './dto.js';

/**
 * Flags the given leads against the tenant's others as possible duplicates by name and distance
 * (the rule is the database function `flag_near_duplicates`, migration 0019); returns the leads flagged.
 */
export async function flagNearDuplicates(tx: Tx, tenantId: string, leadIds: string[]): Promise<Set<string>> {
  if (!leadIds.length) return new Set();
  const { rows } = (await tx.execute(
    sql`select f as id from flag_near_duplicates(${tenantId}::uuid, ${`{${leadIds.join(',')}}`}::uuid[]) as f`,
  )) as unknown as { rows: { id: string }[] };
  return new Set(rows.map((r) => r.id));
}

/** Marks two leads on one website with different phones as possibly the same business. */
export async function markDomainDuplicates(tx: Tx, tenantId: string, pairs: [string, string][]) {
  if (!pairs.length) return;
  await tx
    .insert(leadDuplicates)
    .values(
      pairs.flatMap(([a, b]) => [
        { tenantId, leadId: a, otherLeadId: b, reason: 'domain' as const },
        { tenantId, leadId: b, otherLeadId: a, reason: 'domain' as const },
      ]),
    )
    .onConflictDoNothing();
}

/** After a person changed a lead's name or place, its name-based marks are worked out again. */
export async function reflagNearDuplicates(tx: Tx, tenantId: string, leadId: string) {
  await tx
    .delete(leadDuplicates)
    .where(
      and(
        eq(leadDuplicates.tenantId, tenantId),
        eq(leadDuplicates.reason, 'name'),
        or(eq(leadDuplicates.leadId, leadId), eq(leadDuplicates.otherLeadId, leadId)),
      ),
    );
  await flagNearDuplicates(tx, tenantId, [leadId]);
}

/** The leads that may be the same business as `leadId`, closest first. */
export async function findDuplicateCandidates(tx: Tx, tenantId: string, leadId: string) {
  await findLeadRow(tx, tenantId, leadId);
  const marks = await tx
    .select()
    .from(leadDuplicates)
    .where(and(eq(leadDuplicates.tenantId, tenantId), eq(leadDuplicates.leadId, leadId)))
    .orderBy(asc(leadDuplicates.distanceM), asc(leadDuplicates.createdAt))
    .limit(50);
  if (!marks.length) return { items: [] };
  const rows = await selectLeadsWithOwner(tx).where(
    and(
      eq(leads.tenantId, tenantId),
      inArray(
        leads.id,
        marks.map((m) => m.otherLeadId),
      ),
    ),
  );
  const byId = new Map(rows.map((r) => [r.lead.id, toLeadDto({ ...r.lead, possibleDuplicates: r.possibleDuplicates }, r.ownerName)]));
  return {
    items: marks.flatMap((m) => {
      const lead = byId.get(m.otherLeadId);
      return lead ? [{ lead, reason: m.reason, similarity: m.similarity, distanceM: m.distanceM }] : [];
    }),
  };
}
