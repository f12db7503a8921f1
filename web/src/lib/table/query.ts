import type { RowCount } from '@optarget/shared';
import { useI18n } from '../../i18n';
import type { DataTablePagination } from './DataTable';

/** The parts of a TanStack infinite query a table reads; the first page says how many rows match. */
interface InfiniteQueryLike<T> {
  data: { pages: { items: T[]; total?: RowCount | null }[] } | undefined;
  isError: boolean;
  error: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
  refetch: () => Promise<unknown>;
}

export type ShownSummary = (loaded: number, hasMore: boolean, total: RowCount | undefined) => string;

/** A paged list query as DataTable props: its loaded rows, its error with a retry, and its next page. */
export function infiniteTableProps<T>(query: InfiniteQueryLike<T>, summary?: ShownSummary) {
  const rows = query.data?.pages.flatMap((p) => p.items);
  const total = query.data?.pages[0]?.total ?? undefined;
  const pagination: DataTablePagination = {
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    onLoadMore: () => void query.fetchNextPage(),
    summary: rows && summary ? summary(rows.length, query.hasNextPage, total) : undefined,
  };
  return { rows, error: query.isError ? query.error : undefined, onRetry: () => void query.refetch(), pagination };
}

/**
 * The usual summary under a paged table: "50 of 1,234 shown" ("of about" when the total is the
 * database's estimate, as on the lead table), or that all rows are shown once the last page is in.
 */
export function useShownSummary(): ShownSummary {
  const { t, formatNumber } = useI18n();
  return (loaded, hasMore, total) => {
    if (!hasMore) return t('table.shownAll', { count: formatNumber(loaded) });
    if (!total) return t('table.shownMore', { count: formatNumber(loaded) });
    return t(total.exact ? 'table.shownOf' : 'table.shownOfAbout', { loaded: formatNumber(loaded), total: total.count });
  };
}
