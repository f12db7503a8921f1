import { useI18n } from '../../i18n';
import type { DataTablePagination } from './DataTable';

/** The parts of a TanStack infinite query a table reads. */
interface InfiniteQueryLike<T> {
  data: { pages: { items: T[] }[] } | undefined;
  isError: boolean;
  error: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
  refetch: () => Promise<unknown>;
}

/** A paged list query as DataTable props: its loaded rows, its error with a retry, and its next page. */
export function infiniteTableProps<T>(query: InfiniteQueryLike<T>, summary?: (loaded: number, hasMore: boolean) => string) {
  const rows = query.data?.pages.flatMap((p) => p.items);
  const pagination: DataTablePagination = {
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    onLoadMore: () => void query.fetchNextPage(),
    summary: rows && summary ? summary(rows.length, query.hasNextPage) : undefined,
  };
  return { rows, error: query.isError ? query.error : undefined, onRetry: () => void query.refetch(), pagination };
}

/** The usual summary under a paged table: how many rows are shown, and whether that is all of them. */
export function useShownSummary() {
  const { t, formatNumber } = useI18n();
  return (loaded: number, hasMore: boolean) =>
    hasMore ? t('table.shownMore', { count: formatNumber(loaded) }) : t('table.shownAll', { count: formatNumber(loaded) });
}
