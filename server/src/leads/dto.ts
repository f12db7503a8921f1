import { and, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Lead } from '@optarget/shared';
import { leadDuplicates, leads, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';

export type LeadRow = typeof leads.$inferSelect;

/** The columns a lead's answer is made of. */
export const leadDtoKeys = [
  'id',
  'name',
  'category',
  'address',
  'city',
  'country',
  'lat',
  'lon',
  'phone',
  'email',
  'website',
  'domain',
  'phoneRaw',
  'emailRaw',
  'websiteRaw',
  'source',
  'sourceId',
  'rating',
  'reviewCount',
  'status',
  'score',
  'ownerUserId',
  'tags',
  'notes',
  'whatsappOptOut',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof LeadRow)[];
/** A row with those columns; timestamps may still be PostgreSQL's text (see leads/query.ts). */
export type LeadDtoRow = Omit<Pick<LeadRow, (typeof leadDtoKeys)[number]>, 'createdAt' | 'updatedAt'> & {
  createdAt: Date | string;
  updatedAt: Date | string;
  possibleDuplicates: number;
};

/** How many leads may be the same business as the lead (lead-records.ts), read with the lead. */
export const possibleDuplicatesOf = (leadId: SQL | AnyColumn) =>
  sql<number>`(select count(*)::int from ${leadDuplicates} d where d.lead_id = ${leadId})`;

/**
 * The ISO form (millisecond precision, as Date#toISOString writes it) of a timestamp as a Date or as
 * PostgreSQL's text for a UTC timestamptz, "2026-01-02 03:04:05.678901+00" (the fraction only when
 * not zero). That text is cut up rather than parsed: a page of leads has a hundred of them.
 */
export function isoTime(value: Date | string): string {
  if (value instanceof Date) return value.toISOString();
  if (
    value.length >= 22 &&
    value.length <= 29 &&
    value[10] === ' ' &&
    value.endsWith('+00') &&
    (value.length === 22 || value[19] === '.')
  ) {
    const millis = value.length === 22 ? '000' : value.slice(20, -3).padEnd(3, '0').slice(0, 3);
    return `${value.slice(0, 10)}T${value.slice(11, 19)}.${millis}Z`;
  }
  return new Date(value).toISOString();
}

export const toLeadDto = (row: LeadDtoRow, ownerName: string | null): Lead => ({
  id: row.id,
  name: row.name,
  category: row.category,
  address: row.address,
  city: row.city,
  country: row.country,
  lat: row.lat,
  lon: row.lon,
  phone: row.phone,
  email: row.email,
  website: row.website,
  domain: row.domain,
  phoneRaw: row.phoneRaw,
  emailRaw: row.emailRaw,
  websiteRaw: row.websiteRaw,
  possibleDuplicates: Number(row.possibleDuplicates),
  source: row.source,
  sourceId: row.sourceId,
  rating: row.rating,
  reviewCount: row.reviewCount,
  status: row.status,
  score: row.score,
  owner: row.ownerUserId ? { id: row.ownerUserId, name: ownerName ?? '' } : null,
  tags: row.tags,
  notes: row.notes,
  whatsappOptOut: row.whatsappOptOut,
  createdAt: isoTime(row.createdAt),
  updatedAt: isoTime(row.updatedAt),
});

/** Leads with their owner's name, in the order and limit the caller gives. */
export const selectLeadsWithOwner = (tx: Tx) =>
  tx
    .select({ lead: leads, ownerName: users.name, possibleDuplicates: possibleDuplicatesOf(leads.id) })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.ownerUserId));

export async function findLeadRow(tx: Tx, tenantId: string, leadId: string, where?: SQL): Promise<LeadRow> {
  const [row] = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId), where));
  if (!row) throw new AppError('NOT_FOUND', 'No such lead.');
  return row;
}

export async function findLead(tx: Tx, tenantId: string, leadId: string): Promise<Lead> {
  const [row] = await selectLeadsWithOwner(tx).where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId)));
  if (!row) throw new AppError('NOT_FOUND', 'No such lead.');
  return toLeadDto({ ...row.lead, possibleDuplicates: row.possibleDuplicates }, row.ownerName);
}
