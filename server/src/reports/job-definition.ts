import { defineJob } from '../jobs/definitions.js';
import { prepareReport } from './prepare.js';

/** GENERATE_REPORT: renders one lead's report or a list's market map into a stored PDF (job.ts). */
export const generateReportJob = defineJob({
  type: 'GENERATE_REPORT',
  prepare: prepareReport,
  retry: { limit: 2, delaySeconds: 5, backoff: true },
  timeoutSeconds: 30 * 60,
  handler: () => import('./job.js').then((m) => m.generateReportHandler),
});
