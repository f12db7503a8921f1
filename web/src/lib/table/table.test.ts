import { describe, expect, it } from 'vitest';
import { nextRowIndex } from './keyboard';
import { infiniteTableProps } from './query';
import { byText, byTime, nextSort, sortRows } from './sort';

describe('moving between rows with the keyboard', () => {
  it.each([
    ['ArrowDown', 3, 4],
    ['ArrowUp', 3, 2],
    ['Home', 3, 0],
    ['End', 3, 9],
    ['PageDown', 3, 9],
    ['PageUp', 3, 0],
  ])('%s from row %i of ten goes to row %i', (key, from, to) => {
    expect(nextRowIndex(key, from, 10, 10)).toBe(to);
  });

  it('stops at the first and the last row', () => {
    expect(nextRowIndex('ArrowUp', 0, 10)).toBe(0);
    expect(nextRowIndex('ArrowDown', 9, 10)).toBe(9);
  });

  it('ignores other keys and empty tables', () => {
    expect(nextRowIndex('a', 2, 10)).toBeNull();
    expect(nextRowIndex('Tab', 2, 10)).toBeNull();
    expect(nextRowIndex('ArrowDown', 0, 0)).toBeNull();
  });
});

describe('sorting', () => {
  it('flips the active column and starts another in its own first direction', () => {
    expect(nextSort(undefined, 'name')).toEqual({ key: 'name', desc: false });
    expect(nextSort({ key: 'name', desc: false }, 'name')).toEqual({ key: 'name', desc: true });
    expect(nextSort({ key: 'name', desc: true }, 'joined', true)).toEqual({ key: 'joined', desc: true });
  });

  const people = [
    { name: 'émile', joined: '2026-03-01T00:00:00Z' },
    { name: 'Zed', joined: null },
    { name: 'adam', joined: '2026-01-01T00:00:00Z' },
    { name: 'Adam', joined: '2026-02-01T00:00:00Z' },
  ];

  it('orders text ignoring letter case and accents, keeping equal rows in their order', () => {
    expect(
      sortRows(
        people,
        byText((p) => p.name),
        false,
      ).map((p) => p.name),
    ).toEqual(['adam', 'Adam', 'émile', 'Zed']);
    expect(
      sortRows(
        people,
        byText((p) => p.name),
        true,
      ).map((p) => p.name),
    ).toEqual(['Zed', 'émile', 'adam', 'Adam']);
  });

  it('orders times with missing ones first, and leaves the input as it was', () => {
    const before = people.map((p) => p.name);
    expect(
      sortRows(
        people,
        byTime((p) => p.joined),
        false,
      ).map((p) => p.name),
    ).toEqual(['Zed', 'adam', 'Adam', 'émile']);
    expect(people.map((p) => p.name)).toEqual(before);
  });

  it('keeps the given order without a comparison', () => {
    expect(sortRows(people, undefined, true)).toEqual(people);
  });
});

describe('a paged query as table props', () => {
  const query = (pages: number[][], more: boolean, error?: Error) => {
    const calls = { next: 0, refetch: 0 };
    // As the server answers: the first page carries the total, later pages null.
    const total = (i: number) => (i === 0 ? { count: 7, exact: true } : null);
    const props = infiniteTableProps(
      {
        data: { pages: pages.map((items, i) => ({ items, total: total(i) })) },
        isError: !!error,
        error: error ?? null,
        hasNextPage: more,
        isFetchingNextPage: false,
        fetchNextPage: () => Promise.resolve(calls.next++),
        refetch: () => Promise.resolve(calls.refetch++),
      },
      (loaded, hasMore, total) => `${loaded}${hasMore ? '+' : ''} of ${total?.count}`,
    );
    return { props, calls };
  };

  it('shows every loaded page in order and says whether more can be loaded', () => {
    const { props, calls } = query([[1, 2], [3]], true);
    expect(props.rows).toEqual([1, 2, 3]);
    expect(props.pagination.summary).toBe('3+ of 7');
    expect(props.error).toBeUndefined();
    props.pagination.onLoadMore();
    expect(calls.next).toBe(1);
  });

  it('says all rows are shown at the end, and offers a retry on error', () => {
    const failure = new Error('down');
    const { props, calls } = query([[1]], false, failure);
    expect(props.pagination.summary).toBe('1 of 7');
    expect(props.error).toBe(failure);
    props.onRetry();
    expect(calls.refetch).toBe(1);
  });
});
