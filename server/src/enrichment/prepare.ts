import type { EnrichLeadsBody as EnrichLeadsSchema } from '@optarget/shared';
import type { z } from 'zod';
import { count } from 'drizzle-orm';
import { leads } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import type { PrepareContext } from '../jobs/definitions.js';
import { assertWithinPlan, incrementUsage } from '../plans/limits.js';
import { listExists, selectionWhere } from './selection.js';

type EnrichLeadsBody = z.infer<typeof EnrichLeadsSchema>;

/** One enrichment is one lead: the whole selection must fit in the plan before the job exists. */
export async function prepareEnrichment(ctx: PrepareContext, body: EnrichLeadsBody) {
  const n = await countSelection(ctx.tx, ctx.tenantId, body);
  await assertWithinPlan(ctx.tx, ctx.tenantId, 'enrichments', n);
  await incrementUsage(ctx.tx, ctx.tenantId, 'enrichments', n);
}

/** How many leads the selection covers; a named list or lead that is not the tenant's is 404. */
async function countSelection(tx: Tx, tenantId: string, body: EnrichLeadsBody): Promise<number> {
  const listId = body.listId ?? body.filter?.listId;
  if (listId && !(await listExists(tx, tenantId, listId))) throw new AppError('NOT_FOUND', 'No such list.');
  const [{ n }] = await tx.select({ n: count() }).from(leads).where(selectionWhere(tenantId, body));
  if (body.leadIds && n < new Set(body.leadIds).size) throw new AppError('NOT_FOUND', 'Some of these leads do not exist.');
  if (n === 0) throw new AppError('CONFLICT', 'There are no leads to enrich in this selection.', { reason: 'nothingToEnrich' });
  return n;
}
