import type { JobDefinition } from './definitions.js';

/** Every job type the worker runs; features add theirs here. */
export const jobDefinitions: JobDefinition[] = [];

export const findJobDefinition = (type: string) => jobDefinitions.find((d) => d.type === type);
