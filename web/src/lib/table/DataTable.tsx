import { useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import { Button, Group, Skeleton, Stack, Table, Text, UnstyledButton, VisuallyHidden, useDirection } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import type { TableDensity } from '@optarget/shared';
import { useI18n } from '../../i18n';
import { ErrorState } from '../../shell/states';
import classes from './DataTable.module.css';
import { nextRowIndex } from './keyboard';
import { ResizeHandle } from './ResizeHandle';
import { nextSort, sortRows, type SortState } from './sort';

export type { SortState } from './sort';

export interface DataColumn<T> {
  key: string;
  /** The column's name: its header text, and the name screen readers and the column chooser use. */
  label: string;
  /** Shown in the header instead of the label (e.g. a select-all checkbox); the label stays for screen readers. */
  header?: ReactNode;
  /** Header text only for screen readers (e.g. an actions column). */
  hideLabel?: boolean;
  cell: (row: T) => ReactNode;
  /** Sorts the loaded rows by this column. */
  compare?: (a: T, b: T) => number;
  /** Sortable by whoever owns `sort` (the server), without a comparison here. */
  sortable?: boolean;
  /** A first click sorts descending (numbers and dates read best newest or biggest first). */
  firstDesc?: boolean;
  align?: 'start' | 'end';
  /** Starting width in pixels; resizable tables give every column one. */
  width?: number;
}

export interface DataTablePagination {
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** Load the next page as the end of the table scrolls into view, besides the button. */
  auto?: boolean;
  /** What is shown out of what matches, e.g. "100 of 2,340 leads shown". */
  summary?: string;
}

export interface DataTableProps<T> {
  /** The table's accessible name. */
  label: string;
  columns: DataColumn<T>[];
  /** Undefined until the first page arrives. */
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  error?: unknown;
  onRetry?: () => void;
  empty: ReactNode;
  /** Controlled sort; without `onSortChange` the table sorts its loaded rows itself, starting from `defaultSort`. */
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  defaultSort?: SortState;
  pagination?: DataTablePagination;
  density?: TableDensity;
  /** How many leading columns stay in view while scrolling sideways. */
  stickyColumns?: number;
  /** Column widths by key; given with `onResize`, the columns are resizable. */
  widths?: Record<string, number>;
  onResize?: (key: string, width: number) => void;
  /** Keeps the table within the window's height so its header stays in view while scrolling. */
  bounded?: boolean;
  minWidth?: number;
  rowAttributes?: (row: T) => Record<string, string | undefined>;
  isSelected?: (row: T) => boolean;
  /** Rows are from before a change of filter and about to be replaced. */
  stale?: boolean;
  /** On narrow screens each row renders as this card instead of a table row. */
  renderCard?: (row: T) => ReactNode;
  testId?: string;
}

const DEFAULT_WIDTH = 160;
/** Below this width a table with cards shows cards: a phone held upright. */
const NARROW = '(max-width: 40em)';

function SortButton({
  label,
  direction,
  onClick,
  testId,
}: {
  label: string;
  direction?: 'asc' | 'desc';
  onClick: () => void;
  testId: string;
}) {
  const { t } = useI18n();
  const Icon = !direction ? IconArrowsSort : direction === 'desc' ? IconArrowDown : IconArrowUp;
  return (
    <UnstyledButton onClick={onClick} aria-label={t('table.sortBy', { column: label })} data-testid={testId}>
      <Group gap={4} wrap="nowrap">
        <Text size="sm" fw={700} truncate>
          {label}
        </Text>
        <Icon size={14} stroke={1.5} aria-hidden />
      </Group>
    </UnstyledButton>
  );
}

function TableSkeleton({ rows = 6 }: { rows?: number }) {
  const { t } = useI18n();
  return (
    <Stack gap="xs" role="status" aria-busy="true" aria-label={t('common.loading')} data-testid="loading">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={32} />
      ))}
    </Stack>
  );
}

