import { useCallback, useEffect, useState } from 'react';
import { leadColumns, type LeadColumn, type LeadViewLayout, type TableDensity } from '@optarget/shared';

/** How the lead table looks for this person in this tenant: which columns, how wide, how dense. */
export interface LeadTableLayout {
  columns: LeadColumn[];
  widths: Partial<Record<LeadColumn, number>>;
  density: TableDensity;
}

export const defaultWidths: Record<LeadColumn, number> = {
  name: 240,
  category: 160,
  city: 130,
  phone: 150,
  email: 200,
  website: 180,
  status: 140,
  score: 80,
  owner: 140,
  tags: 160,
  createdAt: 120,
};

const defaultLayout: LeadTableLayout = { columns: [...leadColumns], widths: {}, density: 'compact' };

/** The name column is always shown and always first: it is the row's link and stays in view while scrolling sideways. */
const normalise = (columns: readonly LeadColumn[]): LeadColumn[] => [
  'name',
  ...leadColumns.filter((c) => c !== 'name' && columns.includes(c)),
];

const storageKey = (tenantId: string) => `optarget.leadTable.${tenantId}`;

function load(tenantId: string): LeadTableLayout {
  try {
    const raw = JSON.parse(localStorage.getItem(storageKey(tenantId)) ?? 'null') as Partial<LeadTableLayout> | null;
    if (!raw || !Array.isArray(raw.columns)) return defaultLayout;
    return {
      columns: normalise(raw.columns.filter((c): c is LeadColumn => (leadColumns as readonly string[]).includes(c))),
      widths: typeof raw.widths === 'object' && raw.widths ? raw.widths : {},
      density: raw.density === 'comfortable' ? 'comfortable' : 'compact',
    };
  } catch {
    return defaultLayout;
  }
}

/** The current layout, kept in this browser between visits; saved views keep named layouts on the server. */
export function useLeadTableLayout(tenantId: string) {
  const [state, setState] = useState(() => ({ tenantId, layout: load(tenantId) }));
  // Another tenant's page has that tenant's own layout.
  if (state.tenantId !== tenantId) setState({ tenantId, layout: load(tenantId) });
  useEffect(() => {
    try {
      localStorage.setItem(storageKey(state.tenantId), JSON.stringify(state.layout));
    } catch {
      /* storage unavailable: the layout lasts for this visit */
    }
  }, [state]);
  const setLayout = useCallback(
    (change: LeadTableLayout | ((l: LeadTableLayout) => LeadTableLayout)) =>
      setState((s) => ({ ...s, layout: typeof change === 'function' ? change(s.layout) : change })),
    [],
  );
  const layout = state.layout;
  const toggleColumn = useCallback(
    (column: LeadColumn, shown: boolean) =>
      setLayout((l) => ({ ...l, columns: normalise(shown ? [...l.columns, column] : l.columns.filter((c) => c !== column)) })),
    [setLayout],
  );
  const resize = useCallback(
    (column: LeadColumn, width: number) => setLayout((l) => ({ ...l, widths: { ...l.widths, [column]: width } })),
    [setLayout],
  );
  const setDensity = useCallback((density: TableDensity) => setLayout((l) => ({ ...l, density })), [setLayout]);
  const apply = useCallback(
    (view: Pick<LeadViewLayout, 'columns' | 'widths' | 'density'>) =>
      setLayout({ columns: normalise(view.columns), widths: view.widths, density: view.density }),
    [setLayout],
  );
  const reset = useCallback(() => setLayout(defaultLayout), [setLayout]);
  return { layout, toggleColumn, resize, setDensity, apply, reset };
}
