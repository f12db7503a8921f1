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

/**
 * Where every connection's socket reads land: the answers are counted, not kept, so one buffer
 * serves them all and a read allocates nothing (Node's default is a fresh 64 KB buffer per read,
 * whose collection the 2-core machine would otherwise pay for while the app runs).
 */
const readBuffer = Buffer.allocUnsafe(256 * 1024);

/** One keep-alive connection; `get` sends the request and resolves when the whole answer has arrived. */
class Connection {
  private socket: net.Socket | null = null;
  /** The answer's head while its end has not arrived yet (a copy: the read buffer is reused). */
  private head: Buffer = Buffer.alloc(0);
  /** Bytes of the answer still to come, once its head has been read; -1 before. */
  private remaining = -1;
  private pending: { resolve: () => void; reject: (err: Error) => void } | null = null;

  get(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.head = Buffer.alloc(0);
      this.remaining = -1;
      this.open().write(request);
    });
  }

  close() {
    this.socket?.destroy();
  }

  private open(): net.Socket {
    if (this.socket) return this.socket;
    // Events of a connection already given up on must not fail its successor's request.
    const socket: net.Socket = net.connect({
      host: url.hostname,
      port: Number(url.port),
      onread: {
        buffer: readBuffer,
        callback: (length) => {
          if (this.socket === socket) this.receive(readBuffer.subarray(0, length));
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    socket.setTimeout(30_000, () => socket.destroy(new Error('timed out after 30 s')));
    socket.on('error', (err) => this.socket === socket && this.fail(err));
    socket.on('close', () => this.socket === socket && this.fail(new Error('the server closed the connection')));
    this.socket = socket;
    return socket;
  }

  private receive(chunk: Buffer) {
    let body = chunk.length;
    if (this.remaining < 0) {
      const head = this.head.length ? Buffer.concat([this.head, chunk]) : chunk;
      const end = head.indexOf(HEADER_END);
      if (end < 0) {
        this.head = Buffer.from(head);
        return;
      }
      const text = head.subarray(0, end).toString('latin1');
      const status = Number(text.slice(9, 12));
      const length = /\r\ncontent-length: *(\d+)/i.exec(text);
      if (status !== 200 || !length) return this.fail(new Error(`status ${status}${length ? '' : ' without Content-Length'}`));
      this.remaining = Number(length[1]);
      body = head.length - end - HEADER_END.length;
    }
    this.remaining -= body;
    if (this.remaining > 0) return;
    if (this.remaining < 0) return this.fail(new Error('more bytes than the answer announced'));
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
