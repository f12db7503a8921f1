import { z } from 'zod';
import { countedPage, IsoDate, Text, Uuid } from './common.js';
import { LeadFilter, LeadListQuery, LeadSort } from './leads.js';

export const LeadList = z.object({
  id: Uuid,
  name: z.string(),
  description: z.string().nullable(),
  leadCount: z.number(),
  createdBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type LeadList = z.infer<typeof LeadList>;

export const ListParams = z.object({ tenantId: Uuid, listId: Uuid });
export const CreateListBody = z.object({
  name: Text.trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
  description: Text.trim().max(2000, 'must be at most 2000 characters').nullable().optional(),
});
export const UpdateListBody = CreateListBody.partial();
export type CreateListBody = z.input<typeof CreateListBody>;
export type UpdateListBody = z.input<typeof UpdateListBody>;
export const ListMembersBody = z.object({ leadIds: z.array(Uuid).min(1, 'select at least one lead').max(10000) });
export const ListMembersResult = z.object({ changed: z.number() });
export const ListPage = countedPage(LeadList);

export const ListQuery = z.object({
  /** Part of the list's name, any letter case. */
  q: Text.trim().max(200, 'must be at most 200 characters').optional(),
  // Longer than other cursors: it carries the last list's name, up to 120 characters of any script.
  cursor: Text.max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListQuery = z.infer<typeof ListQuery>;

/** The lists one lead belongs to, for the lead page. */
export const ListsOfLead = z.object({ items: z.array(z.object({ id: Uuid, name: z.string() })) });

/** The lead table's filters, sort and paging, within one list (the list comes from the path). */
export const ListLeadsQuery = LeadListQuery.omit({ listId: true });
export const ListExportQuery = LeadFilter.omit({ listId: true }).extend({ sort: LeadSort.default('-score') });
