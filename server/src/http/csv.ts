import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { csvWriteOptions, type CsvRow } from '@optarget/shared';

/**
 * A CSV file streamed from rows as they are read, written the one way (csvWriteOptions): memory holds
 * a batch of rows, never the file. A failure while reading ends the stream with that error.
 */
export function csvStream(rows: AsyncIterable<CsvRow>): Readable {
  const csv = stringify(csvWriteOptions);
  // pipeline destroys `csv` with the error, which aborts the answer; the rejection itself needs no handling.
  pipeline(Readable.from(rows), csv).catch(() => undefined);
  return csv;
}
