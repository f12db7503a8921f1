import { z } from 'zod';
import { Text, TenantParams, Uuid } from './common.js';
import { LeadFilter, LeadSort } from './leads.js';

/** The columns of the lead table a user may show, hide, order and size. */
export const leadColumns = [
  'name',
  'category',
  'city',
  'phone',
  'email',
  'website',
  'status',
  'score',
  'owner',
  'tags',
  'createdAt',
] as const;
export const LeadColumn = z.enum(leadColumns);
export type LeadColumn = z.infer<typeof LeadColumn>;

export const tableDensities = ['compact', 'comfortable'] as const;
export const TableDensity = z.enum(tableDensities);
export type TableDensity = z.infer<typeof TableDensity>;

/** The audit action of each thing done to a saved view. */
export const leadViewAuditActions = { saved: 'lead_view.saved', deleted: 'lead_view.deleted' } as const;

/** Filters as the lead table's URL holds them; only what the lead filter itself accepts is kept. */
const ViewFilter = z
  .partialRecord(LeadFilter.keyof(), Text.trim().max(200))
  .refine((f) => LeadFilter.safeParse(f).success, { message: 'is not a valid lead filter' });

/** What a saved view restores: the filter, the sort, the columns in order with their widths, and the row density. */
export const LeadViewLayout = z.object({
  filter: ViewFilter,
  sort: LeadSort,
  columns: z
    .array(LeadColumn)
    .min(1, 'show at least one column')
    .refine((c) => new Set(c).size === c.length, { message: 'names a column twice' }),
  widths: z.partialRecord(LeadColumn, z.number().int().min(48).max(800)).default({}),
  density: TableDensity,
});
export type LeadViewLayout = z.infer<typeof LeadViewLayout>;

export const SaveLeadViewBody = z.object({
  name: Text.trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  /** A shared view is listed for the whole team; only its author changes or deletes it. */
  shared: z.boolean().default(false),
  layout: LeadViewLayout,
});
export type SaveLeadViewBody = z.input<typeof SaveLeadViewBody>;

export const LeadView = z.object({
  id: Uuid,
  name: z.string(),
  shared: z.boolean(),
  /** Whether the caller wrote it (and so may overwrite or delete it). */
  mine: z.boolean(),
  author: z.string().nullable(),
  layout: LeadViewLayout,
  updatedAt: z.string(),
});
export type LeadView = z.infer<typeof LeadView>;

export const LeadViewList = z.object({ items: z.array(LeadView) });
export const LeadViewParams = TenantParams.extend({ viewId: Uuid });
