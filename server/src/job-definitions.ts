import type { JobType } from '@optarget/shared';
import { enrichLeadsJob } from './enrichment/job-definition.js';
import { importLeadsJob } from './imports/job-definition.js';
import { bulkLeadActionJob } from './leads/bulk-job-definition.js';
import { prospectSearchJob } from './prospecting/job-definition.js';
import { generateReportJob } from './reports/job-definition.js';
import { whatsappCampaignJob } from './whatsapp/campaigns/job-definition.js';
import { sendWhatsappJob, whatsappWebhookJob } from './whatsapp/job-definitions.js';

/**
 * Every job type the app runs, one definition per type of the shared table (`jobInputSchemas`).
 * The composition root registers them; the `as const` keeps each definition's own type.
 */
export const jobDefinitions = [
  prospectSearchJob,
  enrichLeadsJob,
  importLeadsJob,
  bulkLeadActionJob,
  generateReportJob,
  sendWhatsappJob,
  whatsappWebhookJob,
  whatsappCampaignJob,
] as const;

// A job type of the shared table without a definition here fails the type check, naming the type.
type NoneMissing<Missing extends never> = Missing;
type _EveryTypeDefined = NoneMissing<Exclude<JobType, (typeof jobDefinitions)[number]['type']>>;
