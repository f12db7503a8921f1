import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconRefresh, IconShare, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { Report } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { JobProgressBar, JobStatusBadge } from '../jobs/JobProgress';
import { isActive } from '../jobs/format';
import { useJobLive } from '../jobs/useJobLive';
import { confirmAction } from '../lib/confirm';
import { AnchorLink } from '../lib/links';
import { useI18n } from '../i18n';
import { reportKeys, reportsApi } from './api';
import { DownloadButton } from './DownloadButton';
import { useRelativeTime } from './relative-time';
import { SendReportButton } from '../whatsapp/SendReportButton';
import { SharesList } from './SharesList';

/** One report: its status (live progress while it renders), views, share links and what can be done with it. */
export function ReportCard({
  tenantId,
  report,
  canWrite,
  onShare,
  showSubject = false,
}: {
  tenantId: string;
  report: Report;
  canWrite: boolean;
  onShare: (report: Report) => void;
  showSubject?: boolean;
}) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const relative = useRelativeTime();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: reportKeys.all(tenantId) });
  const running = report.status === 'PENDING' || report.status === 'RUNNING';
  const live = useJobLive(tenantId, running ? report.jobId : null, { onEnd: () => void refresh() });
  const done = report.status === 'SUCCEEDED';
  // A failed or cancelled report is generated again in one click, offered as the card's next step.
  const stopped = report.status === 'FAILED' || report.status === 'CANCELLED';

  const act = async (work: () => Promise<unknown>, message: string) => {
    try {
      await work();
      notifications.show({ color: 'green', message });
      await refresh();
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
  };
  const remove = () =>
    confirmAction({
      title: t('reports.delete.title'),
      message: t('reports.delete.body', {
        views: formatNumber(report.views.count),
        shares: formatNumber(report.shares.filter((s) => s.active).length),
      }),
      confirmLabel: t('reports.delete'),
      onConfirm: () => void act(() => reportsApi.remove(tenantId, report.id), t('reports.deleted')),
    });

  return (
    <Card withBorder padding="sm" radius="md" data-testid="report-card" data-report-id={report.id} data-status={report.status}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <JobStatusBadge status={report.status} />
            <Badge variant="outline" color="gray">
              {t(report.language === 'ar' ? 'reports.language.ar' : 'reports.language.en')}
            </Badge>
            {showSubject && (
              <Text fw={600} size="sm" dir="auto">
                {report.subjectName ?? t(report.kind === 'list' ? 'reports.kind.list' : 'reports.kind.lead')}
              </Text>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {formatDateTime(report.generatedAt ?? report.createdAt)}
            {report.pageCount !== null && ` · ${t('reports.pages', { count: report.pageCount })}`}
          </Text>
        </Group>
        {running && live.job && isActive(live.job) && <JobProgressBar job={live.job} size="sm" />}
        {report.status === 'FAILED' && (
          <Text size="sm" c="red">
            {report.error ?? t('reports.failed')}
          </Text>
        )}
        {report.status === 'CANCELLED' && (
          <Text size="sm" c="orange">
            {t('reports.cancelled')}
          </Text>
        )}
        <Text size="sm" c="dimmed" data-testid="report-views" data-count={report.views.count}>
          {report.views.count === 0
            ? t('reports.views.none')
            : t('reports.views.some', { count: report.views.count, last: relative(report.views.lastAt!) })}
        </Text>
        <Group gap="xs">
          {done && (
            <DownloadButton href={reportsApi.fileUrl(tenantId, report.id)} icon={<IconDownload size={14} />} testId="report-download">
              {t('reports.download')}
            </DownloadButton>
          )}
          {done && canWrite && (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconShare size={14} />}
              onClick={() => onShare(report)}
              data-testid="report-share"
            >
              {t('reports.share')}
            </Button>
          )}
          {done && canWrite && report.leadId && <SendReportButton tenantId={tenantId} leadId={report.leadId} reportId={report.id} />}
          {canWrite && !running && (
            <Button
              size="xs"
              variant={stopped ? 'light' : 'subtle'}
              leftSection={<IconRefresh size={14} />}
              onClick={() => void act(() => reportsApi.regenerate(tenantId, report.id), t('reports.regenerating'))}
              data-testid="report-regenerate"
            >
              {t(stopped ? 'reports.tryAgain' : 'reports.regenerate')}
            </Button>
          )}
          {canWrite && !running && (
            <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={remove}>
              {t('reports.delete')}
            </Button>
          )}
        </Group>
        <SharesList tenantId={tenantId} report={report} canWrite={canWrite} onChanged={refresh} />
        {report.kind === 'lead' && report.leadId && showSubject && (
          <AnchorLink size="xs" to="/t/$tenantId/leads/$leadId" params={{ tenantId, leadId: report.leadId }}>
            {t('reports.openLead')}
          </AnchorLink>
        )}
      </Stack>
    </Card>
  );
}
