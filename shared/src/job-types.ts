import { z } from 'zod';
import { EnrichLeadsBody } from './enrichment.js';
import { ImportLeadsInput } from './imports.js';
import { BulkLeadBody } from './leads.js';
import { ProspectSearchInput } from './prospecting.js';
import { GenerateReportInput } from './reports.js';
import { WhatsappSendInput, WhatsappWebhookInput } from './whatsapp.js';
import { WhatsappCampaignInput } from './whatsapp-campaigns.js';

/**
 * Every job type and the input that starts it, as a client sends it. `POST …/jobs` and each
 * feature's own endpoint validate with the same schema; the server holds one definition per type
 * (server/src/job-definitions.ts) and its type checker holds every start of a job to this table.
 */
export const jobInputSchemas = {
  PROSPECT_SEARCH: ProspectSearchInput,
  ENRICH_LEADS: EnrichLeadsBody,
  IMPORT_LEADS: ImportLeadsInput,
  BULK_LEAD_ACTION: BulkLeadBody,
  GENERATE_REPORT: GenerateReportInput,
  WHATSAPP_SEND: WhatsappSendInput,
  WHATSAPP_WEBHOOK: WhatsappWebhookInput,
  WHATSAPP_CAMPAIGN: WhatsappCampaignInput,
} as const;

export type JobType = keyof typeof jobInputSchemas;
export const jobTypes = Object.keys(jobInputSchemas) as [JobType, ...JobType[]];
export const JobType = z.enum(jobTypes);

/** What starting a job of this type takes on the wire (strings where a query string has them). */
export type JobWireInput<T extends JobType> = z.input<(typeof jobInputSchemas)[T]>;
/** The input once validated: what the job's prepare step and handler receive, and what the job row stores. */
export type JobInput<T extends JobType> = z.output<(typeof jobInputSchemas)[T]>;

const startOf = <T extends JobType>(type: T) => z.object({ type: z.literal(type), input: jobInputSchemas[type] });

type StartBody = { [T in JobType]: ReturnType<typeof startOf<T>> }[JobType];

/** `POST …/jobs`: the type names the schema its input is validated with (errors name `input.<field>`). */
export const CreateJobBody = z.discriminatedUnion('type', jobTypes.map((type) => startOf(type)) as [StartBody, ...StartBody[]]);
export type CreateJobBody = z.infer<typeof CreateJobBody>;
