import { z } from 'zod';
import { IsoDate, Uuid } from './common.js';

export const jobTypes = [
  'PROSPECT_SEARCH',
  'ENRICH_LEADS',
  'IMPORT_LEADS',
  'GENERATE_REPORT',
  'WHATSAPP_CAMPAIGN',
  'BULK_LEAD_ACTION',
] as const;
export const JobType = z.enum(jobTypes);
export type JobType = z.infer<typeof JobType>;
export const jobStatuses = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export const JobStatus = z.enum(jobStatuses);

export const Job = z.object({
  id: Uuid,
  type: z.string(),
  status: JobStatus,
  input: z.record(z.string(), z.unknown()),
  progress: z.object({ done: z.number(), total: z.number().nullable(), step: z.string().nullable() }),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  attempts: z.number(),
  createdBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
});
export type Job = z.infer<typeof Job>;
export const JobParams = z.object({ tenantId: Uuid, jobId: Uuid });
export const JobLog = z.object({
  id: Uuid,
  level: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  createdAt: IsoDate,
});
export const JobPage = z.object({ items: z.array(Job), nextCursor: z.string().nullable() });
export const JobLogPage = z.object({ items: z.array(JobLog), nextCursor: z.string().nullable() });
export const CreateJobBody = z.object({ type: JobType, input: z.record(z.string(), z.unknown()) });
