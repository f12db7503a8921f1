import { defineJob } from '../jobs/definitions.js';
import { assertBulkReferences } from './bulk.js';

/** BULK_LEAD_ACTION: a bulk action over more leads than one request applies at once (see bulk.ts). */
export const bulkLeadActionJob = defineJob({
  type: 'BULK_LEAD_ACTION',
  // The lists and owner the action names are the tenant's before the job exists, whichever way it is started.
  prepare: (ctx, input) => assertBulkReferences(ctx.tx, ctx.tenantId, input),
  retry: { limit: 3, delaySeconds: 30, backoff: true },
  timeoutSeconds: 60 * 60,
  handler: () => import('./bulk-job.js').then((m) => m.bulkLeadActionHandler),
});
