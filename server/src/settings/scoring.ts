import {
  defaultEvidenceWeights,
  effectiveWeights,
  evidenceExplanations,
  ScoringWeightOverrides,
  type EvidenceKind,
  type ScoringWeights,
} from '@optarget/shared';
import type { Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';
import { changeSection } from './changes.js';
import { readSettings, type StoredSettings } from './store.js';

/** Gives every enriched lead of the tenant its score under `weights`; returns how many leads were rescored. */
export type RescoreLeads = (tx: Tx, tenantId: string, weights: Record<EvidenceKind, number>) => Promise<number>;

/** The stored overrides, each checked on its own: a kind that no longer exists or a bad value is dropped, not the rest. */
function overridesOf(s: StoredSettings): ScoringWeightOverrides {
  const kept = Object.entries(s.scoringWeights).filter(([kind, weight]) => ScoringWeightOverrides.safeParse({ [kind]: weight }).success);
  return Object.fromEntries(kept);
}

const scoringView = (overrides: ScoringWeightOverrides): ScoringWeights => ({
  weights: effectiveWeights(overrides),
  defaults: defaultEvidenceWeights,
  overrides,
  explanations: evidenceExplanations,
});

/** The tenant's overrides of the default evidence weights. */
export async function findScoringWeightOverrides(tx: Tx, tenantId: string): Promise<ScoringWeightOverrides> {
  return overridesOf(await readSettings(tx, tenantId));
}

export const getScoringSettings = async (tx: Tx, tenantId: string) => scoringView(await findScoringWeightOverrides(tx, tenantId));

/** Replaces the overrides (a kind left out goes back to its default) and has every enriched lead rescored. */
export async function updateScoringWeights(
  ctx: TenantContext,
  overrides: ScoringWeightOverrides,
  rescoreLeads: RescoreLeads,
): Promise<ScoringWeights> {
  const after = await changeSection(ctx, {
    section: 'scoring',
    audited: overridesOf,
    values: () => ({ scoringWeights: overrides }),
    then: async (s) => ({ rescoredLeads: await rescoreLeads(ctx.tx, ctx.tenantId, effectiveWeights(overridesOf(s))) }),
  });
  return scoringView(overridesOf(after));
}
