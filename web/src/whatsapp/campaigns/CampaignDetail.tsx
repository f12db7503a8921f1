import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  CloseButton,
  Group,
  Modal,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { can, type CampaignRecipient, type RecipientStatus, type WhatsappCampaign } from '@optarget/shared';
import { errorMessage } from '../../api/client';
import { useI18n } from '../../i18n';
import { AnchorLink } from '../../lib/links';
import { DataTable, type DataColumn } from '../../lib/table/DataTable';
import { infiniteTableProps, useShownSummary } from '../../lib/table/query';
import { EmptyState, PageLoader, QueryState } from '../../shell/states';
import { useTenantMembership } from '../../shell/useTenant';
import { campaignStopText, failureOf } from '../failure';
import { WordedText } from '../WordedText';
import { campaignApi, campaignKeys, isLive, statusColor, type CampaignAction } from './api';

const statTiles = ['sent', 'delivered', 'read', 'replied', 'failed', 'optedOut', 'held', 'unconfirmed'] as const;

/** One campaign: progress, what stopped it, pause/resume/cancel, its results and each recipient's. */
export function CampaignDetail({
  tenantId,
  campaignId,
  canWrite,
  onClose,
}: {
  tenantId: string;
  campaignId: string;
  canWrite: boolean;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const query = useQuery({
    queryKey: campaignKeys.one(tenantId, campaignId),
    queryFn: () => campaignApi.get(tenantId, campaignId),
    refetchInterval: (q) => (q.state.data && isLive(q.state.data) ? 1000 : false),
  });
  return (
    <Card withBorder padding="lg" radius="md" data-testid="campaign-detail">
      <QueryState query={query} loading={<PageLoader rows={3} />}>
        {(c) => (
          <Stack gap="md">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={2}>
                <Title order={2} size="h4">
                  <bdi>{c.name}</bdi>
                </Title>
                <Group gap="xs">
                  <Badge color={statusColor[c.status]} variant="light" data-testid="campaign-status">
                    {t(`campaigns.status.${c.status}`)}
                  </Badge>
                  {c.jobId && (
                    <AnchorLink to="/t/$tenantId/jobs/$jobId" params={{ tenantId, jobId: c.jobId }} size="sm">
                      {t('campaigns.job')}
                    </AnchorLink>
                  )}
                </Group>
              </Stack>
              <CloseButton aria-label={t('common.close')} onClick={onClose} />
            </Group>
            <StopReason campaign={c} />
            <CampaignProgress campaign={c} />
            {canWrite && <Actions tenantId={tenantId} campaign={c} />}
            <Recipients tenantId={tenantId} campaignId={campaignId} />
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}

/** Why the campaign stopped, in the user's language, with Meta's own words when Meta stopped it. */
function StopReason({ campaign }: { campaign: WhatsappCampaign }) {
  const { t } = useI18n();
  const stop = campaignStopText(campaign);
  if (!stop) return null;
  return (
    <Alert color="red" title={t('campaigns.stopped')} data-testid="campaign-stop-reason">
      <WordedText size="sm" worded={stop} />
    </Alert>
  );
}

function CampaignProgress({ campaign: c }: { campaign: WhatsappCampaign }) {
  const { t, formatNumber } = useI18n();
  const done = c.stats.recipients - c.stats.pending;
  return (
    <Stack gap="xs">
      <Progress
        value={c.stats.recipients ? (100 * done) / c.stats.recipients : 0}
        aria-label={t('campaigns.progress')}
        animated={isLive(c)}
      />
      <Text size="sm" c="dimmed" data-testid="campaign-progress">
        {t('campaigns.progressOf', { done: formatNumber(done), total: formatNumber(c.stats.recipients) })}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
        {statTiles.map((k) => (
          <Card key={k} withBorder padding="xs" radius="sm">
            <Text size="xs" c="dimmed">
              {t(`campaigns.stats.${k}`)}
            </Text>
            <Text fw={700} data-testid={`campaign-stat-${k}`}>
              {formatNumber(c.stats[k])}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function Actions({ tenantId, campaign: c }: { tenantId: string; campaign: WhatsappCampaign }) {
  const { t, formatNumber } = useI18n();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<CampaignAction | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const act = async (action: CampaignAction) => {
    setBusy(action);
    try {
      await campaignApi.act(tenantId, c.id, action);
      await queryClient.invalidateQueries({ queryKey: campaignKeys.all(tenantId) });
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    } finally {
      setBusy(null);
      setConfirmCancel(false);
    }
  };
  const ended = ['COMPLETED', 'CANCELLED'].includes(c.status);
  if (ended) return null;
  return (
    <Group gap="sm">
      {isLive(c) && (
        <Button variant="default" onClick={() => void act('pause')} loading={busy === 'pause'} data-testid="campaign-pause">
          {t('campaigns.pause')}
        </Button>
      )}
      {(c.status === 'PAUSED' || c.status === 'STOPPED') && (
        <Button onClick={() => void act('resume')} loading={busy === 'resume'} data-testid="campaign-resume">
          {t('campaigns.resume')}
        </Button>
      )}
      <Button color="red" variant="light" onClick={() => setConfirmCancel(true)} data-testid="campaign-cancel">
        {t('campaigns.cancel')}
      </Button>
      <Modal opened={confirmCancel} onClose={() => setConfirmCancel(false)} title={t('campaigns.cancel')}>
        <Stack gap="md">
          <Text>{t('campaigns.cancelConfirm', { count: formatNumber(c.stats.pending) })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmCancel(false)}>
              {t('common.back')}
            </Button>
            <Button color="red" onClick={() => void act('cancel')} loading={busy === 'cancel'} data-testid="campaign-cancel-confirm">
              {t('campaigns.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}

type Filter = 'all' | RecipientStatus;

function Recipients({ tenantId, campaignId }: { tenantId: string; campaignId: string }) {
  const { t, formatDateTime, locale } = useI18n();
  const canExport = can(useTenantMembership().role, 'data.export');
  const [filter, setFilter] = useState<Filter>('all');
  const status = filter === 'all' ? undefined : filter;
  const query = useInfiniteQuery({
    queryKey: campaignKeys.recipients(tenantId, campaignId, filter),
    queryFn: ({ pageParam }) => campaignApi.recipients(tenantId, campaignId, status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const summary = useShownSummary();
  const columns: DataColumn<CampaignRecipient>[] = [
    { key: 'lead', label: t('campaigns.recipients.lead'), cell: (r) => <RecipientLead tenantId={tenantId} recipient={r} /> },
    { key: 'result', label: t('campaigns.recipients.result'), cell: (r) => <RecipientResult recipient={r} /> },
    { key: 'replied', label: t('campaigns.recipients.replied'), cell: (r) => (r.repliedAt ? formatDateTime(r.repliedAt) : '—') },
  ];
  return (
    <Stack gap="xs">
      <Group justify="space-between" gap="sm">
        <SegmentedControl
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          data={(['all', 'SENT', 'FAILED', 'SKIPPED', 'PENDING'] as const).map((value) => ({
            value,
            label: t(`campaigns.recipients.${value}`),
          }))}
        />
        {canExport && (
          <Anchor
            href={campaignApi.recipientsCsvUrl(tenantId, campaignId, locale)}
            download
            size="sm"
            data-testid="campaign-recipients-csv"
          >
            <Group gap={4}>
              <IconDownload size={16} />
              {t('campaigns.recipients.download')}
            </Group>
          </Anchor>
        )}
      </Group>
      <DataTable
        label={t('campaigns.recipients.label')}
        columns={columns}
        rowKey={(r) => r.id}
        {...infiniteTableProps(query, summary)}
        empty={<EmptyState message={t('campaigns.recipients.empty')} />}
        rowAttributes={() => ({ 'data-testid': 'campaign-recipient' })}
        renderCard={(r) => (
          <Card withBorder padding="sm" radius="md">
            <Stack gap={4}>
              <RecipientLead tenantId={tenantId} recipient={r} />
              <RecipientResult recipient={r} />
              {r.repliedAt && (
                <Text size="xs" c="dimmed">
                  {t('campaigns.recipients.replied')}: {formatDateTime(r.repliedAt)}
                </Text>
              )}
            </Stack>
          </Card>
        )}
        minWidth={640}
        testId="campaign-recipients"
      />
    </Stack>
  );
}

function RecipientLead({ tenantId, recipient: r }: { tenantId: string; recipient: CampaignRecipient }) {
  return (
    <>
      {r.leadId ? (
        <AnchorLink to="/t/$tenantId/leads/$leadId" params={{ tenantId, leadId: r.leadId }}>
          <bdi>{r.leadName}</bdi>
        </AnchorLink>
      ) : (
        <bdi>{r.leadName}</bdi>
      )}
      <Text size="xs" c="dimmed" dir="ltr">
        {r.phone}
      </Text>
    </>
  );
}

/** What happened to the message: why it was skipped, how far it got, or Meta's error. */
function RecipientResult({ recipient: r }: { recipient: CampaignRecipient }) {
  const { t } = useI18n();
  return (
    <>
      <Text size="sm">
        {r.skipReason
          ? t(`campaigns.skip.${r.skipReason}`)
          : t(`campaigns.recipient.${r.messageStatus && r.status === 'SENT' ? r.messageStatus : r.status}` as 'campaigns.recipient.SENT')}
      </Text>
      {r.errorTitle && <WordedText size="xs" c="red" testId="recipient-failure" worded={failureOf(r)} />}
    </>
  );
}
