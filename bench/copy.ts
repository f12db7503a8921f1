import { createReadStream } from 'node:fs';
import pg from 'pg';

type Connection = {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain: boolean };
};

/**
 * `COPY … FROM STDIN` on node-postgres without pg-copy-streams: a minimal "submittable" speaking the
 * copy sub-protocol through the driver's own connection (the same messages pg-copy-streams sends).
 * Streams `file` with backpressure and resolves with the number of rows copied.
 */
class CopyFromFile {
  private rows = 0;
  private failed: Error | null = null;
  readonly done: Promise<number>;
  private settle!: { resolve: (n: number) => void; reject: (e: Error) => void };

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: Connection) {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: Connection) {
    const source = createReadStream(this.file, { highWaterMark: 256 * 1024 });
    source.on('data', (chunk) => {
      connection.sendCopyFromChunk(chunk as Buffer);
      if (connection.stream.writableNeedDrain) {
        source.pause();
        connection.stream.once('drain', () => source.resume());
      }
    });
    source.on('end', () => connection.endCopyFrom());
    source.on('error', (err) => connection.sendCopyFail(err.message));
  }

  handleCommandComplete(msg: { text: string }) {
    this.rows = Number(msg.text.split(' ').at(-1));
  }

  handleError(err: Error) {
    this.failed = err;
  }

  handleReadyForQuery() {
    if (this.failed) this.settle.reject(this.failed);
    else this.settle.resolve(this.rows);
  }

  // Messages a COPY FROM never gets; present because the client calls them on whatever query is active.
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}
}

/** Copies a CSV file (no header) into `table (columns)` and returns the row count. */
export async function copyCsvFile(client: pg.PoolClient | pg.Client, table: string, columns: string[], file: string): Promise<number> {
  const copy = new CopyFromFile(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`, file);
  void client.query(copy as unknown as pg.QueryConfig);
  return copy.done;
}
