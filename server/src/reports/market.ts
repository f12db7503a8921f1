import { and, eq, isNotNull, ne, sql } from 'drizzle-orm';
import { evidence, leads } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { reportAreas, type ReportArea } from './labels.js';

/** Where a business stands in one area against the checked businesses of its category and city. */
export type AreaStanding = { area: ReportArea; total: number; doBetter: number; doWorse: number };

/** Enough peers to place a business; more would only slow the report. */
const MAX_PEERS = 2000;

const areaOf = new Map<string, ReportArea>(
  Object.entries(reportAreas).flatMap(([area, kinds]) => kinds.map((k) => [k, area as ReportArea] as const)),
);

/** The weight of what evidence shows in each area: the higher, the more there is to fix. */
function areaPenalties(rows: { kind: string; weight: number }[]): Map<ReportArea, number> {
  const out = new Map<ReportArea, number>();
  for (const r of rows) {
    const area = areaOf.get(r.kind);
    if (area && r.weight > 0) out.set(area, (out.get(area) ?? 0) + r.weight);
  }
  return out;
}

/**
 * Compares a lead with the tenant's other checked leads of the same category and city, area by
 * area. An area is left out (no data) when the lead itself was never checked or has no peers.
 */
export async function marketStanding(
  tx: Tx,
  tenantId: string,
  lead: { id: string; category: string | null; city: string | null; checked: boolean },
  own: { kind: string; weight: number }[],
): Promise<AreaStanding[]> {
  if (!lead.checked || !lead.category || !lead.city) return [];
  const peers = await tx
    .select({ id: leads.id })
    .from(leads)
    .where(
      and(
        eq(leads.tenantId, tenantId),
        ne(leads.id, lead.id),
        isNotNull(leads.scoreBasis),
        sql`lower(${leads.category}) = lower(${lead.category})`,
        sql`lower(${leads.city}) = lower(${lead.city})`,
      ),
    )
    .limit(MAX_PEERS);
  if (peers.length === 0) return [];
  const rows = await tx
    .select({ leadId: evidence.leadId, kind: evidence.kind, weight: evidence.weight })
    .from(evidence)
    .where(
      and(
        eq(evidence.tenantId, tenantId),
        sql`${evidence.leadId} in (${sql.join(
          peers.map((p) => sql`${p.id}`),
          sql`, `,
        )})`,
      ),
    );
  const byPeer = new Map<string, { kind: string; weight: number }[]>(peers.map((p) => [p.id, []]));
  for (const r of rows) byPeer.get(r.leadId)?.push(r);
  const mine = areaPenalties(own);
  const theirs = [...byPeer.values()].map(areaPenalties);
  return (Object.keys(reportAreas) as ReportArea[]).map((area) => {
    const p = mine.get(area) ?? 0;
    const doBetter = theirs.filter((t) => (t.get(area) ?? 0) < p).length;
    const doWorse = theirs.filter((t) => (t.get(area) ?? 0) > p).length;
    return { area, total: theirs.length, doBetter, doWorse };
  });
}
