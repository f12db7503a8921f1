import { and, asc, eq, ne, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { CreateLeadBody, FieldRule, UpdateLeadBody } from '@optarget/shared';
import { leads, memberships } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import { recordAudit } from '../audit/record.js';
import { assertWithinPlan } from '../plans/limits.js';
import type { TenantContext } from '../http/routes.js';
import { countryCodeOf } from './country.js';
import { findLead, findLeadRow, type LeadRow } from './dto.js';
import { InvalidLeadField, normaliseLeadFields, normalisePhone, type NormalisedFields } from './normalise.js';
import { findDefaultCountry } from '../settings/general.js';
import { flagNearDuplicates, markDomainDuplicates, reflagNearDuplicates } from './duplicates.js';
import { recordSources } from './sources.js';

type CreateBody = z.infer<typeof CreateLeadBody>;
type UpdateBody = z.infer<typeof UpdateLeadBody>;

const invalidField = (field: string, message: string, rule: FieldRule) =>
  new AppError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [{ field, message, rule }] });
const ruleOfField = { phone: 'phone', website: 'url', email: 'email' } as const;

/** The country a lead's phone is read in: the lead's own country, else the tenant's default. */
async function phoneCountryOf(tx: Tx, tenantId: string, leadCountry: string | null | undefined) {
  return countryCodeOf(leadCountry) ?? (await findDefaultCountry(tx, tenantId));
}

/** Contact fields of a form as stored; what cannot be read is a 400 naming the field (the person is there to fix it). */
function normaliseContact(body: UpdateBody, country: string | null): NormalisedFields {
  try {
    return normaliseLeadFields(body, country);
  } catch (error) {
    if (error instanceof InvalidLeadField) throw invalidField(error.field, error.message, ruleOfField[error.field]);
    throw error;
  }
}

async function assertOwnerIsMember(tx: Tx, tenantId: string, ownerUserId: string | null | undefined) {
  if (!ownerUserId) return;
  const [member] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, ownerUserId)));
  if (!member) throw invalidField('ownerUserId', 'is not a member of this organization', 'member');
}

/**
 * 409 naming the existing lead when another lead of the tenant has the same phone, or the same
 * domain and no other phone. A lead on the same domain with a different phone (two branches, two
 * businesses on one site) is no conflict: its id is returned, to mark the lead as a possible duplicate.
 * `keys` are the values being set; `phone` is the lead's phone after the change.
 */
async function checkDuplicates(
  tx: Tx,
  tenantId: string,
  keys: { phone?: string | null; domain?: string | null },
  phone: string | null | undefined,
  exceptId?: string,
): Promise<string | null> {
  const matches: SQL[] = [];
  if (keys.phone) matches.push(eq(leads.phone, keys.phone));
  if (keys.domain) matches.push(eq(leads.domain, keys.domain));
  if (!matches.length) return null;
  const rows = await tx
    .select({ id: leads.id, phone: leads.phone, domain: leads.domain })
    .from(leads)
    .where(and(eq(leads.tenantId, tenantId), or(...matches), exceptId ? ne(leads.id, exceptId) : undefined))
    .orderBy(asc(leads.createdAt), asc(leads.id))
    .limit(10);
  const byPhone = keys.phone ? rows.find((r) => r.phone === keys.phone) : undefined;
  const byDomain = rows.filter((r) => keys.domain && r.domain === keys.domain);
  const sameBusiness = byDomain.find((r) => !phone || !r.phone || r.phone === phone);
  const match = byPhone ?? sameBusiness;
  if (match) {
    const matchedOn = byPhone ? 'phone' : 'domain';
    throw new AppError('CONFLICT', `A lead with this ${matchedOn} already exists.`, {
      reason: 'leadExists',
      existingLeadId: match.id,
      matchedOn,
    });
  }
  return byDomain[0]?.id ?? null;
}

