import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { sampleLoad, type LoadPlan } from './load.js';
import { APP_ORIGIN } from './http-client.js';

/**
 * Runs in its own thread so the load generator does not share an event loop with the app it
 * measures: latencies then include the app's queueing, not the client's.
 *
 * The client is a bare HTTP/1.1 keep-alive connection per concurrent caller, as wrk's is: the
 * request bytes are written once built, and an answer is read only as far as its status line and
 * Content-Length. Node's http client cost the 2-core machine a tenth of a millisecond of CPU per
 * request, which the app under test then lacked.
 */
export type HttpLoadJob = { baseUrl: string; path: string; cookie: string; plan: LoadPlan };

const job = workerData as HttpLoadJob;
const url = new URL(job.path, job.baseUrl);
const request = Buffer.from(
  `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nCookie: ${job.cookie}\r\nOrigin: ${APP_ORIGIN}\r\nAccept: application/json\r\n\r\n`,
);
const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection; `get` sends the request and resolves when the whole answer has arrived. */
class Connection {
  private socket: net.Socket | null = null;
  private buffered: Buffer = Buffer.alloc(0);
  private expected = -1;
  private pending: { resolve: () => void; reject: (err: Error) => void } | null = null;

  get(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.buffered = Buffer.alloc(0);
      this.expected = -1;
      this.open().write(request);
    });
  }

  close() {
    this.socket?.destroy();
  }

  private open(): net.Socket {
    if (this.socket) return this.socket;
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    socket.setNoDelay(true);
    socket.setTimeout(30_000, () => socket.destroy(new Error('timed out after 30 s')));
    // Events of a connection already given up on must not fail its successor's request.
    socket.on('data', (chunk: Buffer) => this.socket === socket && this.receive(chunk));
    socket.on('error', (err) => this.socket === socket && this.fail(err));
    socket.on('close', () => this.socket === socket && this.fail(new Error('the server closed the connection')));
    this.socket = socket;
    return socket;
  }

  private receive(chunk: Buffer) {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    if (this.expected < 0) {
      const end = this.buffered.indexOf(HEADER_END);
      if (end < 0) return;
      const head = this.buffered.subarray(0, end).toString('latin1');
      const status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (status !== 200 || !length) return this.fail(new Error(`status ${status}${length ? '' : ' without Content-Length'}`));
      this.expected = end + HEADER_END.length + Number(length[1]);
    }
    if (this.buffered.length < this.expected) return;
    if (this.buffered.length > this.expected) return this.fail(new Error('more bytes than the answer announced'));
    const done = this.pending;
    this.pending = null;
    done?.resolve();
  }

  private fail(err: Error) {
    this.socket?.destroy();
    this.socket = null;
    const done = this.pending;
    this.pending = null;
    done?.reject(err);
  }
}

const idle: Connection[] = Array.from({ length: job.plan.concurrency }, () => new Connection());
const all = [...idle];
const samples = await sampleLoad(async () => {
  const connection = idle.pop()!;
  try {
    await connection.get();
  } finally {
    idle.push(connection);
  }
}, job.plan);
for (const connection of all) connection.close();
parentPort!.postMessage(samples);
