import { useState } from 'react';
import { Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { can, type WhatsappCampaign } from '@optarget/shared';
import { useI18n } from '../../i18n';
import { DataTable, type DataColumn } from '../../lib/table/DataTable';
import { infiniteTableProps, useShownSummary } from '../../lib/table/query';
import { PageHeader } from '../../shell/PageHeader';
import { EmptyState } from '../../shell/states';
import { useTenantMembership } from '../../shell/useTenant';
import { useWhatsappLive } from '../useWhatsappLive';
import { campaignApi, campaignKeys, isLive, statusColor } from './api';
import { CampaignDetail } from './CampaignDetail';
import { CreateCampaign } from './CreateCampaign';

/** Campaigns with their results, a form to create one, and the chosen campaign's progress and recipients. */
export function CampaignsPage() {
  const { t, formatNumber } = useI18n();
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
  const summary = useShownSummary();
  const columns: DataColumn<WhatsappCampaign>[] = [
    { key: 'name', label: t('campaigns.name'), cell: (c) => <CampaignName campaign={c} onOpen={() => open(c.id)} /> },
    { key: 'status', label: t('campaigns.status'), cell: (c) => <CampaignStatus campaign={c} /> },
    { key: 'progress', label: t('campaigns.progress'), width: 160, cell: (c) => <CampaignProgress campaign={c} /> },
    ...stats.map((k): DataColumn<WhatsappCampaign> => ({
      key: k,
      label: t(`campaigns.stats.${k}`),
      align: 'end',
      compare: (a, b) => a.stats[k] - b.stats[k],
      firstDesc: true,
      cell: (c) => <span data-testid={`campaign-${k}`}>{formatNumber(c.stats[k])}</span>,
    })),
  ];
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
      <Card withBorder padding="sm" radius="md">
        <DataTable
          label={t('campaigns.title')}
          columns={columns}
          rowKey={(c) => c.id}
          {...infiniteTableProps(query, summary)}
          empty={<EmptyState message={t('campaigns.empty')} />}
          rowAttributes={(c) => ({ 'data-testid': 'campaign-row', 'data-campaign-id': c.id, 'data-status': c.status })}
          renderCard={(c) => <CampaignCard campaign={c} onOpen={() => open(c.id)} />}
          minWidth={720}
          bounded
          testId="campaigns-table"
        />
      </Card>
    </Stack>
  );
}

const stats = ['sent', 'delivered', 'read', 'replied', 'failed', 'optedOut'] as const;

function CampaignName({ campaign: c, onOpen }: { campaign: WhatsappCampaign; onOpen: () => void }) {
  return (
    <>
      <Button variant="subtle" px={0} onClick={onOpen}>
        <bdi>{c.name}</bdi>
      </Button>
      <Text size="xs" c="dimmed">
        <bdi>{c.listName}</bdi> · <bdi>{c.templateName}</bdi>
      </Text>
    </>
  );
}

function CampaignStatus({ campaign: c }: { campaign: WhatsappCampaign }) {
  const { t } = useI18n();
  return (
    <Badge color={statusColor[c.status]} variant="light">
      {t(`campaigns.status.${c.status}`)}
    </Badge>
  );
}

function CampaignProgress({ campaign: c }: { campaign: WhatsappCampaign }) {
  const { t, formatNumber } = useI18n();
  const done = c.stats.recipients - c.stats.pending;
  return (
    <>
      <Progress value={c.stats.recipients ? (100 * done) / c.stats.recipients : 0} aria-label={t('campaigns.progress')} />
      <Text size="xs" c="dimmed">
        {formatNumber(done)} / {formatNumber(c.stats.recipients)}
      </Text>
    </>
  );
}

/** A campaign on a phone: its name, status, progress and results. */
function CampaignCard({ campaign: c, onOpen }: { campaign: WhatsappCampaign; onOpen: () => void }) {
  const { t, formatNumber } = useI18n();
  return (
    <Card withBorder padding="sm" radius="md">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
          <div>
            <CampaignName campaign={c} onOpen={onOpen} />
          </div>
          <CampaignStatus campaign={c} />
        </Group>
        <CampaignProgress campaign={c} />
        <SimpleGrid cols={3} spacing="xs">
          {stats.map((k) => (
            <div key={k}>
              <Text size="xs" c="dimmed">
                {t(`campaigns.stats.${k}`)}
              </Text>
              <Text size="sm" data-testid={`campaign-${k}`}>
                {formatNumber(c.stats[k])}
              </Text>
            </div>
          ))}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}
