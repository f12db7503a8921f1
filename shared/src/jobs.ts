import { z } from 'zod';
import { countedPage, IsoDate, Uuid } from './common.js';

export const jobStatuses = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export const JobStatus = z.enum(jobStatuses);

/** A job text as stored: its code and parameters. */
export const JobTextValue = z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() });
export type JobTextValue = z.infer<typeof JobTextValue>;

export const Job = z.object({
  id: Uuid,
  type: z.string(),
  status: JobStatus,
  input: z.record(z.string(), z.unknown()),
  progress: z.object({ done: z.number(), total: z.number().nullable(), step: z.string().nullable() }),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  /** The failure as a job text (`job-texts.ts`), for the user's language; `error` is its English. */
  errorText: JobTextValue.nullable(),
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
export type JobLog = z.infer<typeof JobLog>;
export const JobPage = countedPage(Job);
export const JobLogPage = z.object({ items: z.array(JobLog), nextCursor: z.string().nullable() });
