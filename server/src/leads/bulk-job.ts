import { and, asc, count, eq, gt, inArray } from 'drizzle-orm';
import { leads } from '../db/schema/index.js';
import { AppError } from '../errors/catalogue.js';
import { PermanentJobError, type JobHandler } from '../jobs/definitions.js';
import { applyBulkAction, assertActionTargets, selectionConditions } from './bulk.js';

const CHUNK_SIZE = 5000;

/**
 * BULK_LEAD_ACTION's handler (its definition: bulk-job-definition.ts), for an action over more than
 * 10,000 leads. It walks the selection in id order, 5,000 ids per short transaction, so locks stay
 * brief and progress is visible. Every action is idempotent (adding a present tag or list entry,
 * setting the same status again change nothing), so a retry simply walks the selection again.
 */
export const bulkLeadActionHandler: JobHandler<'BULK_LEAD_ACTION'> = {
  async run(job, input) {
    const where = selectionConditions(job.tenantId, input.selection);
    const total = await job.inTenant(async (tx) => (await tx.select({ n: count() }).from(leads).where(where))[0].n);
    await job.progress(0, total, input.action.type);
    let done = 0;
    let lastId: string | null = null;
    for (;;) {
      if (await job.isCancelled()) {
        await job.log('warn', { code: 'log.cancelledAt', params: { done, total } }, { done, total });
        return { done, total, cancelled: true };
      }
      const after = lastId;
      const processed: number = await job.inTenant(async (tx) => {
        await assertActionTargets(tx, job.tenantId, input.action).catch((error: unknown) => {
          throw error instanceof AppError ? new PermanentJobError(error.message) : error;
        });
        const chunk = await tx
          .select({ id: leads.id })
          .from(leads)
          .where(after ? and(where, gt(leads.id, after)) : where)
          .orderBy(asc(leads.id))
          .limit(CHUNK_SIZE);
        if (!chunk.length) return 0;
        const ids = chunk.map((r) => r.id);
        await applyBulkAction(
          tx,
          job.tenantId,
          input.action,
          and(eq(leads.tenantId, job.tenantId), inArray(leads.id, ids))!,
          job.createdByUserId,
        );
        lastId = ids[ids.length - 1];
        return ids.length;
      });
      if (!processed) break;
      done += processed;
      await job.progress(done, Math.max(total, done), input.action.type);
      if (processed < CHUNK_SIZE) break;
    }
    await job.log('info', { code: 'log.bulkApplied', params: { count: done } }, { done, action: input.action.type });
    return { affected: done };
  },
};
