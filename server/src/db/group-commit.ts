import { isDatabaseUnavailable } from './unavailable.js';

type Waiting<T> = { item: T; stored: () => void; failed: (error: unknown) => void };

/**
 * Group commit: items of one key that arrive while that key's previous group is being written
 * wait and are written together by the next call of `write` (one transaction for all), so a burst
 * costs a few round trips and one commit per group instead of per item, and no item waits on a
 * timer: an item arriving when nothing is being written goes at once. `add` resolves only after
 * the write holding its item has returned (committed), and rejects with that write's error.
 *
 * A group whose write fails for a reason other than the database being away is written again one
 * item at a time, so an item the database refuses fails alone and the others are still stored.
 */
export class GroupCommit<T> {
  private readonly waiting = new Map<string, Waiting<T>[]>();

  constructor(
    private readonly write: (key: string, items: T[]) => Promise<void>,
    private readonly maxGroup = 64,
  ) {}

  add(key: string, item: T): Promise<void> {
    return new Promise<void>((stored, failed) => {
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push({ item, stored, failed });
        return;
      }
      this.waiting.set(key, [{ item, stored, failed }]);
      void this.drain(key);
    });
  }

  /** Writes the key's queue group after group until it is empty; only one write per key is under way at a time. */
  private async drain(key: string) {
    const queue = this.waiting.get(key)!;
    while (queue.length > 0) await this.writeGroup(key, queue.splice(0, this.maxGroup));
    this.waiting.delete(key);
  }

  private async writeGroup(key: string, group: Waiting<T>[]) {
    try {
      await this.write(
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
    for (const w of group) w.stored();
  }
}
