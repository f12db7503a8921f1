import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Button, Card, Menu, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDots, IconPencil, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { can, type LeadList } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { listsApi, listKeys } from '../api/lists';
import { confirmAction } from '../lib/confirm';
import { AnchorLink } from '../lib/links';
import { DataTable, type DataColumn } from '../lib/table/DataTable';
import { infiniteTableProps, useShownSummary } from '../lib/table/query';
import { byText, byTime } from '../lib/table/sort';
import { useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { ListFormModal } from './ListFormModal';

export function deleteList(
  tenantId: string,
  list: LeadList,
  t: ReturnType<typeof useI18n>['t'],
  formatNumber: (n: number) => string,
  after: () => Promise<unknown> | void,
) {
  confirmAction({
    title: t('lists.delete.title'),
    message: t('lists.delete.body', { name: list.name, count: list.leadCount }),
    confirmLabel: t('lists.delete'),
    onConfirm: async () => {
      try {
        await listsApi.deleteList(tenantId, list.id);
        notifications.show({ color: 'green', message: t('lists.deleted', { name: list.name }) });
        await after();
      } catch (e) {
        notifications.show({ color: 'red', message: errorMessage(e) });
      }
    },
  });
}

export function ListsPage() {
  const { t, formatNumber, formatDate } = useI18n();
  const summary = useShownSummary();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const canWrite = can(membership.role, 'data.write');
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setDebounced(q.trim()), 300);
    return () => clearTimeout(id);
  }, [q]);
  const [createOpened, create] = useDisclosure(false);
  const [editing, setEditing] = useState<LeadList | null>(null);

  const lists = useInfiniteQuery({
    queryKey: listKeys.listsSearch(tenantId, debounced),
    queryFn: ({ pageParam }) => listsApi.lists(tenantId, debounced || undefined, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
  const needle = debounced.toLocaleLowerCase();
  // The server filters by `q`; this also narrows the loaded page while typing.
  const matches = (l: LeadList) =>
    !needle || l.name.toLocaleLowerCase().includes(needle) || (l.description ?? '').toLocaleLowerCase().includes(needle);

  const table = infiniteTableProps(lists, summary);
  const columns: DataColumn<LeadList>[] = [
    {
      key: 'name',
      label: t('lists.col.name'),
      compare: byText((l) => l.name),
      cell: (l) => (
        <AnchorLink to="/t/$tenantId/lists/$listId" params={{ tenantId, listId: l.id }} search={{}} fw={600} size="sm">
          {l.name}
        </AnchorLink>
      ),
    },
    {
      key: 'description',
      label: t('lists.col.description'),
      cell: (l) => (
        <Text size="sm" c="dimmed" lineClamp={2} maw={360}>
          {l.description ?? ''}
        </Text>
      ),
    },
    {
      key: 'leads',
      label: t('lists.col.leads'),
      align: 'end',
      compare: (a, b) => a.leadCount - b.leadCount,
      firstDesc: true,
      cell: (l) => (
        <Text size="sm" fw={600} data-testid="list-count">
          {formatNumber(l.leadCount)}
        </Text>
      ),
    },
    { key: 'createdBy', label: t('lists.col.createdBy'), compare: byText((l) => l.createdBy?.name), cell: (l) => l.createdBy?.name ?? '—' },
    {
      key: 'updated',
      label: t('lists.col.updated'),
      compare: byTime((l) => l.updatedAt),
      firstDesc: true,
      cell: (l) => formatDate(l.updatedAt),
    },
    {
      key: 'actions',
      label: t('common.actions'),
      hideLabel: true,
      width: 50,
      cell: (l) =>
        canWrite && (
          <Menu position="bottom-end" shadow="md">
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={`${t('common.actions')}: ${l.name}`}>
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setEditing(l)}>
                {t('lists.edit')}
              </Menu.Item>
              <Menu.Item
                color="red"
                leftSection={<IconTrash size={14} />}
                onClick={() =>
                  deleteList(tenantId, l, t, formatNumber, () => queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) }))
                }
              >
                {t('lists.delete')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        ),
    },
  ];

  return (
    <Stack gap="md" data-testid="lists-page">
      <PageHeader
        title={t('lists.title')}
        subtitle={t('lists.subtitle')}
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
              {t('lists.new')}
            </Button>
          )
        }
      />
      {!canWrite && <Alert color="blue">{t('leads.readOnly')}</Alert>}
      <TextInput
        label={t('lists.search')}
        leftSection={<IconSearch size={16} />}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        type="search"
        maw={360}
      />
      <Card withBorder padding="sm" radius="md">
        <DataTable
          label={t('lists.title')}
          columns={columns}
          rowKey={(l) => l.id}
          {...table}
          rows={table.rows?.filter(matches)}
          empty={<EmptyState message={debounced ? t('lists.noMatch') : t('lists.empty')} />}
          rowAttributes={(l) => ({ 'data-testid': 'list-row', 'data-list-name': l.name, 'data-list-id': l.id })}
          minWidth={720}
          testId="lists-table"
        />
      </Card>
      <ListFormModal tenantId={tenantId} opened={createOpened} onClose={create.close} />
      <ListFormModal tenantId={tenantId} opened={editing !== null} onClose={() => setEditing(null)} list={editing} />
    </Stack>
  );
}
