import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { QueueMessage } from './queue.js';

/** A loop taking one job type's deliveries from the queue; `wake` says one was just sent. */
export type Consumer = { wake(): void; stop(): Promise<void> };

/**
 * Keeps up to `slots` deliveries of one job type running in this process. It fetches as many as
 * there are free slots in one query, once at least half of them are free (so fetches stay batched
 * while jobs finish one by one), starts each at once, and completes the finished ones together.
 * After a full fetch it fetches again as soon as slots free up; after a short one the queue was
 * empty, so it waits for `wake` or the poll. A delivery whose run throws is failed on its own, for
 * the queue to retry with its type's backoff.
 */
export function startConsumer(
  boss: PgBoss,
  type: string,
  slots: number,
  run: (message: QueueMessage) => Promise<unknown>,
  opts: { pollMs: number; log: Logger },
): Consumer {
  let stopping = false;
  let running = 0;
  let mayHaveMore = true;
  let nudge: (() => void) | null = null;
  const wait = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        mayHaveMore = true;
        resolve();
      }, opts.pollMs);
      nudge = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      nudge = null;
    });

  const done: string[] = [];
  let completing: Promise<void> | null = null;
  const complete = (id: string) => {
    done.push(id);
    completing ??= (async () => {
      // Runs whose end was written together finish in one turn: they complete in one call.
      await new Promise((resolve) => setImmediate(resolve));
      while (done.length) {
        const ids = done.splice(0);
        await boss.complete(type, ids).catch((err: unknown) => opts.log.error({ err, type }, 'completing jobs in the queue failed'));
      }
      completing = null;
    })();
  };

  const start = (delivery: PgBoss.Job<QueueMessage>) => {
    running++;
    void run(delivery.data)
      .then(
        () => complete(delivery.id),
        (err: unknown) =>
          boss
            .fail(type, delivery.id, { message: err instanceof Error ? err.message : String(err) })
            .catch((failure: unknown) => opts.log.error({ err: failure, type }, 'failing a job in the queue failed')),
      )
      .finally(() => {
        running--;
        nudge?.();
      });
  };

  const loop = (async () => {
    while (!stopping) {
      const free = slots - running;
      if (mayHaveMore && (free >= Math.ceil(slots / 2) || running === 0)) {
        mayHaveMore = false;
        const fetched = await boss.fetch<QueueMessage>(type, { batchSize: free }).catch((err: unknown) => {
          opts.log.error({ err, type }, 'fetching jobs from the queue failed');
          return [];
        });
        for (const delivery of fetched) start(delivery);
        if (fetched.length === free) mayHaveMore = true;
        else await wait();
      } else {
        await wait();
      }
    }
  })();

  return {
    wake: () => {
      mayHaveMore = true;
      nudge?.();
    },
    stop: async () => {
      stopping = true;
      nudge?.();
      await loop;
      await completing;
    },
  };
}
