import type { JobDefinition } from './definitions.js';
import { importLeadsJob } from '../imports/job.js';
import { prospectSearchJob } from '../prospecting/job.js';
import { bulkLeadActionJob } from '../leads/bulk-job.js';
import { enrichLeadsJob } from '../enrichment/job.js';

/** Every job type the worker runs; features add theirs here. */
export const jobDefinitions: JobDefinition[] = [importLeadsJob, prospectSearchJob, bulkLeadActionJob, enrichLeadsJob];

export const findJobDefinition = (type: string) => jobDefinitions.find((d) => d.type === type);
