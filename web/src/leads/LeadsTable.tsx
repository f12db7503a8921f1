import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileImport, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import {
  leadColumns,
  type Lead,
  type LeadColumn,
  type LeadSort,
  type LeadStatus,
  type LeadView,
  type LeadViewLayout,
} from '@optarget/shared';
import { errorMessage } from '../api/client';
import { listsApi } from '../api/lists';
import { leadKeys, leadsApi } from '../api/leads';
import { ButtonLink } from '../lib/links';
import { DataTable } from '../lib/table/DataTable';
import { useI18n } from '../i18n';
import { EmptyState } from '../shell/states';
import { BulkBar } from './BulkBar';
import { leadTableColumns, selectColumn, type LeadCellContext } from './columns';
import { LeadCard } from './LeadCard';
import { LeadFilters } from './LeadFilters';
import { formatLeadCount, patchLeadInCache, statusLabel, useLeadCount, useLeadPages, useListOptions, useMemberOptions } from './hooks';
import { defaultWidths, useLeadTableLayout } from './layout';
import { SavedViews } from './SavedViews';
import { activeFilterCount, DEFAULT_SORT, filterKeys, toFilterParams, validateLeadSearch, type LeadSearch } from './search';
import { ColumnChooser, DensityToggle } from './TableControls';

