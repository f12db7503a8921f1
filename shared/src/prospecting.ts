import { z } from 'zod';
import { Text, Uuid } from './common.js';

export const prospectSources = ['osm', 'google'] as const;
export const ProspectSource = z.enum(prospectSources);
export type ProspectSource = z.infer<typeof ProspectSource>;

export const SearchPoint = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  radiusMeters: z.number().int().min(100, 'must be at least 100 m').max(50_000, 'must be at most 50 km'),
});

/**
 * A prospect search: what to look for, where (a place name OR a point with a radius), how many
 * results per source (bounded by the plan's results per search) and where to put them.
 */
export const ProspectSearchInput = z
  .object({
    query: Text.trim().min(2, 'must be at least 2 characters').max(120),
    location: Text.trim().min(2, 'must be at least 2 characters').max(200).optional(),
    point: SearchPoint.optional(),
    limit: z.number().int().min(1).max(10_000).default(100),
    sources: z
      .array(ProspectSource)
      .min(1, 'choose at least one source')
      .default(['osm'])
      .transform((s) => [...new Set(s)]),
    listId: Uuid.optional(),
    enrich: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.location && v.point)
      ctx.addIssue({ code: 'custom', path: ['location'], message: 'give either a place name or a point with a radius, not both' });
    if (!v.location && !v.point)
      ctx.addIssue({ code: 'custom', path: ['location'], message: 'give a place name or a point with a radius' });
  });
export type ProspectSearchInput = z.infer<typeof ProspectSearchInput>;
/** What a client sends to start a search (before the server's defaults). */
export type ProspectSearchBody = z.input<typeof ProspectSearchInput>;

export const CategoryQuery = z.object({ q: Text.trim().max(80).default('') });
export const CategorySuggestion = z.object({
  key: z.string(),
  en: z.string(),
  ar: z.string(),
  /** The OpenStreetMap tags searched for this category, e.g. `amenity=dentist`. */
  osmTags: z.array(z.string()),
});
export type CategorySuggestion = z.infer<typeof CategorySuggestion>;
export const CategorySuggestionList = z.object({ items: z.array(CategorySuggestion) });
