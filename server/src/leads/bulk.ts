import { and, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { BulkLeadAction, BulkLeadBody } from '@optarget/shared';
import { leads, lists, memberships } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import { recordAudit } from '../audit/record.js';
import type { TenantContext } from '../http/routes.js';
import { startJob } from '../jobs/start.js';
import { requireList } from '../lists/lists.js';
import { leadConditions } from './query.js';

export type BulkAction = z.infer<typeof BulkLeadAction>;
type Selection = BulkLeadBody['selection'];

/** Bulk actions on more rows than this run as a BULK_LEAD_ACTION job instead of inside the request. */
export const BULK_INLINE_LIMIT = 10_000;

export const selectionConditions = (tenantId: string, selection: Selection): SQL =>
  'ids' in selection ? and(eq(leads.tenantId, tenantId), inArray(leads.id, selection.ids))! : leadConditions(tenantId, selection.filter);

/**
 * Refuses a bulk action that names something outside the tenant, before anything changes or a job
 * exists: a foreign list (the action's, or the one the selection's filter names) is 404.
 */
export async function assertBulkReferences(tx: Tx, tenantId: string, body: BulkLeadBody) {
  if ('filter' in body.selection && body.selection.filter.listId) await requireList(tx, tenantId, body.selection.filter.listId);
  await assertActionTargets(tx, tenantId, body.action);
}

/** Refuses actions that name something outside the tenant: a foreign list is 404, a non-member owner is 400. */
export async function assertActionTargets(tx: Tx, tenantId: string, action: BulkAction) {
  if (action.type === 'addToList' || action.type === 'removeFromList') {
    const [list] = await tx
      .select({ id: lists.id })
      .from(lists)
      .where(and(eq(lists.tenantId, tenantId), eq(lists.id, action.listId)));
    if (!list) throw new AppError('NOT_FOUND', 'No such list.');
  }
  if (action.type === 'assignOwner' && action.ownerUserId) {
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, action.ownerUserId)));
    if (!member) {
      throw new AppError('VALIDATION_FAILED', 'action.ownerUserId: is not a member of this organization', {
        fields: [{ field: 'action.ownerUserId', message: 'is not a member of this organization', rule: 'member' }],
      });
    }
  }
}

/** Applies the action to every lead matching `where` with one set-based statement. */
export async function applyBulkAction(tx: Tx, tenantId: string, action: BulkAction, where: SQL, actorUserId: string | null) {
  const selected = sql`select ${leads.id} from ${leads} where ${where}`;
  switch (action.type) {
    case 'addToList':
      await tx.execute(
        sql`insert into lead_lists (tenant_id, list_id, lead_id, added_by_user_id) select ${tenantId}::uuid, ${action.listId}::uuid, id, ${actorUserId}::uuid from (${selected}) s on conflict do nothing`,
      );
      return;
    case 'removeFromList':
      await tx.execute(
        sql`delete from lead_lists where tenant_id = ${tenantId} and list_id = ${action.listId} and lead_id in (${selected})`,
      );
      return;
    case 'setStatus':
      await tx
        .update(leads)
        .set({ status: action.status })
        .where(and(where, sql`${leads.status} <> ${action.status}`));
      return;
    case 'addTag':
      await tx
        .update(leads)
        .set({ tags: sql`array_append(${leads.tags}, ${action.tag}::text)` })
        .where(and(where, sql`not (${leads.tags} @> array[${action.tag}]::text[])`));
      return;
    case 'removeTag':
      await tx
        .update(leads)
        .set({ tags: sql`array_remove(${leads.tags}, ${action.tag}::text)` })
        .where(and(where, sql`${leads.tags} @> array[${action.tag}]::text[]`));
      return;
    case 'assignOwner':
      await tx
        .update(leads)
        .set({ ownerUserId: action.ownerUserId })
        .where(and(where, sql`${leads.ownerUserId} is distinct from ${action.ownerUserId}::uuid`));
      return;
    case 'delete':
      await tx.delete(leads).where(where);
      return;
  }
}

/** How the audit entry describes the selection: the filter itself, or how many ids were sent. */
const describeSelection = (selection: Selection) => ('ids' in selection ? { ids: selection.ids.length } : { filter: selection.filter });

/**
 * Resolves the selection in SQL and applies the action at once when it is small enough, otherwise
 * hands it to a job. Either way the action is one audit entry with the count and the selection.
 */
export async function runBulkAction(ctx: TenantContext, body: BulkLeadBody): Promise<{ affected?: number; jobId?: string }> {
  const { tx, tenantId } = ctx;
  await assertBulkReferences(tx, tenantId, body);
  const where = selectionConditions(tenantId, body.selection);
  const [{ n }] = await tx.select({ n: count() }).from(leads).where(where);
  const { type, ...params } = body.action;
  const audit = (extra: Record<string, unknown>) =>
    recordAudit(tx, tenantId, ctx.actor, {
      action: `lead.bulk_${type}`,
      targetType: 'lead',
      metadata: { count: n, selection: describeSelection(body.selection), ...params, ...extra },
    });
  if (n > BULK_INLINE_LIMIT) {
    const job = await startJob(ctx, 'BULK_LEAD_ACTION', body);
    await audit({ jobId: job.id });
    return { jobId: job.id };
  }
  await applyBulkAction(tx, tenantId, body.action, where, ctx.actor.userId);
  await audit({});
  return { affected: n };
}
