import { z } from 'zod';
import { IsoDate, page, RowCount, Text, Uuid } from './common.js';
import { OutreachFilter } from './outreach.js';

export const leadStatuses = ['NEW', 'CONTACTED', 'QUALIFIED', 'WON', 'LOST'] as const;
export const LeadStatus = z.enum(leadStatuses);
export type LeadStatus = z.infer<typeof LeadStatus>;
export const leadSources = ['osm', 'google', 'csv', 'manual', 'whatsapp'] as const;
export const LeadSource = z.enum(leadSources);

/**
 * The one rule for a lead's email address, used by the form, the API and imports alike: what it
 * refuses is flagged on imported leads instead of being stored as an address.
 */
export const LeadEmail = z.email({ message: 'must be a valid email address' }).max(254);
export const isLeadEmail = (value: string) => LeadEmail.safeParse(value.trim()).success;

/** What on a lead needs a person's attention: contact text that could not be read, or a possible duplicate. */
export const attentionFlags = ['phone', 'email', 'website', 'duplicate'] as const;
export const AttentionFlag = z.enum(attentionFlags);
export type AttentionFlag = z.infer<typeof AttentionFlag>;

const text = (max: number) => Text.trim().max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => text(max).nullable().optional();
export const Tag = Text.trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters');

