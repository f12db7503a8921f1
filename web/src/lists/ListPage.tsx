import { Button, Center, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDownload, IconFileImport, IconPencil, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { can } from '@optarget/shared';
import { isApiError } from '../api/client';
import { listsApi, listKeys } from '../api/lists';
import { leadsApi } from '../api/leads';
import { BackArrow } from '../lib/BackArrow';
import { AnchorLink, ButtonLink } from '../lib/links';
import { useI18n } from '../i18n';
import { ErrorState, PageLoader } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { LeadsTable } from '../leads/LeadsTable';
import { activeFilterCount, toFilterParams, validateLeadSearch, type LeadSearch } from '../leads/search';
import { ListFormModal } from './ListFormModal';
import { ReportsSection } from '../reports/ReportsSection';
import { deleteList } from './ListsPage';

export function ListPage() {
  const { t, formatNumber } = useI18n();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const canWrite = can(membership.role, 'data.write');
  const canExport = can(membership.role, 'data.export');
  const { listId } = useParams({ from: '/_app/t/$tenantId/lists/$listId' });
  const search = useSearch({ from: '/_app/t/$tenantId/lists/$listId' });
  const navigate = useNavigate({ from: '/t/$tenantId/lists/$listId' });
  const queryClient = useQueryClient();
  const [editOpened, edit] = useDisclosure(false);
  const list = useQuery({ queryKey: listKeys.list(tenantId, listId), queryFn: () => listsApi.getList(tenantId, listId) });

  const onSearchChange = (patch: Partial<LeadSearch>) =>
    void navigate({ search: (prev) => validateLeadSearch({ ...prev, ...patch, listId: undefined }), replace: true });

  if (list.isPending) return <PageLoader rows={6} />;
  if (list.isError) {
    if (isApiError(list.error, 404) || isApiError(list.error, 400)) {
      return (
        <Center mih="50vh">
          <Stack align="center" gap="sm" data-testid="list-not-found">
            <Title order={1} size="h2">
              {t('notFound.title')}
            </Title>
            <Text c="dimmed">{t('lists.notFound')}</Text>
            <ButtonLink to="/t/$tenantId/lists" params={{ tenantId }}>
              {t('lists.back')}
            </ButtonLink>
          </Stack>
        </Center>
      );
    }
    return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  }
  const l = list.data;
  const filtered = activeFilterCount(search, true) > 0;
  const exportHref = filtered ? leadsApi.exportUrl(tenantId, toFilterParams(search, listId)) : listsApi.listExportUrl(tenantId, listId);

  return (
    <Stack gap="md" data-testid="list-page" data-list-id={l.id}>
      <AnchorLink to="/t/$tenantId/lists" params={{ tenantId }} size="sm">
        <Group gap={4}>
          <BackArrow size={14} />
          {t('lists.back')}
        </Group>
      </AnchorLink>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2}>
          <Title order={1} size="h2" data-testid="list-name">
            {l.name}
          </Title>
          {l.description && (
            <Text c="dimmed" size="sm" maw={640}>
              {l.description}
            </Text>
          )}
          <Text size="sm" fw={600} data-testid="list-lead-count">
            {t('lists.count', { count: l.leadCount })}
          </Text>
        </Stack>
        <Group gap="sm">
          {canExport && (
            <Button component="a" href={exportHref} download variant="default" leftSection={<IconDownload size={16} />}>
              {t('leads.export')}
            </Button>
          )}
          {canWrite && (
            <>
              <ButtonLink
                to="/t/$tenantId/leads/import"
                params={{ tenantId }}
                search={{ listId }}
                variant="default"
                leftSection={<IconFileImport size={16} />}
              >
                {t('leads.import')}
              </ButtonLink>
              <Button variant="default" leftSection={<IconPencil size={16} />} onClick={edit.open}>
                {t('lists.edit')}
              </Button>
              <Button
                variant="light"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={() =>
                  deleteList(tenantId, l, t, formatNumber, async () => {
                    await queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) });
                    await navigate({ to: '/t/$tenantId/lists', params: { tenantId } });
                  })
                }
              >
                {t('lists.delete')}
              </Button>
            </>
          )}
        </Group>
      </Group>
      <LeadsTable
        tenantId={tenantId}
        search={search}
        onSearchChange={onSearchChange}
        canWrite={canWrite}
        fixedList={{ id: l.id, name: l.name }}
      />
      <ReportsSection tenantId={tenantId} target={{ listId: l.id }} canWrite={canWrite && l.leadCount > 0} leadCount={l.leadCount} />
      <ListFormModal tenantId={tenantId} opened={editOpened} onClose={edit.close} list={l} />
    </Stack>
  );
}
