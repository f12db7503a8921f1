import { z } from 'zod';
import { IsoDate, Uuid } from './common.js';

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
  name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').nullable().optional(),
});
export const UpdateListBody = CreateListBody.partial();
export const ListMembersBody = z.object({ leadIds: z.array(Uuid).min(1, 'select at least one lead').max(10000) });
export const ListMembersResult = z.object({ changed: z.number() });
export const ListPage = z.object({ items: z.array(LeadList), nextCursor: z.string().nullable() });
