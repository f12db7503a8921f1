import type { Options } from 'csv-parse';

/**
 * How every CSV in an import is read, at upload and in the job alike, so the rows counted and
 * previewed are the rows imported. Ragged rows come through as they are (the job reports them);
 * a broken quote skips only its own record.
 */
export const csvOptions = (delimiter: string, onSkip: (raw: string | undefined) => void) =>
  ({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (_err: unknown, raw: string | undefined) => void onSkip(raw),
    max_record_size: 1024 * 1024,
  }) satisfies Options;
