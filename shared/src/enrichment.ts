import { z } from 'zod';
import { IsoDate, Uuid } from './common.js';
import { findingMessagesEn } from './findings.js';
import { LeadFilter } from './leads.js';

/** The kinds of evidence, in the order the lead page and the score breakdown show them. */
export const evidenceKinds = [
  'WEBSITE_MISSING',
  'WEBSITE_UNREACHABLE',
  'WEBSITE_NOT_READ',
  'NO_HTTPS',
  'TLS_INVALID',
  'SLOW_RESPONSE',
  'HEAVY_PAGE',
  'NO_MOBILE_VIEWPORT',
  'MISSING_TITLE',
  'MISSING_META_DESCRIPTION',
  'EMAIL_FOUND',
  'PHONE_FOUND',
  'WHATSAPP_LINK',
  'NO_WHATSAPP_LINK',
  'LISTED_PHONE_TYPE',
  'SOCIAL_PROFILE',
  'NO_SOCIAL_PROFILES',
  'MAPS_LISTING',
  'TECHNOLOGY',
  'OUTDATED_TECHNOLOGY',
  'OUTDATED_COPYRIGHT',
  'ARABIC_VERSION',
  'NO_ARABIC_VERSION',
  'LOW_RATING',
  'FEW_REVIEWS',
] as const;
export const EvidenceKind = z.enum(evidenceKinds);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

/**
 * The default weight of each evidence kind in the opportunity score (0–100). A lead's score is the
 * sum of the weights of the distinct kinds it shows, clamped to 0–100; each tenant may override any
 * weight in its settings.
 */
export const defaultEvidenceWeights: Record<EvidenceKind, number> = {
  WEBSITE_MISSING: 35,
  WEBSITE_UNREACHABLE: 30,
  WEBSITE_NOT_READ: 0,
  NO_HTTPS: 15,
  TLS_INVALID: 15,
  SLOW_RESPONSE: 10,
  HEAVY_PAGE: 5,
  NO_MOBILE_VIEWPORT: 15,
  MISSING_TITLE: 10,
  MISSING_META_DESCRIPTION: 5,
  EMAIL_FOUND: 5,
  PHONE_FOUND: 5,
  WHATSAPP_LINK: 0,
  NO_WHATSAPP_LINK: 5,
  LISTED_PHONE_TYPE: 0,
  SOCIAL_PROFILE: 0,
  NO_SOCIAL_PROFILES: 10,
  MAPS_LISTING: 0,
  TECHNOLOGY: 0,
  OUTDATED_TECHNOLOGY: 15,
  OUTDATED_COPYRIGHT: 10,
  ARABIC_VERSION: 0,
  NO_ARABIC_VERSION: 10,
  LOW_RATING: 10,
  FEW_REVIEWS: 10,
};

/** Why each kind signals an opportunity (English): shown next to its weight in the score breakdown. */
export const evidenceExplanations = Object.fromEntries(evidenceKinds.map((k) => [k, findingMessagesEn[`finding.why.${k}`]])) as Record<
  EvidenceKind,
  string
>;

/** The weights in force for a tenant: the defaults with its overrides applied. */
export const effectiveWeights = (overrides: ScoringWeightOverrides = {}): Record<EvidenceKind, number> => ({
  ...defaultEvidenceWeights,
  ...overrides,
});

export const ScoringWeightOverrides = z.partialRecord(
  EvidenceKind,
  z.number().int('must be a whole number').min(-100, 'must be at least -100').max(100, 'must be at most 100'),
);
export type ScoringWeightOverrides = z.infer<typeof ScoringWeightOverrides>;

export const ScoringWeights = z.object({
  /** The weights in force: defaults with the tenant's overrides applied. */
  weights: z.record(EvidenceKind, z.number()),
  defaults: z.record(EvidenceKind, z.number()),
  overrides: ScoringWeightOverrides,
  explanations: z.record(EvidenceKind, z.string()),
});
export type ScoringWeights = z.infer<typeof ScoringWeights>;
/** Replaces the tenant's overrides; a kind left out goes back to its default weight. */
export const UpdateScoringWeightsBody = z.object({ weights: ScoringWeightOverrides });

/** Which leads to enrich: exactly one of a list of ids, a list, or a lead-table filter. */
export const EnrichLeadsBody = z
  .object({
    leadIds: z.array(Uuid).min(1, 'must name at least one lead').max(10_000, 'at most 10,000 leads at a time').optional(),
    listId: Uuid.optional(),
    filter: LeadFilter.optional(),
  })
  .refine((s) => [s.leadIds, s.listId, s.filter].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of leadIds, listId or filter',
    path: ['leadIds'],
  });
export type EnrichLeadsBody = z.infer<typeof EnrichLeadsBody>;

/** What the proof of a finding is: the snippet is text of the page, an attribute, a response header… */
export const proofKinds = ['text', 'attribute', 'header', 'html', 'listing', 'measurement', 'error', 'robots', 'absence'] as const;
export const ProofKind = z.enum(proofKinds);
export type ProofKind = z.infer<typeof ProofKind>;

/** The parameters of a finding's sentence (see findings.ts); `variant` picks the sentence of its kind. */
export const EvidenceParams = z.record(z.string(), z.union([z.string(), z.number()]));
export type EvidenceParams = z.infer<typeof EvidenceParams>;

export const EvidenceItem = z.object({
  id: Uuid,
  kind: EvidenceKind,
  /** The fact in one value (an address, a version, a URL): what lists and exports show. */
  value: z.string().nullable(),
  params: EvidenceParams,
  /** Where the proof was read. */
  sourceUrl: z.string().nullable(),
  /** The exact text, attribute, header or technical detail that was read. */
  snippet: z.string().nullable(),
  proofKind: ProofKind.nullable(),
  /** When the proof was fetched; null for listing facts and for evidence recorded before fetch times were kept. */
  fetchedAt: IsoDate.nullable(),
  weight: z.number(),
  capturedAt: IsoDate,
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const ScoreLine = z.object({ kind: EvidenceKind, weight: z.number(), explanation: z.string() });
export type ScoreLine = z.infer<typeof ScoreLine>;

/** What a lead's score was computed from at its last enrichment. */
export const ScoreBasis = z.object({
  checkedAt: IsoDate,
  /** read: pages were read; not-read: robots.txt kept us out; unreachable: the visit failed; none: no website of its own. */
  website: z.enum(['read', 'not-read', 'unreachable', 'none']),
  pagesRead: z.number().int(),
});
export type ScoreBasis = z.infer<typeof ScoreBasis>;

export const LeadEvidence = z.object({
  leadId: Uuid,
  score: z.number(),
  enrichedAt: IsoDate.nullable(),
  /** Null for a lead never enriched (or enriched before the basis was recorded). */
  basis: ScoreBasis.nullable(),
  groups: z.array(z.object({ kind: EvidenceKind, explanation: z.string(), items: z.array(EvidenceItem) })),
  breakdown: z.array(ScoreLine),
});
export type LeadEvidence = z.infer<typeof LeadEvidence>;
