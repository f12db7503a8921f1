import { sql } from 'drizzle-orm';
import { effectiveWeights, evidenceExplanations, evidenceKinds, type EvidenceKind, type ScoreLine } from '@optarget/shared';
import type { Tx } from '../db/transactions.js';
import { findScoringWeightOverrides } from '../settings/scoring.js';

export type Weights = Record<EvidenceKind, number>;

export const findTenantWeights = async (tx: Tx, tenantId: string) => effectiveWeights(await findScoringWeightOverrides(tx, tenantId));

/** One line per distinct kind present, in the order of the kind table: what the lead page shows. */
export function scoreBreakdown(kinds: Iterable<string>, weights: Weights): ScoreLine[] {
  const present = new Set(kinds);
  return evidenceKinds
    .filter((k) => present.has(k))
    .map((kind) => ({ kind, weight: weights[kind], explanation: evidenceExplanations[kind] }));
}

/** The opportunity score: the weights of the distinct kinds present, summed and clamped to 0–100. */
export const scoreOf = (kinds: Iterable<string>, weights: Weights) =>
  Math.max(
    0,
    Math.min(
      100,
      scoreBreakdown(kinds, weights).reduce((sum, line) => sum + line.weight, 0),
    ),
  );

/**
 * After the weights change: every evidence row takes its kind's new weight and every enriched lead
 * of the tenant gets its score again, in two set-based statements (no row-by-row round trips).
 * Returns how many leads were rescored.
 */
export async function recomputeTenantScores(tx: Tx, tenantId: string, weights: Weights): Promise<number> {
  const table = JSON.stringify(weights);
  await tx.execute(sql`
    update evidence set weight = coalesce((${table}::jsonb ->> kind)::int, 0)
    where tenant_id = ${tenantId}`);
  const result = await tx.execute(sql`
    update leads l set score = greatest(0, least(100, coalesce((
      select sum(coalesce((${table}::jsonb ->> k.kind)::int, 0))
      from (select distinct e.kind from evidence e where e.lead_id = l.id and e.tenant_id = ${tenantId}) k
    ), 0)))
    where l.tenant_id = ${tenantId} and exists (select 1 from evidence e where e.lead_id = l.id and e.tenant_id = ${tenantId})
    returning l.id`);
  return (result as unknown as { rows: unknown[] }).rows.length;
}
