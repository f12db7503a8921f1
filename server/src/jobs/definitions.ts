import type { z } from 'zod';
import type { Services } from '../http/services.js';

/** A background job type: its name, the shape of its input, how to run it and how often to retry. */
export type JobDefinition<Input extends z.ZodType = z.ZodType> = {
  type: string;
  input: Input;
  retry: { limit: number; delaySeconds: number; backoff: boolean };
  run(ctx: { jobId: string; tenantId: string; services: Services }, input: z.infer<Input>): Promise<Record<string, unknown>>;
};

/** Every job type the worker runs; features add theirs here (prospecting, enrichment, imports, reports, campaigns). */
export const jobDefinitions: JobDefinition[] = [];