/** Loads the next page when a marker at the end of the scroll box comes near view. */
function useEndReached(enabled: boolean, onReached: () => void) {
  const box = useRef<HTMLDivElement>(null);
  const marker = useRef<HTMLDivElement>(null);
  const latest = useRef(onReached);
  latest.current = onReached;
  useEffect(() => {
    const el = marker.current;
    if (!enabled || !el) return;
    // A bounded box scrolls itself; an unbounded one scrolls with the page.
    const root = box.current && box.current.scrollHeight > box.current.clientHeight ? box.current : null;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && latest.current(), {
      root,
      rootMargin: '400px 0px',
    });
    io.observe(el);
    return () => io.disconnect();
  }, [enabled]);
  return { box, marker };
}

/**
 * The one table of the app: sorting, loading/empty/error states, paging with totals, keyboard
 * navigation between rows (arrows, Home/End, Page keys, Enter opens the row's first link), and for
 * wide tables sticky header and columns, resizing, density and a card list on phones.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { t } = useI18n();
  const { dir } = useDirection();
  const narrow = useMediaQuery(NARROW) ?? false;
  const { columns, rows, rowKey, pagination, widths, onResize, stickyColumns = 0, density = 'comfortable' } = props;
  const [ownSort, setOwnSort] = useState<SortState | undefined>(props.defaultSort);
  const sort = props.onSortChange ? props.sort : ownSort;
  const changeSort = props.onSortChange ?? setOwnSort;
  const sortColumn = columns.find((c) => c.key === sort?.key);
  const shown = useMemo(
    () => (rows && !props.onSortChange ? sortRows(rows, sortColumn?.compare, sort?.desc ?? false) : (rows ?? [])),
    [rows, props.onSortChange, sortColumn, sort?.desc],
  );
  const [focusIndex, setFocusIndex] = useState(0);
  const body = useRef<HTMLTableSectionElement>(null);
  const autoLoad = !!pagination?.auto && pagination.hasMore && !pagination.loadingMore && !props.error;
  const { box, marker } = useEndReached(autoLoad, () => pagination?.onLoadMore());

  const resizable = !!onResize;
  const widthOf = (c: DataColumn<T>) => widths?.[c.key] ?? c.width ?? (resizable ? DEFAULT_WIDTH : undefined);
  const offsets: number[] = [];
  columns.slice(0, stickyColumns).reduce((at, c) => (offsets.push(at), at + (widthOf(c) ?? DEFAULT_WIDTH)), 0);
  const stickyStyle = (i: number): CSSProperties | undefined => (i < stickyColumns ? { insetInlineStart: offsets[i] } : undefined);
  const stickyLast = (i: number) => (i === stickyColumns - 1 ? '' : undefined);
  const cellClass = (base: string, i: number) => (i < stickyColumns ? `${base} ${classes.sticky}` : base);

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter') {
      e.currentTarget.querySelector<HTMLElement>('a[href], button')?.click();
      return;
    }
    const next = nextRowIndex(e.key, index, shown.length);
    if (next === null) return;
    e.preventDefault();
    setFocusIndex(next);
    body.current?.querySelectorAll<HTMLElement>(':scope > tr')[next]?.focus();
  };

  let content: ReactNode;
  if (rows === undefined && props.error) content = <ErrorState error={props.error} onRetry={props.onRetry} />;
  else if (rows === undefined) content = <TableSkeleton />;
  else if (shown.length === 0 && props.error) content = <ErrorState error={props.error} onRetry={props.onRetry} />;
  else if (shown.length === 0) content = props.empty;
  else if (narrow && props.renderCard) {
    content = (
      <ul className={classes.cards} aria-label={props.label} data-testid={props.testId && `${props.testId}-cards`}>
        {shown.map((row) => (
          <li key={rowKey(row)} {...props.rowAttributes?.(row)}>
            {props.renderCard!(row)}
          </li>
        ))}
      </ul>
    );
  } else {
    const total = resizable ? columns.reduce((sum, c) => sum + (widthOf(c) ?? DEFAULT_WIDTH), 0) : undefined;
    content = (
      <Table
        className={classes.table}
        data-fixed={resizable ? '' : undefined}
        style={{ width: total, minWidth: props.minWidth, '--table-dir': dir === 'rtl' ? -1 : 1 }}
        verticalSpacing={density === 'compact' ? 3 : 'xs'}
        horizontalSpacing={density === 'compact' ? 'xs' : 'sm'}
        fz={density === 'compact' ? 'xs' : 'sm'}
        highlightOnHover
        aria-label={props.label}
        aria-busy={props.stale || undefined}
        data-testid={props.testId}
        data-density={density}
      >
        {resizable && (
          <colgroup>
            {columns.map((c) => (
              <col key={c.key} style={{ width: widthOf(c) }} />
            ))}
          </colgroup>
        )}
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => {
              const active = sort?.key === c.key;
              const direction = active ? (sort.desc ? 'desc' : 'asc') : undefined;
              const sortable = !!c.compare || !!c.sortable;
              return (
                <Table.Th
                  key={c.key}
                  ta={c.align === 'end' ? 'end' : undefined}
                  w={resizable ? undefined : c.width}
                  aria-sort={sortable ? (direction === 'desc' ? 'descending' : direction === 'asc' ? 'ascending' : 'none') : undefined}
                  style={stickyStyle(i)}
                  data-column={c.key}
                  data-last={stickyLast(i)}
                  className={cellClass(classes.headerCell, i)}
                >
                  {c.header ? (
                    <>
                      {c.header}
                      <VisuallyHidden>{c.label}</VisuallyHidden>
                    </>
                  ) : c.hideLabel ? (
                    <VisuallyHidden>{c.label}</VisuallyHidden>
                  ) : sortable ? (
                    <SortButton
                      label={c.label}
                      direction={direction}
                      testId={`sort-${c.key}`}
                      onClick={() => changeSort(nextSort(sort, c.key, c.firstDesc))}
                    />
                  ) : (
                    c.label
                  )}
                  {resizable && !c.header && <ResizeHandle label={c.label} width={widthOf(c)!} onResize={(w) => onResize(c.key, w)} />}
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody ref={body} style={{ opacity: props.stale ? 0.6 : 1, transition: 'opacity 120ms' }}>
          {shown.map((row, index) => (
            <Table.Tr
              key={rowKey(row)}
              className={classes.row}
              tabIndex={index === Math.min(focusIndex, shown.length - 1) ? 0 : -1}
              onKeyDown={(e) => onRowKey(e, index)}
              onFocus={(e) => e.target === e.currentTarget && setFocusIndex(index)}
              data-selected={props.isSelected?.(row) ? '' : undefined}
              {...props.rowAttributes?.(row)}
            >
              {columns.map((c, i) => (
                <Table.Td
                  key={c.key}
                  ta={c.align === 'end' ? 'end' : undefined}
                  style={stickyStyle(i)}
                  data-last={stickyLast(i)}
                  className={cellClass(classes.cell, i)}
                >
                  {c.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );
  }

  const loaded = rows !== undefined && shown.length > 0;
  return (
    <Stack gap="sm">
      <div ref={box} className={classes.scroll} data-bounded={props.bounded && !narrow ? '' : undefined}>
        {content}
        <div ref={marker} />
      </div>
      {loaded && props.error !== undefined && props.error !== null && (
        <ErrorState error={props.error} onRetry={props.onRetry ?? pagination?.onLoadMore} />
      )}
      {loaded && pagination && (pagination.summary || pagination.hasMore) && (
        <Group justify="center" gap="md">
          {pagination.summary && (
            <Text size="xs" c="dimmed" data-testid={props.testId ? `${props.testId}-summary` : undefined}>
              {pagination.summary}
            </Text>
          )}
          {pagination.hasMore && (
            <Button variant="default" size="xs" onClick={pagination.onLoadMore} loading={pagination.loadingMore}>
              {t('common.loadMore')}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}
