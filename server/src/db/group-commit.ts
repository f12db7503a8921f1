import { isDatabaseUnavailable } from './unavailable.js';

type Waiting<T, A> = { item: T; answered: (answer: A) => void; failed: (error: unknown) => void };

export type GroupCommitOptions = {
  /** Most items in one write. */
  maxGroup?: number;
  /**
   * Whether the first item to arrive for an idle key waits one turn of the event loop, so the
   * items added in the same turn (a batch of job runs starting together) go in its write too.
   */
  gatherTurn?: boolean;
};

/**
 * Group commit: items of one key that arrive while that key's previous group is being written
 * wait and are written together by the next call of `write` (one transaction for all), so a burst
 * costs a few round trips and one commit per group instead of per item, and no item waits on a
 * timer. `add` resolves only after the write holding its item has returned (committed), with the
 * write's answer for that item, and rejects with that write's error.
 *
 * A group whose write fails for a reason other than the database being away is written again one
 * item at a time, so an item the database refuses fails alone and the others are still stored.
 */
export class GroupCommit<T, A = void> {
  private readonly waiting = new Map<string, Waiting<T, A>[]>();
  private readonly maxGroup: number;
  private readonly gatherTurn: boolean;

  /** `write` answers each item in order (or nothing, when `A` is void). */
  constructor(
    private readonly write: (key: string, items: T[]) => Promise<A[] | void>,
    options: GroupCommitOptions = {},
  ) {
    this.maxGroup = options.maxGroup ?? 64;
    this.gatherTurn = options.gatherTurn ?? false;
  }

  add(key: string, item: T): Promise<A> {
    return new Promise<A>((answered, failed) => {
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push({ item, answered, failed });
        return;
      }
      this.waiting.set(key, [{ item, answered, failed }]);
      if (this.gatherTurn) setImmediate(() => void this.drain(key));
      else void this.drain(key);
    });
  }

  /** Writes the key's queue group after group until it is empty; only one write per key is under way at a time. */
  private async drain(key: string) {
    const queue = this.waiting.get(key)!;
    while (queue.length > 0) await this.writeGroup(key, queue.splice(0, this.maxGroup));
    this.waiting.delete(key);
  }

  private async writeGroup(key: string, group: Waiting<T, A>[]) {
    let answers: A[] | void;
    try {
      answers = await this.write(
        key,
        group.map((w) => w.item),
      );
    } catch (error) {
      if (group.length === 1 || isDatabaseUnavailable(error)) {
        for (const w of group) w.failed(error);
        return;
      }
      for (const w of group) await this.writeGroup(key, [w]);
      return;
    }
    group.forEach((w, i) => w.answered((answers as A[] | undefined)?.[i] as A));
  }
}
