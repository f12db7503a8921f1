import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Button, Card, Group, Menu, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDots, IconPencil, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { can, type LeadList } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { leadKeys, leadsApi } from '../api/leads';
import { confirmAction } from '../lib/confirm';
import { AnchorLink } from '../lib/links';
import { useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState, QueryState, pageItems } from '../shell/states';
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
    message: t('lists.delete.body', { name: list.name, count: formatNumber(list.leadCount) }),
    confirmLabel: t('lists.delete'),
    onConfirm: async () => {
      try {
        await leadsApi.deleteList(tenantId, list.id);
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
    queryKey: leadKeys.listsSearch(tenantId, debounced),
    queryFn: ({ pageParam }) => leadsApi.lists(tenantId, debounced || undefined, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
  const needle = debounced.toLocaleLowerCase();
  // The server filters by `q`; this also narrows the loaded page while typing.
  const matches = (l: LeadList) =>
    !needle || l.name.toLocaleLowerCase().includes(needle) || (l.description ?? '').toLocaleLowerCase().includes(needle);

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
        <QueryState
          query={lists}
          select={(d) => pageItems(d).filter(matches)}
          empty={<EmptyState message={debounced ? t('lists.noMatch') : t('lists.empty')} />}
        >
          {(items) => (
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="xs" highlightOnHover data-testid="lists-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('lists.col.name')}</Table.Th>
                    <Table.Th>{t('lists.col.description')}</Table.Th>
                    <Table.Th ta="end">{t('lists.col.leads')}</Table.Th>
                    <Table.Th>{t('lists.col.createdBy')}</Table.Th>
                    <Table.Th>{t('lists.col.updated')}</Table.Th>
                    <Table.Th w={50}>
                      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((l) => (
                    <Table.Tr key={l.id} data-testid="list-row" data-list-name={l.name} data-list-id={l.id}>
                      <Table.Td>
                        <AnchorLink to="/t/$tenantId/lists/$listId" params={{ tenantId, listId: l.id }} search={{}} fw={600} size="sm">
                          {l.name}
                        </AnchorLink>
                      </Table.Td>
                      <Table.Td maw={360}>
                        <Text size="sm" c="dimmed" lineClamp={2}>
                          {l.description ?? ''}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="end">
                        <Text size="sm" fw={600} data-testid="list-count">
                          {formatNumber(l.leadCount)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{l.createdBy?.name ?? '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(l.updatedAt)}</Text>
                      </Table.Td>
                      <Table.Td>
                        {canWrite && (
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
                                  deleteList(tenantId, l, t, formatNumber, () =>
                                    queryClient.invalidateQueries({ queryKey: leadKeys.lists(tenantId) }),
                                  )
                                }
                              >
                                {t('lists.delete')}
                              </Menu.Item>
                            </Menu.Dropdown>
                          </Menu>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
        {lists.hasNextPage && (
          <Group justify="center" mt="md">
            <Button variant="default" onClick={() => void lists.fetchNextPage()} loading={lists.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          </Group>
        )}
      </Card>
      <ListFormModal tenantId={tenantId} opened={createOpened} onClose={create.close} />
      <ListFormModal tenantId={tenantId} opened={editing !== null} onClose={() => setEditing(null)} list={editing} />
    </Stack>
  );
}
