import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { leadLists, leads, lists } from '../db/schema/index.js';
import { recordAudit } from '../audit/record.js';
import { AppError } from '../errors/catalogue.js';
import type { Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';
import { listNameKey, requireList } from './lists.js';

/** Up to this many changed lead ids are kept on the audit entry, so each of those leads' timelines shows the change. */
const TIMELINE_IDS = 1000;
const timelineOf = (listName: string, changed: { leadId: string }[]) => ({
  listName,
  leadIds: changed.slice(0, TIMELINE_IDS).map((r) => r.leadId),
});

/**
 * Adds the tenant's leads among `leadIds` to the list. Ids of leads that do not exist in this tenant
 * are ignored rather than refused, so a selection made a moment ago still works after someone deleted
 * one of its leads; leads already on the list are left as they are. Answers how many were added.
 */
export async function addLeadsToList(ctx: TenantContext, listId: string, leadIds: string[]) {
  const { tx, tenantId, actor } = ctx;
  const list = await requireList(tx, tenantId, listId);
  // One statement: the tenant filter on `leads` is what keeps foreign ids out of the list.
  const added = await tx
    .insert(leadLists)
    .select(
      tx
        .select({
          tenantId: leads.tenantId,
          listId: sql`${listId}::uuid`.as('list_id'),
          leadId: leads.id,
          addedByUserId: sql`${actor.userId}::uuid`.as('added_by_user_id'),
          addedAt: sql`now()`.as('added_at'),
        })
        .from(leads)
        .where(and(eq(leads.tenantId, tenantId), inArray(leads.id, [...new Set(leadIds)]))),
    )
    .onConflictDoNothing()
    .returning({ leadId: leadLists.leadId });
  if (added.length > 0) {
    await recordAudit(tx, tenantId, actor, {
      action: 'list.leads_added',
      targetType: 'list',
      targetId: listId,
      metadata: { count: added.length, requested: leadIds.length, ...timelineOf(list.name, added) },
    });
  }
  return { changed: added.length };
}

/** Takes the given leads off the list (the leads stay); ids not on the list are ignored. Answers how many were removed. */
export async function removeLeadsFromList(ctx: TenantContext, listId: string, leadIds: string[]) {
  const { tx, tenantId, actor } = ctx;
  const list = await requireList(tx, tenantId, listId);
  const removed = await tx
    .delete(leadLists)
    .where(and(eq(leadLists.tenantId, tenantId), eq(leadLists.listId, listId), inArray(leadLists.leadId, [...new Set(leadIds)])))
    .returning({ leadId: leadLists.leadId });
  if (removed.length > 0) {
    await recordAudit(tx, tenantId, actor, {
      action: 'list.leads_removed',
      targetType: 'list',
      targetId: listId,
      metadata: { count: removed.length, requested: leadIds.length, ...timelineOf(list.name, removed) },
    });
  }
  return { changed: removed.length };
}

/** The lists a lead is on, by name; 404 when the lead is not in this tenant. */
export async function findListsOfLead(tx: Tx, tenantId: string, leadId: string) {
  const [lead] = await tx
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId)));
  if (!lead) throw new AppError('NOT_FOUND', 'No such lead.');
  const items = await tx
    .select({ id: lists.id, name: lists.name })
    .from(leadLists)
    .innerJoin(lists, eq(lists.id, leadLists.listId))
    .where(and(eq(leadLists.tenantId, tenantId), eq(leadLists.leadId, leadId)))
    .orderBy(asc(listNameKey), asc(lists.id));
  return { items };
}
