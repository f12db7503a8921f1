import { defineJob } from '../jobs/definitions.js';
import { prepareProspectSearch } from './prepare.js';

/** PROSPECT_SEARCH: finds businesses on OpenStreetMap and Google Places and saves them as leads (job.ts). */
export const prospectSearchJob = defineJob({
  type: 'PROSPECT_SEARCH',
  prepare: prepareProspectSearch,
  retry: { limit: 3, delaySeconds: 5, backoff: true },
  timeoutSeconds: 30 * 60,
  handler: () => import('./job.js').then((m) => m.prospectSearchHandler),
});
