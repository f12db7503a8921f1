import { defineJob } from '../jobs/definitions.js';
import { prepareImport } from './prepare.js';

/** IMPORT_LEADS: imports an uploaded CSV file as leads, in resumable batches (job.ts). */
export const importLeadsJob = defineJob({
  type: 'IMPORT_LEADS',
  prepare: prepareImport,
  retry: { limit: 3, delaySeconds: 10, backoff: true },
  timeoutSeconds: 60 * 60,
  handler: () => import('./job.js').then((m) => m.importLeadsHandler),
});
