import { Badge, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconRefresh, IconShare, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { Report } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { JobProgressBar } from '../jobs/JobProgress';
import { isActive } from '../jobs/format';
import { useJobLive } from '../jobs/useJobLive';
import { confirmAction } from '../lib/confirm';
import { useI18n } from '../i18n';
import { SendReportButton } from '../whatsapp/SendReportButton';
import { reportKeys, reportsApi } from './api';
import { DownloadButton } from './DownloadButton';
import { useRelativeTime } from './relative-time';

/** Reloads every report list of the tenant after a report changed. */
export function useRefreshReports(tenantId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: reportKeys.all(tenantId) });
}

const isRunning = (report: Report) => report.status === 'PENDING' || report.status === 'RUNNING';

export function ReportLanguageBadge({ report }: { report: Report }) {
  const { t } = useI18n();
  return (
    <Badge variant="outline" color="gray">
      {t(report.language === 'ar' ? 'reports.language.ar' : 'reports.language.en')}
    </Badge>
  );
}

/** What the report is about: the lead's or list's name, else its kind. */
export function ReportSubject({ report }: { report: Report }) {
  const { t } = useI18n();
  return (
    <Text component="span" fw={600} size="sm" dir="auto">
      {report.subjectName ?? t(report.kind === 'list' ? 'reports.kind.list' : 'reports.kind.lead')}
    </Text>
  );
}

/** When the report was made and how long it is. */
export function ReportDate({ report }: { report: Report }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Text size="xs" c="dimmed">
      {formatDateTime(report.generatedAt ?? report.createdAt)}
      {report.pageCount !== null && ` · ${t('reports.pages', { count: report.pageCount })}`}
    </Text>
  );
}

/** Live progress while the report renders, or why it stopped; the lists reload when its job ends. */
export function ReportProgress({ tenantId, report }: { tenantId: string; report: Report }) {
  const { t } = useI18n();
  const refresh = useRefreshReports(tenantId);
  const live = useJobLive(tenantId, isRunning(report) ? report.jobId : null, { onEnd: () => void refresh() });
  return (
    <>
      {isRunning(report) && live.job && isActive(live.job) && <JobProgressBar job={live.job} size="sm" />}
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
    </>
  );
}

export function ReportViews({ report }: { report: Report }) {
  const { t } = useI18n();
  const relative = useRelativeTime();
  return (
    <Text size="sm" c="dimmed" data-testid="report-views" data-count={report.views.count}>
      {report.views.count === 0
        ? t('reports.views.none')
        : t('reports.views.some', { count: report.views.count, last: relative(report.views.lastAt!) })}
    </Text>
  );
}

/** What can be done with the report: download, share, send, generate again and delete, as its state allows. */
export function ReportActions({
  tenantId,
  report,
  canWrite,
  onShare,
}: {
  tenantId: string;
  report: Report;
  canWrite: boolean;
  onShare: (report: Report) => void;
}) {
  const { t, formatNumber } = useI18n();
  const refresh = useRefreshReports(tenantId);
  const running = isRunning(report);
  const done = report.status === 'SUCCEEDED';
  // A failed or cancelled report is generated again in one click, offered as the next step.
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
    <Group gap="xs">
      {done && (
        <DownloadButton href={reportsApi.fileUrl(tenantId, report.id)} icon={<IconDownload size={14} />} testId="report-download">
          {t('reports.download')}
        </DownloadButton>
      )}
      {done && canWrite && (
        <Button size="xs" variant="light" leftSection={<IconShare size={14} />} onClick={() => onShare(report)} data-testid="report-share">
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
  );
}
