import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/** Resolves after the I/O and timers already due have had their turn. */
const letOthersIn = () => new Promise<void>((resolve) => setImmediate(resolve));

const background = new AsyncLocalStorage<true>();

/** Runs `work` with each of its statements on the embedded database starting after a turn of the event loop. */
export const withTurnsBetweenStatements = <T>(work: () => Promise<T>): Promise<T> => background.run(true, work);

/**
 * PGlite that lets the event loop turn before each statement of background work. Its statements
 * run synchronously in this thread and resolve in promise callbacks only, so a job's transaction of
 * many statements would otherwise hold every request, even one that needs no database, until it
 * commits. Requests' own statements go straight on, as they are few.
 */
export class EmbeddedPGlite extends PGlite {
  static async open(options: PGliteOptions): Promise<EmbeddedPGlite> {
    const client = new EmbeddedPGlite(options);
    await client.waitReady;
    return client;
  }

  override async execProtocolStream(...args: Parameters<PGlite['execProtocolStream']>): ReturnType<PGlite['execProtocolStream']> {
    if (background.getStore()) await letOthersIn();
    return super.execProtocolStream(...args);
  }
}
