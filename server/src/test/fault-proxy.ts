import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type FaultMode = 'pass' | 'silent' | 'refuse';

/**
 * A TCP proxy on 127.0.0.1 in front of PostgreSQL that a test can turn into a failing network:
 * `pass` forwards; `silent` accepts connections and never answers, and stops forwarding on the
 * open ones (a black-holed server); `refuse` closes the port (connections are refused) and drops
 * the open ones; `dropAll` cuts every open connection at once.
 */
export class FaultProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | null }>();
  private mode: FaultMode = 'pass';
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** The database URL `url` rewritten to go through this proxy. */
  urlFor(url: string) {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.href;
  }

  async start() {
    await this.listen();
    return this;
  }

  async setMode(mode: FaultMode) {
    const previous = this.mode;
    this.mode = mode;
    if (mode === 'refuse') {
      this.dropAll();
      await this.closeListener();
    } else if (mode === 'silent') {
      for (const pair of this.pairs) {
        pair.client.unpipe();
        pair.upstream?.unpipe();
        pair.upstream?.destroy();
        pair.upstream = null;
      }
    } else {
      // Connections black-holed while silent are dead to their clients; a recovered server does not know them.
      if (previous === 'silent') this.dropAll();
      if (!this.server) await this.listen();
    }
  }

  dropAll() {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    this.pairs.clear();
  }

  async close() {
    this.dropAll();
    await this.closeListener();
  }

  private listen() {
    const server = createServer((client) => this.accept(client));
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  private closeListener() {
    const server = this.server;
    this.server = null;
    return new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket) {
    const pair: { client: Socket; upstream: Socket | null } = { client, upstream: null };
    this.pairs.add(pair);
    const forget = () => {
      this.pairs.delete(pair);
      pair.upstream?.destroy();
      client.destroy();
    };
    client.on('error', forget);
    client.on('close', forget);
    if (this.mode !== 'pass') return; // silent: accepted, never answered
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', forget);
    upstream.on('close', () => {
      if (pair.upstream === upstream) forget();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
