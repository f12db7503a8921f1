import { and, eq, ne, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { CreateLeadBody, UpdateLeadBody } from '@optarget/shared';
import { leads, memberships } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import { recordAudit } from '../audit/record.js';
import { assertWithinPlan } from '../plans/limits.js';
import type { TenantContext } from '../http/routes.js';
import { findLead, findLeadRow, type LeadRow } from './dto.js';
import { InvalidLeadField, normaliseLeadFields, type NormalisedFields } from './normalise.js';
import { findDefaultCountry } from './settings.js';

type CreateBody = z.infer<typeof CreateLeadBody>;
type UpdateBody = z.infer<typeof UpdateLeadBody>;

const invalidField = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [{ field, message }] });

async function normaliseContact(tx: Tx, tenantId: string, body: UpdateBody): Promise<NormalisedFields> {
  try {
    return normaliseLeadFields(body, await findDefaultCountry(tx, tenantId));
  } catch (error) {
    if (error instanceof InvalidLeadField) throw invalidField(error.field, error.message);
    throw error;
  }
}

async function assertOwnerIsMember(tx: Tx, tenantId: string, ownerUserId: string | null | undefined) {
  if (!ownerUserId) return;
  const [member] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, ownerUserId)));
  if (!member) throw invalidField('ownerUserId', 'is not a member of this organization');
}

/** 409 naming the existing lead when another lead of the tenant has the same phone or domain. */
async function assertNoDuplicate(tx: Tx, tenantId: string, keys: { phone?: string | null; domain?: string | null }, exceptId?: string) {
  const matches: SQL[] = [];
  if (keys.phone) matches.push(eq(leads.phone, keys.phone));
  if (keys.domain) matches.push(eq(leads.domain, keys.domain));
  if (!matches.length) return;
  const rows = await tx
    .select({ id: leads.id, phone: leads.phone, domain: leads.domain })
    .from(leads)
    .where(and(eq(leads.tenantId, tenantId), or(...matches), exceptId ? ne(leads.id, exceptId) : undefined))
    .limit(10);
  const byPhone = keys.phone ? rows.find((r) => r.phone === keys.phone) : undefined;
  const match = byPhone ?? rows[0];
  if (!match) return;
  const matchedOn = byPhone ? 'phone' : 'domain';
  throw new AppError('CONFLICT', `A lead with this ${matchedOn} already exists.`, { existingLeadId: match.id, matchedOn });
}

export async function createLead(ctx: TenantContext, body: CreateBody) {
  const { tx, tenantId } = ctx;
  const contact = await normaliseContact(tx, tenantId, body);
  await assertOwnerIsMember(tx, tenantId, body.ownerUserId);
  // Locks the tenant's plan row, which also makes concurrent creates of the same lead take turns at the duplicate check.
  await assertWithinPlan(tx, tenantId, 'leads', 1);
  await assertNoDuplicate(tx, tenantId, contact);
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
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'lead.created',
    targetType: 'lead',
    targetId: row.id,
    metadata: { name: row.name },
  });
  return findLead(tx, tenantId, row.id);
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function updateLead(ctx: TenantContext, leadId: string, body: UpdateBody) {
  const { tx, tenantId } = ctx;
  const before = await findLeadRow(tx, tenantId, leadId);
  const contact = await normaliseContact(tx, tenantId, body);
  await assertOwnerIsMember(tx, tenantId, body.ownerUserId);
  const wanted: Partial<LeadRow> = {};
  for (const [key, value] of Object.entries({ ...body, ...contact })) {
    if (value === undefined) continue;
    const normalised = key === 'tags' ? [...new Set(value as string[])] : typeof value === 'string' && value === '' ? null : value;
    Object.assign(wanted, { [key]: normalised });
  }
  const changed = (Object.keys(wanted) as (keyof LeadRow)[]).filter((k) => !sameValue(before[k], wanted[k]));
  if (!changed.length) return findLead(tx, tenantId, leadId);
  const patch = Object.fromEntries(changed.map((k) => [k, wanted[k]])) as Partial<LeadRow>;
  await assertNoDuplicate(
    tx,
    tenantId,
    { phone: changed.includes('phone') ? patch.phone : null, domain: changed.includes('domain') ? patch.domain : null },
    leadId,
  );
  const edited = [...new Set([...before.editedFields, ...changed.filter((k) => k !== 'domain')])];
  await tx
    .update(leads)
    .set({ ...patch, editedFields: edited })
    .where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId)));
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
