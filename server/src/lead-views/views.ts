import { and, asc, eq, or, sql } from 'drizzle-orm';
import { can, leadViewAuditActions, SaveLeadViewBody, type LeadView } from '@optarget/shared';
import type { z } from 'zod';
import { recordAudit } from '../audit/record.js';
import { leadViews, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import type { TenantContext } from '../http/routes.js';

const viewColumns = {
  id: leadViews.id,
  name: leadViews.name,
  shared: leadViews.shared,
  userId: leadViews.userId,
  author: users.name,
  layout: leadViews.layout,
  updatedAt: leadViews.updatedAt,
};

type ViewRow = {
  id: string;
  name: string;
  shared: boolean;
  userId: string;
  author: string | null;
  layout: LeadView['layout'];
  updatedAt: Date;
};

const toDto = (row: ViewRow, userId: string): LeadView => ({
  id: row.id,
  name: row.name,
  shared: row.shared,
  mine: row.userId === userId,
  author: row.author,
  layout: row.layout,
  updatedAt: row.updatedAt.toISOString(),
});

const visibleTo = (userId: string) => or(eq(leadViews.userId, userId), eq(leadViews.shared, true));

/** The caller's own views and those teammates shared, by name. */
export async function findLeadViews(tx: Tx, userId: string): Promise<{ items: LeadView[] }> {
  const rows = await tx
    .select(viewColumns)
    .from(leadViews)
    .leftJoin(users, eq(users.id, leadViews.userId))
    .where(visibleTo(userId))
    .orderBy(asc(sql`lower(${leadViews.name})`), asc(leadViews.id));
  return { items: rows.map((r) => toDto(r, userId)) };
}

/** Saves a view under its name; saving again under a name the caller already used replaces that view. */
export async function saveLeadView(ctx: TenantContext, body: z.output<typeof SaveLeadViewBody>): Promise<LeadView> {
  if (body.shared && !can(ctx.role, 'data.write'))
    throw new AppError('FORBIDDEN', 'A viewer may save views for themselves but not share them.');
  const [existing] = await ctx.tx
    .select({ id: leadViews.id })
    .from(leadViews)
    .where(and(eq(leadViews.userId, ctx.actor.userId), sql`lower(${leadViews.name}) = lower(${body.name})`));
  const values = { name: body.name, shared: body.shared, layout: body.layout };
  const [saved] = existing
    ? await ctx.tx.update(leadViews).set(values).where(eq(leadViews.id, existing.id)).returning({ id: leadViews.id })
    : await ctx.tx
        .insert(leadViews)
        .values({ ...values, tenantId: ctx.tenantId, userId: ctx.actor.userId })
        .returning({ id: leadViews.id });
  await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
    action: leadViewAuditActions.saved,
    targetType: 'lead_view',
    targetId: saved.id,
    metadata: { name: body.name, shared: body.shared },
  });
  const [row] = await ctx.tx
    .select(viewColumns)
    .from(leadViews)
    .leftJoin(users, eq(users.id, leadViews.userId))
    .where(eq(leadViews.id, saved.id));
  return toDto(row, ctx.actor.userId);
}

/** Deletes one of the caller's views; a teammate's shared view is theirs to delete, and a private one is not even seen. */
export async function deleteLeadView(ctx: TenantContext, viewId: string): Promise<void> {
  const [view] = await ctx.tx
    .select({ userId: leadViews.userId, name: leadViews.name })
    .from(leadViews)
    .where(and(eq(leadViews.id, viewId), visibleTo(ctx.actor.userId)));
  if (!view) throw new AppError('NOT_FOUND', 'No such view.');
  if (view.userId !== ctx.actor.userId) throw new AppError('FORBIDDEN', 'Only the person who saved a view may delete it.');
  await ctx.tx.delete(leadViews).where(eq(leadViews.id, viewId));
  await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
    action: leadViewAuditActions.deleted,
    targetType: 'lead_view',
    targetId: viewId,
    metadata: { name: view.name },
  });
}
