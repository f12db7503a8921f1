import { and, eq, sql } from 'drizzle-orm';
import { leadDuplicateDismissals } from '../db/schema/index.js';
import { recordAudit } from '../audit/record.js';
import { AppError } from '../errors/catalogue.js';
import type { TenantContext } from '../http/routes.js';
import { findLeadRow } from './dto.js';
import { flagNearDuplicates } from './duplicates.js';
import { insertRows, rowsOf, type JsonRow } from './restore-rows.js';

const ordered = (a: string, b: string) => (a < b ? { leadId: a, otherLeadId: b } : { leadId: b, otherLeadId: a });

async function bothLeads(ctx: TenantContext, leadId: string, otherLeadId: string) {
  await findLeadRow(ctx.tx, ctx.tenantId, leadId);
  if (leadId === otherLeadId)
    throw new AppError('VALIDATION_FAILED', 'A lead cannot be a duplicate of itself.', {
      fields: [{ field: 'otherLeadId', message: 'must be another lead', rule: 'otherLead' }],
    });
  return findLeadRow(ctx.tx, ctx.tenantId, otherLeadId);
}

/**
 * A person says two leads are not the same business: their flags on each other go (kept in the
 * dismissal to put back) and neither is flagged against the other again. Saying it twice changes nothing more.
 */
export async function dismissDuplicate(ctx: TenantContext, leadId: string, otherLeadId: string) {
  const { tx, tenantId } = ctx;
  const other = await bothLeads(ctx, leadId, otherLeadId);
  const marks = await rowsOf<{ mark: JsonRow }>(
    tx,
    sql`delete from lead_duplicates x where x.tenant_id = ${tenantId}
      and ((x.lead_id = ${leadId} and x.other_lead_id = ${otherLeadId}) or (x.lead_id = ${otherLeadId} and x.other_lead_id = ${leadId}))
      returning to_jsonb(x) as mark`,
  );
  const inserted = await tx
    .insert(leadDuplicateDismissals)
    .values({ tenantId, ...ordered(leadId, otherLeadId), marks: marks.map((m) => m.mark), dismissedByUserId: ctx.actor.userId })
    .onConflictDoNothing()
    .returning();
  if (!inserted.length) return;
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'lead.duplicate_dismissed',
    targetType: 'lead',
    targetId: leadId,
    metadata: { otherLeadId, otherName: other.name, removedFlags: marks.length },
  });
}

/** Reverts a dismissal: the flags it removed come back and the pair is checked again. 404 when the pair was not dismissed. */
export async function restoreDuplicate(ctx: TenantContext, leadId: string, otherLeadId: string) {
  const { tx, tenantId } = ctx;
  const other = await bothLeads(ctx, leadId, otherLeadId);
  const pair = ordered(leadId, otherLeadId);
  const [removed] = await tx
    .delete(leadDuplicateDismissals)
    .where(
      and(
        eq(leadDuplicateDismissals.tenantId, tenantId),
        eq(leadDuplicateDismissals.leadId, pair.leadId),
        eq(leadDuplicateDismissals.otherLeadId, pair.otherLeadId),
      ),
    )
    .returning();
  if (!removed) throw new AppError('NOT_FOUND', 'These leads were not marked as different businesses.');
  await insertRows(tx, 'lead_duplicates', removed.marks);
  await flagNearDuplicates(tx, tenantId, [leadId]);
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'lead.duplicate_restored',
    targetType: 'lead',
    targetId: leadId,
    metadata: { otherLeadId, otherName: other.name },
  });
}
