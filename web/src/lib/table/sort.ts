export interface SortState {
  key: string;
  desc: boolean;
}

/** A header click: the active column flips its direction, another column starts in its own first direction. */
export function nextSort(current: SortState | undefined, key: string, firstDesc = false): SortState {
  return current?.key === key ? { key, desc: !current.desc } : { key, desc: firstDesc };
}

/** The rows in the order a column's comparison gives, without touching the input; stable for equal rows. */
export function sortRows<T>(rows: readonly T[], compare: ((a: T, b: T) => number) | undefined, desc: boolean): T[] {
  if (!compare) return [...rows];
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => (desc ? -compare(a.row, b.row) : compare(a.row, b.row)) || a.i - b.i)
    .map((x) => x.row);
}

/** Case- and accent-insensitive text order in the user's language, for sortable text columns. */
export const byText =
  <T>(of: (row: T) => string | null | undefined) =>
  (a: T, b: T) =>
    (of(a) ?? '').localeCompare(of(b) ?? '', undefined, { sensitivity: 'base', numeric: true });

/** Order by a timestamp string (ISO 8601), missing values first. */
export const byTime =
  <T>(of: (row: T) => string | null | undefined) =>
  (a: T, b: T) =>
    (Date.parse(of(a) ?? '') || 0) - (Date.parse(of(b) ?? '') || 0);
