import { z } from 'zod';
import { IsoDate, Uuid } from './common.js';
import { LeadFilter } from './leads.js';

export const evidenceKinds = [
  'WEBSITE_MISSING',
  'WEBSITE_UNREACHABLE',
  'NO_HTTPS',
  'TLS_INVALID',
  'SLOW_RESPONSE',
  'HEAVY_PAGE',
  'NO_MOBILE_VIEWPORT',
  'MISSING_TITLE',
  'MISSING_META_DESCRIPTION',
  'EMAIL_FOUND',
  'PHONE_FOUND',
  'SOCIAL_PROFILE',
  'NO_SOCIAL_PROFILES',
  'TECHNOLOGY',
  'OUTDATED_COPYRIGHT',
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
  NO_HTTPS: 15,
  TLS_INVALID: 15,
  SLOW_RESPONSE: 10,
  HEAVY_PAGE: 5,
  NO_MOBILE_VIEWPORT: 15,
  MISSING_TITLE: 10,
  MISSING_META_DESCRIPTION: 5,
  EMAIL_FOUND: 5,
  PHONE_FOUND: 5,
  SOCIAL_PROFILE: 0,
  NO_SOCIAL_PROFILES: 10,
  TECHNOLOGY: 0,
  OUTDATED_COPYRIGHT: 10,
  LOW_RATING: 10,
  FEW_REVIEWS: 10,
};

/** Why each kind signals an opportunity: shown next to its weight in the score breakdown. */
export const evidenceExplanations: Record<EvidenceKind, string> = {
  WEBSITE_MISSING: 'The business has no website of its own, so customers searching online cannot find it: the clearest need for web work.',
  WEBSITE_UNREACHABLE: 'The website did not answer or refused our visit; visitors who try it probably see an error too.',
  NO_HTTPS: 'The site is served without HTTPS, so browsers mark it "Not secure" and search engines rank it lower.',
  TLS_INVALID: 'The HTTPS certificate is invalid or expired, so browsers show a full-page security warning.',
  SLOW_RESPONSE: 'The site answers slowly; slow pages lose visitors and search ranking.',
  HEAVY_PAGE: 'The page is very heavy to download, which hurts mobile visitors and load times.',
  NO_MOBILE_VIEWPORT: 'The site has no mobile viewport, so it is hard to use on phones, where most local searches happen.',
  MISSING_TITLE: 'The home page has no title, which hurts how it appears in search results and browser tabs.',
  MISSING_META_DESCRIPTION: 'The home page has no meta description, so search engines show a random snippet instead of a pitch.',
  EMAIL_FOUND: 'An email address is published, so the business can be contacted directly.',
  PHONE_FOUND: 'A phone number is published, so the business can be called or messaged.',
  SOCIAL_PROFILE: 'The business keeps a social profile: useful context, and a channel to reach it.',
  NO_SOCIAL_PROFILES: 'The website links to no social profile, a sign that online marketing is neglected.',
  TECHNOLOGY: 'A technology detected on the site: context for the pitch rather than a problem by itself.',
  OUTDATED_COPYRIGHT: 'The copyright notice is years old, a sign the site is no longer maintained.',
  LOW_RATING: 'The listing is rated below 4.0, so reputation work can win customers back.',
  FEW_REVIEWS: 'The listing has fewer than 10 reviews, so it looks less trustworthy than its competitors.',
};

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

export const EvidenceItem = z.object({
  id: Uuid,
  kind: EvidenceKind,
  value: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  snippet: z.string().nullable(),
  weight: z.number(),
  capturedAt: IsoDate,
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const ScoreLine = z.object({ kind: EvidenceKind, weight: z.number(), explanation: z.string() });
export type ScoreLine = z.infer<typeof ScoreLine>;

export const LeadEvidence = z.object({
  leadId: Uuid,
  score: z.number(),
  enrichedAt: IsoDate.nullable(),
  groups: z.array(z.object({ kind: EvidenceKind, explanation: z.string(), items: z.array(EvidenceItem) })),
  breakdown: z.array(ScoreLine),
});
export type LeadEvidence = z.infer<typeof LeadEvidence>;
