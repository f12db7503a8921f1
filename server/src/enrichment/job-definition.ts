import { defineJob } from '../jobs/definitions.js';
import { prepareEnrichment } from './prepare.js';

/** ENRICH_LEADS: visits the selected leads' websites and records evidence and scores (job.ts). */
export const enrichLeadsJob = defineJob({
  type: 'ENRICH_LEADS',
  prepare: prepareEnrichment,
  retry: { limit: 2, delaySeconds: 10, backoff: true },
  timeoutSeconds: 3 * 60 * 60,
  handler: () => import('./job.js').then((m) => m.enrichLeadsHandler),
});
