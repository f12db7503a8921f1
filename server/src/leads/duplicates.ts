import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { leadDuplicateDismissals, leadDuplicates, leads } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { findLeadRow, selectLeadsWithOwner, toLeadDto } from './dto.js';

/** The most name flags one lead gets: the most similar, then closest, candidates win. */
export const NEAR_DUPLICATES_PER_LEAD = 20;

/**
 * Flags the given leads against the tenant's others as possible duplicates by name and distance
 * (the rule is the database function `flag_near_duplicates`, migration 0024), skipping pairs a
 * person dismissed and stopping at `NEAR_DUPLICATES_PER_LEAD` per lead; returns the leads flagged.
 */
export async function flagNearDuplicates(tx: Tx, tenantId: string, leadIds: string[]): Promise<Set<string>> {
  if (!leadIds.length) return new Set();
  const { rows } = (await tx.execute(
    sql`select f as id from flag_near_duplicates(${tenantId}::uuid, ${`{${leadIds.join(',')}}`}::uuid[], ${NEAR_DUPLICATES_PER_LEAD}::int) as f`,
  )) as unknown as { rows: { id: string }[] };
  return new Set(rows.map((r) => r.id));
}

/** A pair of leads the same whichever way round it is named, as dismissals store it. */
export const pairKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** Which of the pairs a person dismissed as not the same business. */
export async function dismissedPairs(tx: Tx, tenantId: string, pairs: [string, string][]): Promise<Set<string>> {
  const ids = [...new Set(pairs.flat())];
  const rows = await tx
    .select({ a: leadDuplicateDismissals.leadId, b: leadDuplicateDismissals.otherLeadId })
    .from(leadDuplicateDismissals)
    .where(and(eq(leadDuplicateDismissals.tenantId, tenantId), inArray(leadDuplicateDismissals.leadId, ids)));
  return new Set(rows.map((r) => pairKey(r.a, r.b)));
}

/** Marks two leads on one website with different phones as possibly the same business, unless a person said they are not. */
export async function markDomainDuplicates(tx: Tx, tenantId: string, candidates: [string, string][]) {
  if (!candidates.length) return;
  const dismissed = await dismissedPairs(tx, tenantId, candidates);
  const pairs = candidates.filter(([a, b]) => !dismissed.has(pairKey(a, b)));
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
  const dismissals = await tx
    .select({ a: leadDuplicateDismissals.leadId, b: leadDuplicateDismissals.otherLeadId, at: leadDuplicateDismissals.dismissedAt })
    .from(leadDuplicateDismissals)
    .where(
      and(
        eq(leadDuplicateDismissals.tenantId, tenantId),
        or(eq(leadDuplicateDismissals.leadId, leadId), eq(leadDuplicateDismissals.otherLeadId, leadId)),
      ),
    )
    .orderBy(desc(leadDuplicateDismissals.dismissedAt))
    .limit(50);
  const dismissed = dismissals.map((d) => ({ otherLeadId: d.a === leadId ? d.b : d.a, dismissedAt: d.at }));
  const otherIds = [...marks.map((m) => m.otherLeadId), ...dismissed.map((d) => d.otherLeadId)];
  if (!otherIds.length) return { items: [], dismissed: [] };
  const rows = await selectLeadsWithOwner(tx).where(and(eq(leads.tenantId, tenantId), inArray(leads.id, otherIds)));
  const byId = new Map(rows.map((r) => [r.lead.id, toLeadDto({ ...r.lead, possibleDuplicates: r.possibleDuplicates }, r.ownerName)]));
  return {
    items: marks.flatMap((m) => {
      const lead = byId.get(m.otherLeadId);
      return lead ? [{ lead, reason: m.reason, similarity: m.similarity, distanceM: m.distanceM }] : [];
    }),
    dismissed: dismissed.flatMap((d) => {
      const lead = byId.get(d.otherLeadId);
      return lead ? [{ lead, dismissedAt: d.dismissedAt.toISOString() }] : [];
    }),
  };
}