/** A lead as the API returns it. */
export const Lead = z.object({
  id: Uuid,
  name: z.string(),
  category: z.string().nullable(),
  address: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  domain: z.string().nullable(),
  /** The phone, email or website as given when it could not be read (the field itself is then null): needs attention. */
  phoneRaw: z.string().nullable(),
  emailRaw: z.string().nullable(),
  websiteRaw: z.string().nullable(),
  /** How many leads may be the same business as this one (same website with another phone, or a similar name nearby); never merged automatically. */
  possibleDuplicates: z.number().int(),
  /** The source that first brought the lead; `…/leads/{id}/sources` lists them all. */
  source: LeadSource,
  sourceId: z.string().nullable(),
  rating: z.number().nullable(),
  reviewCount: z.number().nullable(),
  status: LeadStatus,
  score: z.number(),
  owner: z.object({ id: Uuid, name: z.string() }).nullable(),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  whatsappOptOut: z.boolean(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type Lead = z.infer<typeof Lead>;

/** Fields a person may set on a lead. Phone and website are normalised by the server (E.164, URL + domain). */
export const LeadFields = z.object({
  name: text(300).min(1, 'is required'),
  category: optionalText(200),
  address: optionalText(500),
  city: optionalText(200),
  country: optionalText(100),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lon: z.number().min(-180).max(180).nullable().optional(),
  phone: optionalText(50),
  email: LeadEmail.nullable()
    .optional()
    .or(z.literal('').transform(() => null)),
  website: optionalText(2000),
  status: LeadStatus.optional(),
  ownerUserId: Uuid.nullable().optional(),
  tags: z.array(Tag).max(50, 'at most 50 tags').optional(),
  notes: optionalText(20000),
});
export const CreateLeadBody = LeadFields;
export const UpdateLeadBody = LeadFields.partial();
/** What a client sends to create or change a lead (before the server's defaults and normalising). */
export type LeadFieldsBody = z.input<typeof UpdateLeadBody>;
export const LeadParams = z.object({ tenantId: Uuid, leadId: Uuid });

const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item)).optional();
const queryBool = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

/** Every filter of the lead table; the same object selects rows for bulk actions and exports. */
export const LeadFilter = z.object({
  q: Text.trim().max(200).optional(),
  status: csvList(LeadStatus),
  scoreMin: z.coerce.number().int().min(0).max(100).optional(),
  scoreMax: z.coerce.number().int().min(0).max(100).optional(),
  category: Text.trim().max(200).optional(),
  city: Text.trim().max(200).optional(),
  country: Text.trim().max(100).optional(),
  source: csvList(LeadSource),
  hasWebsite: queryBool,
  hasPhone: queryBool,
  hasEmail: queryBool,
  /** Leads with any of these needing attention. */
  attention: csvList(AttentionFlag),
  tag: Text.trim().max(50).optional(),
  listId: Uuid.optional(),
  /** Leads a job (a prospect search) found; with `jobOutcome`, only those it created or only those it merged into. */
  jobId: Uuid.optional(),
  jobOutcome: z.enum(['new', 'merged']).optional(),
  /** A user id, or `none` for unassigned leads. */
  ownerUserId: z.union([Uuid, z.literal('none')]).optional(),
  createdFrom: IsoDate.optional(),
  createdTo: IsoDate.optional(),
  /** Leads by what they did in WhatsApp outreach (the dashboard's numbers link here). */
  outreach: OutreachFilter.optional(),
  /** With `outreach`: only what happened from this time on. */
  outreachFrom: IsoDate.optional(),
});
export type LeadFilter = z.infer<typeof LeadFilter>;

export const leadSorts = [
  '-score',
  'score',
  'name',
  '-name',
  '-createdAt',
  'createdAt',
  '-updatedAt',
  'updatedAt',
  '-rating',
  'rating',
] as const;
export const LeadSort = z.enum(leadSorts);
export type LeadSort = z.infer<typeof LeadSort>;

export const LeadListQuery = LeadFilter.extend({
  sort: LeadSort.default('-score'),
  cursor: Text.max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const LeadPage = z.object({ items: z.array(Lead), nextCursor: z.string().nullable() });

/** How many leads match a filter: exact up to a bound, above it PostgreSQL's estimate (`exact: false`). */
export const LeadCount = RowCount;
export type LeadCount = z.infer<typeof LeadCount>;

/** 409 body extra when a create matches an existing lead. */
export const DuplicateLead = z.object({ existingLeadId: Uuid, matchedOn: z.enum(['source', 'phone', 'domain']) });

export const LeadSelection = z.union([
  z.object({ ids: z.array(Uuid).min(1, 'select at least one lead').max(10000, 'at most 10,000 ids; use a filter for more') }),
  z.object({ filter: LeadFilter }),
]);
export const BulkLeadAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('addToList'), listId: Uuid }),
  z.object({ type: z.literal('removeFromList'), listId: Uuid }),
  z.object({ type: z.literal('setStatus'), status: LeadStatus }),
  z.object({ type: z.literal('addTag'), tag: Tag }),
  z.object({ type: z.literal('removeTag'), tag: Tag }),
  z.object({ type: z.literal('assignOwner'), ownerUserId: Uuid.nullable() }),
  z.object({ type: z.literal('delete') }),
]);
export const BulkLeadBody = z.object({ selection: LeadSelection, action: BulkLeadAction });
export type BulkLeadBody = z.infer<typeof BulkLeadBody>;
export type BulkLeadAction = z.infer<typeof BulkLeadAction>;
/** Up to 10,000 rows run at once (`affected`); more run as a BULK_LEAD_ACTION job (`jobId`). */
export const BulkLeadResult = z.object({ affected: z.number().optional(), jobId: Uuid.optional() });
export type BulkLeadResult = z.infer<typeof BulkLeadResult>;

const LeadActivityItem = z.object({
  id: Uuid,
  action: z.string(),
  actorName: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: IsoDate,
});
/** The lead's timeline, newest first; `nextCursor` reads the older entries. */
export const LeadActivity = page(LeadActivityItem);
export type LeadActivityPage = z.infer<typeof LeadActivity>;
export type LeadActivityItem = z.infer<typeof LeadActivityItem>;

export const Dashboard = z.object({
  totalLeads: z.number(),
  newThisWeek: z.number(),
  byStatus: z.array(z.object({ status: LeadStatus, count: z.number() })),
  byScoreBand: z.array(z.object({ band: z.enum(['0-24', '25-49', '50-74', '75-100']), count: z.number() })),
  lists: z.number(),
});
export type Dashboard = z.infer<typeof Dashboard>;
export type ScoreBand = Dashboard['byScoreBand'][number]['band'];