export async function createLead(ctx: TenantContext, body: CreateBody) {
  const { tx, tenantId } = ctx;
  const contact = normaliseContact(body, await phoneCountryOf(tx, tenantId, body.country));
  await assertOwnerIsMember(tx, tenantId, body.ownerUserId);
  // Locks the tenant's plan row, which also makes concurrent creates of the same lead take turns at the duplicate check.
  await assertWithinPlan(tx, tenantId, 'leads', 1);
  const sameSiteLead = await checkDuplicates(tx, tenantId, contact, contact.phone);
  const [row] = await tx
    .insert(leads)
    .values({
      tenantId,
      name: body.name,
      category: body.category || null,
      address: body.address || null,
      city: body.city || null,
      country: body.country || null,
      lat: body.lat ?? null,
      lon: body.lon ?? null,
      ...contact,
      status: body.status ?? 'NEW',
      ownerUserId: body.ownerUserId ?? null,
      tags: [...new Set(body.tags ?? [])],
      notes: body.notes || null,
      source: 'manual',
      createdByUserId: ctx.actor.userId,
    })
    .returning();
  if (sameSiteLead) await markDomainDuplicates(tx, tenantId, [[row.id, sameSiteLead]]);
  await flagNearDuplicates(tx, tenantId, [row.id]);
  await recordSources(tx, tenantId, [{ leadId: row.id, source: 'manual', sourceId: null, fields: filledFields(body) }]);
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'lead.created',
    targetType: 'lead',
    targetId: row.id,
    metadata: { name: row.name },
  });
  return findLead(tx, tenantId, row.id);
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const contactFields = ['phone', 'email', 'website'] as const;
/** Columns the server keeps by itself: changing them is no person's edit. */
const derivedColumns = new Set<string>(['domain', 'phoneRaw', 'emailRaw', 'websiteRaw']);
/** Changes that may make or unmake a near-duplicate by name and distance. */
const placeColumns = new Set<string>(['name', 'lat', 'lon', 'city']);

/** The form's fields a person filled, named as sources name their contributions (sources.ts). */
const filledFields = (body: CreateBody): string[] => [
  ...(['name', 'category', 'address', 'city', 'country', 'phone', 'email', 'website', 'tags', 'notes'] as const).filter((f) => {
    const value = body[f];
    return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
  }),
  ...(body.lat != null && body.lon != null ? ['location'] : []),
];

/**
 * A person's change to a lead. A contact field sent back as the unreadable text the lead keeps (an
 * edit form shows it to be fixed) is no change; one set to a readable value replaces that text.
 * A new country rereads a kept phone text that it now makes readable.
 */
export async function updateLead(ctx: TenantContext, leadId: string, body: UpdateBody) {
  const { tx, tenantId } = ctx;
  const before = await findLeadRow(tx, tenantId, leadId);
  const asSent = { ...body };
  for (const field of contactFields) if (asSent[field] != null && asSent[field].trim() === before[`${field}Raw`]) delete asSent[field];
  const country = await phoneCountryOf(tx, tenantId, body.country !== undefined ? body.country : before.country);
  const contact = normaliseContact(asSent, country);
  for (const field of contactFields) if (contact[field] !== undefined) Object.assign(contact, { [`${field}Raw`]: null });
  if (asSent.phone === undefined && !before.phone && before.phoneRaw) {
    try {
      Object.assign(contact, { phone: normalisePhone(before.phoneRaw, country), phoneRaw: null });
    } catch (error) {
      if (!(error instanceof InvalidLeadField)) throw error;
    }
  }
  await assertOwnerIsMember(tx, tenantId, body.ownerUserId);
  const wanted: Partial<LeadRow> = {};
  for (const [key, value] of Object.entries({ ...asSent, ...contact })) {
    if (value === undefined) continue;
    const normalised = key === 'tags' ? [...new Set(value as string[])] : typeof value === 'string' && value === '' ? null : value;
    Object.assign(wanted, { [key]: normalised });
  }
  const changed = (Object.keys(wanted) as (keyof LeadRow)[]).filter((k) => !sameValue(before[k], wanted[k]));
  if (!changed.length) return findLead(tx, tenantId, leadId);
  const patch = Object.fromEntries(changed.map((k) => [k, wanted[k]])) as Partial<LeadRow>;
  const sameSiteLead = await checkDuplicates(
    tx,
    tenantId,
    { phone: changed.includes('phone') ? patch.phone : null, domain: changed.includes('domain') ? patch.domain : null },
    changed.includes('phone') ? patch.phone : before.phone,
    leadId,
  );
  const edited = [...new Set([...before.editedFields, ...changed.filter((k) => !derivedColumns.has(k))])];
  await tx
    .update(leads)
    .set({ ...patch, editedFields: edited })
    .where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId)));
  if (sameSiteLead) await markDomainDuplicates(tx, tenantId, [[leadId, sameSiteLead]]);
  if (changed.some((k) => placeColumns.has(k))) await reflagNearDuplicates(tx, tenantId, leadId);
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'lead.updated',
    targetType: 'lead',
    targetId: leadId,
    metadata: {
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: patch,
    },
  });
  return findLead(tx, tenantId, leadId);
}

export async function deleteLead(ctx: TenantContext, leadId: string) {
  const row = await findLeadRow(ctx.tx, ctx.tenantId, leadId);
  await ctx.tx.delete(leads).where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, leadId)));
  await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
    action: 'lead.deleted',
    targetType: 'lead',
    targetId: leadId,
    metadata: { name: row.name },
  });
}
