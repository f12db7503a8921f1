import type { AnyJobDefinition } from './definitions.js';

const definitions = new Map<string, AnyJobDefinition>();

/**
 * Makes job types known to this process. The composition root registers every feature's
 * (server/src/job-definitions.ts); tests and the bench add types of their own. The engine reads
 * them from here, so it never imports a feature.
 */
export function registerJobs(list: readonly AnyJobDefinition[]) {
  for (const def of list) {
    const known = definitions.get(def.type);
    if (known && known !== def) throw new Error(`The job type ${def.type} is defined twice.`);
    definitions.set(def.type, def);
  }
}

/** Every registered job type, in registration order. */
export const registeredJobs = (): AnyJobDefinition[] => [...definitions.values()];

/** The definition of a registered job type, or undefined. */
export const findJobDefinition = (type: string): AnyJobDefinition | undefined => definitions.get(type);
