import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconFileImport, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { leadStatuses, type Lead, type LeadSort, type LeadStatus } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { leadKeys, leadsApi } from '../api/leads';
import { AnchorLink, ButtonLink } from '../lib/links';
import { useI18n } from '../i18n';
import { EmptyState, ErrorState } from '../shell/states';
import { BulkBar } from './BulkBar';
import { LeadFilters } from './LeadFilters';
import { patchLeadInCache, statusColor, statusLabel, useLeadPages, useListOptions, useMemberOptions } from './hooks';
import { activeFilterCount, DEFAULT_SORT, toFilterParams, type LeadSearch } from './search';

type SortColumn = 'name' | 'score' | 'createdAt';
const sortDefaults: Record<SortColumn, LeadSort> = { name: 'name', score: '-score', createdAt: '-createdAt' };

function SortHeader({ column, label, sort, onSort }: { column: SortColumn; label: string; sort: LeadSort; onSort: (s: LeadSort) => void }) {
  const { t } = useI18n();
  const active = sort === column || sort === `-${column}`;
  const desc = sort.startsWith('-');
  const next: LeadSort = active ? ((desc ? column : `-${column}`) as LeadSort) : sortDefaults[column];
  const Icon = !active ? IconArrowsSort : desc ? IconArrowDown : IconArrowUp;
  return (
    <Table.Th aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'} style={{ whiteSpace: 'nowrap' }}>
      <UnstyledButton onClick={() => onSort(next)} aria-label={t('leads.col.sortBy', { column: label })} data-testid={`sort-${column}`}>
        <Group gap={4} wrap="nowrap">
          <Text size="sm" fw={700}>
            {label}
          </Text>
          <Icon size={14} stroke={1.5} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

interface RowProps {
  lead: Lead;
  tenantId: string;
  selected: boolean;
  canWrite: boolean;
  onToggle: (id: string, checked: boolean) => void;
  onStatus: (lead: Lead, status: LeadStatus) => void;
  formatDate: (v: string) => string;
}

const LeadRow = memo(function LeadRow({ lead, tenantId, selected, canWrite, onToggle, onStatus, formatDate }: RowProps) {
  const { t } = useI18n();
  const site = lead.domain ?? lead.website;
  return (
    <Table.Tr
      data-testid="lead-row"
      data-lead-name={lead.name}
      data-lead-id={lead.id}
      bg={selected ? 'var(--mantine-color-blue-light)' : undefined}
    >
      <Table.Td>
        <Checkbox
          aria-label={t('leads.selectRow', { name: lead.name })}
          checked={selected}
          onChange={(e) => onToggle(lead.id, e.currentTarget.checked)}
        />
      </Table.Td>
      <Table.Td maw={260}>
        <AnchorLink to="/t/$tenantId/leads/$leadId" params={{ tenantId, leadId: lead.id }} size="sm" fw={600} lineClamp={2}>
          {lead.name}
        </AnchorLink>
      </Table.Td>
      <Table.Td>
        <Text size="sm" lineClamp={1}>
          {lead.category ?? ''}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{lead.city ?? ''}</Text>
      </Table.Td>
      <Table.Td>
        {/* The cell keeps the column's alignment; the inner span keeps the number's own order. */}
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          <span dir="ltr">{lead.phone ?? ''}</span>
        </Text>
      </Table.Td>
      <Table.Td maw={220}>
        <Text size="sm" truncate>
          <span dir="ltr">{lead.email ?? ''}</span>
        </Text>
      </Table.Td>
      <Table.Td maw={200}>
        {site && lead.website ? (
          <Anchor href={lead.website} target="_blank" rel="noopener noreferrer" size="sm" dir="ltr" style={{ overflowWrap: 'anywhere' }}>
            {site}
          </Anchor>
        ) : (
          <Text size="sm">{site ?? ''}</Text>
        )}
      </Table.Td>
      <Table.Td>
        {canWrite ? (
          <NativeSelect
            size="xs"
            aria-label={t('leads.statusOf', { name: lead.name })}
            value={lead.status}
            onChange={(e) => onStatus(lead, e.currentTarget.value as LeadStatus)}
            data={leadStatuses.map((s) => ({ value: s, label: statusLabel(s) }))}
            data-testid="lead-status"
            w={124}
          />
        ) : (
          <Badge color={statusColor[lead.status]} variant="light">
            {statusLabel(lead.status)}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600}>
          {lead.score}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={lead.owner ? undefined : 'dimmed'}>
          {lead.owner?.name ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td maw={200}>
        <Group gap={4}>
          {lead.tags.slice(0, 3).map((tag) => (
            <Badge key={tag} size="xs" variant="outline" color="gray">
              {tag}
            </Badge>
          ))}
          {lead.tags.length > 3 && (
            <Text size="xs" c="dimmed">
              +{lead.tags.length - 3}
            </Text>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatDate(lead.createdAt)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
});

function TableSkeleton() {
  const { t } = useI18n();
  return (
    <Stack gap="xs" aria-busy="true" aria-label={t('common.loading')} data-testid="loading">
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} height={34} />
      ))}
    </Stack>
  );
}

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
        return leadsApi.listLeads(tenantId, fixedListId, rest, sort, cursor, signal);
      }
      return leadsApi.list(tenantId, filter, sort, cursor, signal);
    },
    [tenantId, fixedListId, filter, sort],
  );
  const pages = useLeadPages(tenantId, fixedListId ? `list:${fixedListId}` : 'all', filter, sort, fetchPage);
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

  // Infinite scroll: load the next page when the sentinel under the table comes into view.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: '600px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const filtered = activeFilterCount(search, !!fixedList) > 0;
  const allLoadedSelected = leads.length > 0 && leads.every((l) => selected.has(l.id));
  const someSelected = selected.size > 0 && !allLoadedSelected;
  const selectedLeads = useMemo(() => leads.filter((l) => selected.has(l.id)), [leads, selected]);
  const showBulk = canWrite && (selected.size > 0 || allMatching);
  const onSort = (s: LeadSort) => onSearchChange({ sort: s === DEFAULT_SORT ? undefined : s });

  let body: React.ReactNode;
  if (pages.isPending) body = <TableSkeleton />;
  else if (pages.isError && leads.length === 0) body = <ErrorState error={pages.error} onRetry={() => void pages.refetch()} />;
  else if (leads.length === 0) {
    body = filtered ? (
      <EmptyState message={t('leads.noMatch')} />
    ) : fixedList ? (
      <EmptyState message={t('leads.empty.list')}>
        <ButtonLink to="/t/$tenantId/leads" params={{ tenantId }} search={{}} variant="light">
          {t('shell.nav.leads')}
        </ButtonLink>
      </EmptyState>
    ) : (
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
  } else {
    body = (
      <Table.ScrollContainer minWidth={1200}>
        <Table verticalSpacing={6} highlightOnHover data-testid="leads-table" aria-busy={pages.isFetching}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>
                <Checkbox
                  aria-label={t('leads.selectPage')}
                  checked={allLoadedSelected || allMatching}
                  indeterminate={someSelected && !allMatching}
                  onChange={(e) => {
                    setAllMatching(false);
                    setSelected(e.currentTarget.checked ? new Set(leads.map((l) => l.id)) : new Set());
                  }}
                />
              </Table.Th>
              <SortHeader column="name" label={t('lead.field.name')} sort={sort} onSort={onSort} />
              <Table.Th>{t('lead.field.category')}</Table.Th>
              <Table.Th>{t('lead.field.city')}</Table.Th>
              <Table.Th>{t('lead.field.phone')}</Table.Th>
              <Table.Th>{t('lead.field.email')}</Table.Th>
              <Table.Th>{t('lead.field.website')}</Table.Th>
              <Table.Th>{t('lead.field.status')}</Table.Th>
              <SortHeader column="score" label={t('lead.field.score')} sort={sort} onSort={onSort} />
              <Table.Th>{t('lead.field.owner')}</Table.Th>
              <Table.Th>{t('lead.field.tags')}</Table.Th>
              <SortHeader column="createdAt" label={t('lead.field.created')} sort={sort} onSort={onSort} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody style={{ opacity: pages.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}>
            {leads.map((lead) => (
              <LeadRow
                key={lead.id}
                lead={lead}
                tenantId={tenantId}
                selected={allMatching || selected.has(lead.id)}
                canWrite={canWrite}
                onToggle={onToggle}
                onStatus={onStatus}
                formatDate={formatDate}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

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
          hasMore={!!pages.hasNextPage}
          onSelectAllMatching={() => setAllMatching(true)}
          onClear={() => {
            setSelected(new Set());
            setAllMatching(false);
          }}
        />
      )}
      <Card withBorder padding="sm" radius="md">
        {body}
        {pages.isError && leads.length > 0 && <ErrorState error={pages.error} onRetry={() => void pages.fetchNextPage()} />}
        <div ref={sentinel} />
        {leads.length > 0 && (
          <Group justify="center" mt="sm" gap="md">
            <Text size="xs" c="dimmed" data-testid="leads-count">
              {pages.hasNextPage
                ? t('leads.loadedMore', { loaded: formatNumber(leads.length) })
                : t('leads.end', { loaded: formatNumber(leads.length) })}
            </Text>
            {pages.hasNextPage && (
              <Button variant="default" size="xs" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
                {t('common.loadMore')}
              </Button>
            )}
          </Group>
        )}
      </Card>
    </Stack>
  );
}
