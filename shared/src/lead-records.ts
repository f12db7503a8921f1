import { z } from 'zod';
import { IsoDate, Uuid } from './common.js';
import { Lead, LeadSource } from './leads.js';

/** One source of a lead: which service or person, its id there, when, and which fields it filled. */
export const LeadSourceEntry = z.object({
  source: LeadSource,
  sourceId: z.string().nullable(),
  fields: z.array(z.string()),
  jobId: Uuid.nullable(),
  firstSeenAt: IsoDate,
  lastSeenAt: IsoDate,
});
export const LeadSourceList = z.object({ items: z.array(LeadSourceEntry) });
export type LeadSourceEntry = z.infer<typeof LeadSourceEntry>;

/** A lead that may be the same business: why, and how close. */
export const DuplicateCandidate = z.object({
  lead: Lead,
  reason: z.enum(['domain', 'name']),
  similarity: z.number().nullable(),
  distanceM: z.number().nullable(),
});
/** A lead a person said is not the same business: no longer flagged, until the dismissal is reverted. */
export const DismissedDuplicate = z.object({ lead: Lead, dismissedAt: IsoDate });
export type DismissedDuplicate = z.infer<typeof DismissedDuplicate>;
export const DuplicateCandidateList = z.object({ items: z.array(DuplicateCandidate), dismissed: z.array(DismissedDuplicate) });
export const DuplicatePairParams = z.object({ tenantId: Uuid, leadId: Uuid, otherLeadId: Uuid });
export type DuplicateCandidate = z.infer<typeof DuplicateCandidate>;

/** Fields of a merged lead that come from one of the leads, as the person chose (default: the kept lead's, else the first that has one). */
export const mergeFields = [
  'name',
  'category',
  'address',
  'city',
  'country',
  'location',
  'phone',
  'email',
  'website',
  'rating',
  'status',
  'owner',
  'score',
] as const;
export const MergeField = z.enum(mergeFields);
export type MergeField = z.infer<typeof MergeField>;

/** A lead's value for a merge field as text, as the preview shows it (null: the lead has none). */
export function mergeFieldValue(lead: Lead, field: MergeField): string | null {
  switch (field) {
    case 'location':
      return lead.lat !== null && lead.lon !== null ? `${lead.lat}, ${lead.lon}` : null;
    case 'phone':
      return lead.phone ?? lead.phoneRaw;
    case 'email':
      return lead.email ?? lead.emailRaw;
    case 'website':
      return lead.website ?? lead.websiteRaw;
    case 'rating':
      return lead.rating === null ? null : `${lead.rating}${lead.reviewCount === null ? '' : ` (${lead.reviewCount})`}`;
    case 'owner':
      return lead.owner?.name ?? null;
    case 'score':
      return String(lead.score);
    default:
      return lead[field];
  }
}

export const MergeLeadsBody = z.object({
  keepId: Uuid,
  mergeIds: z.array(Uuid).min(1, 'name at least one lead to merge').max(9, 'at most 9 leads at once'),
  /** For any field, the lead whose value the merged lead keeps. */
  fields: z.partialRecord(MergeField, Uuid).optional(),
});
export type MergeLeadsBody = z.infer<typeof MergeLeadsBody>;

/** What moves to the kept lead, by kind, so the confirmation can name the counts. */
export const MergeMoves = z.object({
  evidence: z.number().int(),
  lists: z.number().int(),
  reports: z.number().int(),
  messages: z.number().int(),
  sources: z.number().int(),
  jobs: z.number().int(),
});
export type MergeMoves = z.infer<typeof MergeMoves>;

export const MergePreview = z.object({
  leads: z.array(Lead),
  /** For each field, the lead its value comes from (null where no lead has one) and the value as shown. */
  fields: z.array(z.object({ field: MergeField, fromLeadId: Uuid.nullable(), value: z.string().nullable() })),
  /** Tags and notes of all the leads are kept together. */
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  moves: MergeMoves,
});
export type MergePreview = z.infer<typeof MergePreview>;

/** How long a merge can be undone. */
export const MERGE_UNDO_DAYS = 30;

export const MergeResult = z.object({
  lead: Lead,
  mergedLeadIds: z.array(Uuid),
  moves: MergeMoves,
  /** Undoes this merge (POST …/leads/:keptId/merges/:mergeId/undo) until `undoUntil`. */
  mergeId: Uuid,
  undoUntil: IsoDate,
});

/** A merge into a lead, as its page lists it with the way back. */
export const LeadMergeEntry = z.object({
  mergeId: Uuid,
  mergedLeads: z.array(z.object({ id: Uuid, name: z.string() })),
  mergedAt: IsoDate,
  mergedByName: z.string().nullable(),
  undoUntil: IsoDate,
  /** False once the window closed, for merges made before undo existed, or while the kept lead is itself merged away. */
  undoable: z.boolean(),
});
export type LeadMergeEntry = z.infer<typeof LeadMergeEntry>;
export const LeadMergeList = z.object({ items: z.array(LeadMergeEntry) });
export const MergeUndoParams = z.object({ tenantId: Uuid, leadId: Uuid, mergeId: Uuid });
export const MergeUndoResult = z.object({ lead: Lead, restoredLeadIds: z.array(Uuid) });
