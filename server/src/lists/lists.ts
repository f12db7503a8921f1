import { and, asc, count, eq, ilike, inArray, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { Text, Uuid, type LeadList, type ListQuery } from '@optarget/shared';
import { firstPageTotal } from '../db/count.js';
import { leadLists, lists, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit } from '../audit/record.js';
import { AppError } from '../errors/catalogue.js';
import type { TenantContext } from '../http/routes.js';
import { keysetCursor } from '../http/cursor.js';

/** The sort key of lists: names in any letter case sort together, and the unique index on it serves the order. */
export const listNameKey = sql<string>`lower(${lists.name})`;

/** Where a page of lists ended: the last list's name key (as the database lower-cased it) and id. */
const listCursor = keysetCursor(z.object({ key: Text, id: Uuid }));
type ListPosition = { key: string; id: string };

/** Lists strictly after the position in (name key, id) order; the id breaks ties only in theory, as name keys are unique per tenant. */
const afterList = (position: ListPosition | undefined) =>
  position ? sql`(${listNameKey}, ${lists.id}) > (${position.key}, ${position.id}::uuid)` : undefined;

type ListRow = {
  id: string;
  name: string;
  description: string | null;
  createdById: string | null;
  createdByName: string | null;
  createdAt: Date;
  updatedAt: Date;
  key: string;
};

const listColumns = {
  id: lists.id,
  name: lists.name,
  description: lists.description,
  createdById: lists.createdByUserId,
  createdByName: users.name,
  createdAt: lists.createdAt,
  updatedAt: lists.updatedAt,
  key: listNameKey,
};

const selectLists = (tx: Tx) => tx.select(listColumns).from(lists).leftJoin(users, eq(users.id, lists.createdByUserId));

const toListDto = (row: ListRow, leadCount: number): LeadList => ({
  id: row.id,
  name: row.name,
  description: row.description,
  leadCount,
  createdBy: row.createdById && row.createdByName !== null ? { id: row.createdById, name: row.createdByName } : null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Lead counts of the given lists in one grouped query, so a page costs two queries however long it is. */
async function countLeadsOfLists(tx: Tx, listIds: string[]): Promise<Map<string, number>> {
  if (listIds.length === 0) return new Map();
  const rows = await tx
    .select({ listId: leadLists.listId, n: count() })
    .from(leadLists)
    .where(inArray(leadLists.listId, listIds))
    .groupBy(leadLists.listId);
  return new Map(rows.map((r) => [r.listId, r.n]));
}

/** One page of the tenant's lists, by name, optionally only those whose name contains `q`. */
export async function findListsForTenant(tx: Tx, tenantId: string, query: ListQuery) {
  const matching = and(eq(lists.tenantId, tenantId), query.q ? ilike(lists.name, `%${escapeLike(query.q)}%`) : undefined);
  const rows = await selectLists(tx)
    .where(and(matching, afterList(listCursor.read(query.cursor))))
    .orderBy(asc(listNameKey), asc(lists.id))
    .limit(query.limit + 1);
  const total = await firstPageTotal(tx, query.cursor, () =>
    tx
      .select({ one: sql`1` })
      .from(lists)
      .where(matching),
  );
  const kept = rows.slice(0, query.limit);
  const counts = await countLeadsOfLists(
    tx,
    kept.map((r) => r.id),
  );
  const last = kept.at(-1);
  return {
    items: kept.map((row) => toListDto(row, counts.get(row.id) ?? 0)),
    nextCursor: rows.length > query.limit && last ? listCursor.encode({ key: last.key, id: last.id }) : null,
    total,
  };
}

/** The list, or 404 when it does not exist in this tenant (another tenant's list looks the same as a missing one). */
export async function requireList(tx: Tx, tenantId: string, listId: string): Promise<ListRow> {
  const [row] = await selectLists(tx).where(and(eq(lists.tenantId, tenantId), eq(lists.id, listId)));
  if (!row) throw new AppError('NOT_FOUND', 'No such list.');
  return row;
}

async function countLeadsOfList(tx: Tx, listId: string) {
  return (await countLeadsOfLists(tx, [listId])).get(listId) ?? 0;
}

export async function findList(tx: Tx, tenantId: string, listId: string): Promise<LeadList> {
  const row = await requireList(tx, tenantId, listId);
  return toListDto(row, await countLeadsOfList(tx, listId));
}

async function assertNameFree(tx: Tx, tenantId: string, name: string, exceptListId?: string) {
  const [existing] = await tx
    .select({ id: lists.id, name: lists.name })
    .from(lists)
    .where(and(eq(lists.tenantId, tenantId), eq(listNameKey, sql`lower(${name})`), exceptListId ? ne(lists.id, exceptListId) : undefined));
  if (existing) throw nameTaken(existing.name, existing.id);
}

const nameTaken = (name: string, existingListId?: string) =>
  new AppError('CONFLICT', `A list named "${name}" already exists. Choose another name.`, {
    reason: 'listNameTaken',
    name,
    ...(existingListId ? { existingListId } : {}),
  });

const isUniqueViolation = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } };
  return (e.cause?.code ?? e.code) === '23505';
};

export async function createList(ctx: TenantContext, input: { name: string; description?: string | null }): Promise<LeadList> {
  const { tx, tenantId, actor } = ctx;
  const [created] = await tx
    .insert(lists)
    .values({ tenantId, name: input.name, description: input.description ?? null, createdByUserId: actor.userId })
    .onConflictDoNothing()
    .returning({ id: lists.id });
  if (!created) {
    await assertNameFree(tx, tenantId, input.name);
    throw nameTaken(input.name);
  }
  await recordAudit(tx, tenantId, actor, {
    action: 'list.created',
    targetType: 'list',
    targetId: created.id,
    metadata: { name: input.name, description: input.description ?? null },
  });
  return findList(tx, tenantId, created.id);
}

export async function updateList(
  ctx: TenantContext,
  listId: string,
  input: { name?: string; description?: string | null },
): Promise<LeadList> {
  const { tx, tenantId, actor } = ctx;
  const current = await requireList(tx, tenantId, listId);
  const before = { name: current.name, description: current.description };
  const after = {
    name: input.name ?? current.name,
    description: input.description === undefined ? current.description : input.description,
  };
  if (after.name === before.name && after.description === before.description) return toListDto(current, await countLeadsOfList(tx, listId));
  if (after.name !== before.name) await assertNameFree(tx, tenantId, after.name, listId);
  try {
    await tx
      .update(lists)
      .set(after)
      .where(and(eq(lists.tenantId, tenantId), eq(lists.id, listId)));
  } catch (error) {
    // Someone else took the name between the check and the write; the unique index decides.
    if (isUniqueViolation(error)) throw nameTaken(after.name);
    throw error;
  }
  await recordAudit(tx, tenantId, actor, { action: 'list.updated', targetType: 'list', targetId: listId, metadata: { before, after } });
  return findList(tx, tenantId, listId);
}

/** Deletes the list and its memberships; the leads themselves stay. */
export async function deleteList(ctx: TenantContext, listId: string) {
  const { tx, tenantId, actor } = ctx;
  const list = await requireList(tx, tenantId, listId);
  const leadCount = await countLeadsOfList(tx, listId);
  await tx.delete(lists).where(and(eq(lists.tenantId, tenantId), eq(lists.id, listId)));
  await recordAudit(tx, tenantId, actor, {
    action: 'list.deleted',
    targetType: 'list',
    targetId: listId,
    metadata: { name: list.name, leadCount },
  });
}
