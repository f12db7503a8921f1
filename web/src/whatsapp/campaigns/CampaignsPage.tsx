import { useState } from 'react';
import { Badge, Button, Card, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { can, type WhatsappCampaign } from '@optarget/shared';
import { useI18n } from '../../i18n';
import { PageHeader } from '../../shell/PageHeader';
import { EmptyState, pageItems, PageLoader, QueryState } from '../../shell/states';
import { useTenantMembership } from '../../shell/useTenant';
import { useWhatsappLive } from '../useWhatsappLive';
import { campaignApi, campaignKeys, isLive, statusColor } from './api';
import { CampaignDetail } from './CampaignDetail';
import { CreateCampaign } from './CreateCampaign';

/** Campaigns with their results, a form to create one, and the chosen campaign's progress and recipients. */
export function CampaignsPage() {
  const { t } = useI18n();
  const membership = useTenantMembership();
  const tenantId = membership.tenantId;
  const { campaignId } = useSearch({ from: '/_app/t/$tenantId/whatsapp/campaigns' });
  const navigate = useNavigate({ from: '/t/$tenantId/whatsapp/campaigns' });
  const open = (id: string | undefined) => void navigate({ search: { campaignId: id } });
  const [creating, setCreating] = useState(false);
  useWhatsappLive(tenantId);
  const query = useInfiniteQuery({
    queryKey: campaignKeys.all(tenantId),
    queryFn: ({ pageParam }) => campaignApi.list(tenantId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some(isLive)) ? 2000 : false),
  });
  const canWrite = can(membership.role, 'data.write');
  return (
    <Stack gap="md" data-testid="campaigns-page">
      <PageHeader
        title={t('campaigns.title')}
        subtitle={t('campaigns.subtitle')}
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="campaign-new">
              {t('campaigns.new')}
            </Button>
          )
        }
      />
      {creating && (
        <CreateCampaign
          tenantId={tenantId}
          onClose={() => setCreating(false)}
          onStarted={(id) => {
            setCreating(false);
            open(id);
          }}
        />
      )}
      {campaignId && <CampaignDetail tenantId={tenantId} campaignId={campaignId} canWrite={canWrite} onClose={() => open(undefined)} />}
      <Card withBorder padding={0} radius="md">
        <QueryState
          query={query}
          select={(d) => pageItems(d)}
          loading={<PageLoader rows={3} />}
          empty={<EmptyState message={t('campaigns.empty')} />}
        >
          {(items) => (
            <>
              <Table.ScrollContainer minWidth={720}>
                <Table highlightOnHover verticalSpacing="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('campaigns.name')}</Table.Th>
                      <Table.Th>{t('campaigns.status')}</Table.Th>
                      <Table.Th>{t('campaigns.progress')}</Table.Th>
                      {(['sent', 'delivered', 'read', 'replied', 'failed', 'optedOut'] as const).map((k) => (
                        <Table.Th key={k} ta="end">
                          {t(`campaigns.stats.${k}`)}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((c) => (
                      <CampaignRow key={c.id} campaign={c} onOpen={() => open(c.id)} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {query.hasNextPage && (
                <Group justify="center" p="sm">
                  <Button variant="default" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
                    {t('common.loadMore')}
                  </Button>
                </Group>
              )}
            </>
          )}
        </QueryState>
      </Card>
    </Stack>
  );
}

function CampaignRow({ campaign: c, onOpen }: { campaign: WhatsappCampaign; onOpen: () => void }) {
  const { t, formatNumber } = useI18n();
  const done = c.stats.recipients - c.stats.pending;
  return (
    <Table.Tr data-testid="campaign-row">
      <Table.Td>
        <Button variant="subtle" px={0} onClick={onOpen}>
          <bdi>{c.name}</bdi>
        </Button>
        <Text size="xs" c="dimmed">
          <bdi>{c.listName}</bdi> · <bdi>{c.templateName}</bdi>
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={statusColor[c.status]} variant="light">
          {t(`campaigns.status.${c.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td w={160}>
        <Progress value={c.stats.recipients ? (100 * done) / c.stats.recipients : 0} aria-label={t('campaigns.progress')} />
        <Text size="xs" c="dimmed">
          {formatNumber(done)} / {formatNumber(c.stats.recipients)}
        </Text>
      </Table.Td>
      {(['sent', 'delivered', 'read', 'replied', 'failed', 'optedOut'] as const).map((k) => (
        <Table.Td key={k} ta="end" data-testid={`campaign-${k}`}>
          {formatNumber(c.stats[k])}
        </Table.Td>
      ))}
    </Table.Tr>
  );
}