export function LeadsTable({
  tenantId,
  search,
  onSearchChange,
  canWrite,
  fixedList,
  onNewLead,
}: {
  tenantId: string;
  search: LeadSearch;
  onSearchChange: (patch: Partial<LeadSearch>) => void;
  canWrite: boolean;
  fixedList?: { id: string; name: string };
  onNewLead?: () => void;
}) {
  const { t, formatDate, formatNumber } = useI18n();
  const queryClient = useQueryClient();
  const sort = search.sort ?? DEFAULT_SORT;
  const filterJson = JSON.stringify(toFilterParams(search, fixedList?.id));
  const filter = useMemo(() => JSON.parse(filterJson) as Record<string, string>, [filterJson]);
  const fixedListId = fixedList?.id;
  const fetchPage = useCallback(
    (cursor: string | undefined, signal: AbortSignal) => {
      if (fixedListId) {
        const rest = { ...filter };
        delete rest.listId;
        return listsApi.listLeads(tenantId, fixedListId, rest, sort, cursor, signal);
      }
      return leadsApi.list(tenantId, filter, sort, cursor, signal);
    },
    [tenantId, fixedListId, filter, sort],
  );
  const pages = useLeadPages(tenantId, fixedListId ? `list:${fixedListId}` : 'all', filter, sort, fetchPage);
  const total = useLeadCount(tenantId, filter);
  const totalText = formatLeadCount(total.data, formatNumber);
  const leads = useMemo(() => pages.data?.pages.flatMap((p) => p.items) ?? [], [pages.data]);
  const lists = useListOptions(tenantId);
  const members = useMemberOptions(tenantId);

  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [allMatching, setAllMatching] = useState(false);
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [filterJson]);

  const onToggle = useCallback((id: string, checked: boolean) => {
    setAllMatching(false);
    setSelected((prev) => {
      const next = new Set(prev);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const onStatus = useCallback(
    async (lead: Lead, status: LeadStatus) => {
      const snapshot = queryClient.getQueriesData({ queryKey: leadKeys.all(tenantId) });
      patchLeadInCache(queryClient, tenantId, lead.id, (l) => ({ ...l, status }));
      try {
        const saved = await leadsApi.update(tenantId, lead.id, { status });
        patchLeadInCache(queryClient, tenantId, lead.id, () => saved);
        notifications.show({ color: 'green', message: t('leads.statusSaved', { name: lead.name, status: statusLabel(status) }) });
        void queryClient.invalidateQueries({ queryKey: leadKeys.dashboard(tenantId) });
        void queryClient.invalidateQueries({ queryKey: leadKeys.activity(tenantId, lead.id) });
      } catch (e) {
        for (const [key, data] of snapshot) queryClient.setQueryData(key, data);
        notifications.show({ color: 'red', message: errorMessage(e) });
      }
    },
    [queryClient, tenantId, t],
  );

  const filtered = activeFilterCount(search, !!fixedList) > 0;
  const allLoadedSelected = leads.length > 0 && leads.every((l) => selected.has(l.id));
  const someSelected = selected.size > 0 && !allLoadedSelected;
  const selectedLeads = useMemo(() => leads.filter((l) => selected.has(l.id)), [leads, selected]);
  const showBulk = canWrite && (selected.size > 0 || allMatching);
  const onSort = (s: LeadSort) => onSearchChange({ sort: s === DEFAULT_SORT ? undefined : s });
  const { layout, toggleColumn, resize, setDensity, apply, reset } = useLeadTableLayout(tenantId);
  const ctx: LeadCellContext = { t, tenantId, canWrite, formatDate, formatNumber, onStatus: (l, s) => void onStatus(l, s) };
  const isChecked = (l: Lead) => allMatching || selected.has(l.id);
  const columns = [
    selectColumn({
      t,
      allChecked: allLoadedSelected || allMatching,
      someChecked: someSelected && !allMatching,
      onAll: (checked) => {
        setAllMatching(false);
        setSelected(checked ? new Set(leads.map((l) => l.id)) : new Set());
      },
      isChecked,
      onToggle,
    }),
    ...leadTableColumns(layout.columns, ctx),
  ];
  const labels = Object.fromEntries(leadColumns.map((c) => [c, leadTableColumns([c], ctx)[0].label])) as Record<LeadColumn, string>;
  const currentView = (): LeadViewLayout => ({
    filter: filter,
    sort,
    columns: layout.columns,
    widths: layout.widths,
    density: layout.density,
  });
  const openView = (view: LeadView) => {
    apply(view.layout);
    const cleared = Object.fromEntries(filterKeys.map((k) => [k, undefined]));
    onSearchChange({ ...cleared, ...validateLeadSearch({ ...view.layout.filter, sort: view.layout.sort }) });
  };

  let empty: React.ReactNode;
  if (filtered) empty = <EmptyState message={t('leads.noMatch')} />;
  else if (fixedList)
    empty = (
      <EmptyState message={t('leads.empty.list')}>
        <ButtonLink to="/t/$tenantId/leads" params={{ tenantId }} search={{}} variant="light">
          {t('shell.nav.leads')}
        </ButtonLink>
      </EmptyState>
    );
  else
    empty = (
      <Stack align="center" gap="sm" py="xl" data-testid="leads-empty">
        <Title order={2} size="h3">
          {t('leads.empty.title')}
        </Title>
        <Text c="dimmed" ta="center" maw={520}>
          {t('leads.empty.body')}
        </Text>
        {canWrite && (
          <Group>
            {onNewLead && (
              <Button leftSection={<IconPlus size={16} />} onClick={onNewLead}>
                {t('leads.empty.create')}
              </Button>
            )}
            <ButtonLink to="/t/$tenantId/leads/import" params={{ tenantId }} variant="light" leftSection={<IconFileImport size={16} />}>
              {t('leads.empty.import')}
            </ButtonLink>
          </Group>
        )}
      </Stack>
    );

  return (
    <Stack gap="sm">
      <LeadFilters
        search={search}
        onChange={onSearchChange}
        listOptions={lists.options}
        memberOptions={members.options}
        hideList={!!fixedList}
      />
      {showBulk && (
        <BulkBar
          tenantId={tenantId}
          selectedIds={[...selected]}
          selectedLeads={selectedLeads}
          allMatching={allMatching}
          filter={filter}
          fixedList={fixedList}
          listOptions={lists.options}
          memberOptions={members.options}
          loadedCount={leads.length}
          matchingText={totalText}
          hasMore={!!pages.hasNextPage}
          onSelectAllMatching={() => setAllMatching(true)}
          onClear={() => {
            setSelected(new Set());
            setAllMatching(false);
          }}
        />
      )}
      <Card withBorder padding="sm" radius="md">
        <Group justify="space-between" mb="xs" gap="xs">
          <Group gap="xs">
            {!fixedList && <SavedViews tenantId={tenantId} current={currentView} onOpen={openView} canShare={canWrite} />}
          </Group>
          <Group gap="xs" visibleFrom="xs">
            <ColumnChooser shown={layout.columns} labels={labels} onToggle={toggleColumn} onReset={reset} />
            <DensityToggle value={layout.density} onChange={setDensity} />
          </Group>
        </Group>
        <DataTable
          label={fixedList ? fixedList.name : t('leads.title')}
          columns={columns}
          rows={pages.data ? leads : undefined}
          rowKey={(l) => l.id}
          error={pages.isError ? pages.error : undefined}
          onRetry={() => void (leads.length > 0 ? pages.fetchNextPage() : pages.refetch())}
          empty={empty}
          sort={{ key: sort.replace(/^-/, ''), desc: sort.startsWith('-') }}
          onSortChange={(s) => onSort(`${s.desc ? '-' : ''}${s.key}` as LeadSort)}
          pagination={{
            hasMore: !!pages.hasNextPage,
            loadingMore: pages.isFetchingNextPage,
            onLoadMore: () => void pages.fetchNextPage(),
            auto: true,
            summary: pages.hasNextPage
              ? t('leads.loadedOf', { loaded: formatNumber(leads.length), total: totalText })
              : t('leads.end', { loaded: formatNumber(leads.length) }),
          }}
          density={layout.density}
          stickyColumns={2}
          widths={{ ...defaultWidths, ...layout.widths }}
          onResize={(key, width) => resize(key as LeadColumn, width)}
          bounded
          isSelected={isChecked}
          rowAttributes={(l) => ({ 'data-testid': 'lead-row', 'data-lead-name': l.name, 'data-lead-id': l.id })}
          stale={pages.isPlaceholderData}
          renderCard={(l) => <LeadCard lead={l} ctx={ctx} selected={isChecked(l)} onToggle={canWrite ? onToggle : undefined} />}
          testId="leads-table"
        />
      </Card>
    </Stack>
  );
}
