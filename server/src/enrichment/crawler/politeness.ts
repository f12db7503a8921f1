const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes turns per host and overall: one request at a time to any host, with `delayMs` between the
 * end of one request and the start of the next, and at most `concurrency` requests in flight in
 * the whole process, so enriching many leads never hammers one site or our own network.
 */
export class Politeness {
  private readonly hostTails = new Map<string, Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  constructor(
    private readonly concurrency: number,
    private readonly delayMs: number,
  ) {}

  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const previous = this.hostTails.get(host) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.hostTails.set(host, tail);
    await previous;
    try {
      await this.acquire();
      try {
        return await task();
      } finally {
        this.releaseSlot();
      }
    } finally {
      // The next request to this host waits out the delay; other hosts are not held up by it.
      void sleep(this.delayMs).then(() => {
        release();
        if (this.hostTails.get(host) === tail) this.hostTails.delete(host);
      });
    }
  }

  private async acquire() {
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot() {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
