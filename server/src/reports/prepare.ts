import { and, count, eq } from 'drizzle-orm';
import type { GenerateReportInput } from '@optarget/shared';
import { leadLists, leads, lists } from '../db/schema/index.js';
import { AppError } from '../errors/catalogue.js';
import type { PrepareContext } from '../jobs/definitions.js';
import { assertWithinPlan, incrementUsage } from '../plans/limits.js';

/**
 * Before a report job exists: the lead or list must be the tenant's (404), and the report must fit
 * in the plan's monthly reports (402).
 */
export async function prepareReport(ctx: PrepareContext, input: GenerateReportInput) {
  if (input.leadId) {
    const [lead] = await ctx.tx
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.tenantId, ctx.tenantId), eq(leads.id, input.leadId)));
    if (!lead) throw new AppError('NOT_FOUND', 'No such lead.');
  } else if (input.listId) {
    const [list] = await ctx.tx
      .select({ id: lists.id })
      .from(lists)
      .where(and(eq(lists.tenantId, ctx.tenantId), eq(lists.id, input.listId)));
    if (!list) throw new AppError('NOT_FOUND', 'No such list.');
    const [{ n }] = await ctx.tx
      .select({ n: count() })
      .from(leadLists)
      .where(and(eq(leadLists.tenantId, ctx.tenantId), eq(leadLists.listId, input.listId)));
    if (n === 0) throw new AppError('CONFLICT', 'This list has no leads to report on.', { reason: 'listEmpty' });
  }
  await assertWithinPlan(ctx.tx, ctx.tenantId, 'reports');
  await incrementUsage(ctx.tx, ctx.tenantId, 'reports');
}
