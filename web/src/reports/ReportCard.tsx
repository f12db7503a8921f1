import { Card, Group, Stack } from '@mantine/core';
import type { Report } from '@optarget/shared';
import { JobStatusBadge } from '../jobs/JobProgress';
import { AnchorLink } from '../lib/links';
import { useI18n } from '../i18n';
import {
  ReportActions,
  ReportDate,
  ReportLanguageBadge,
  ReportProgress,
  ReportSubject,
  ReportViews,
  useRefreshReports,
} from './ReportParts';
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
  const { t } = useI18n();
  const refresh = useRefreshReports(tenantId);
  return (
    <Card withBorder padding="sm" radius="md" data-testid="report-card" data-report-id={report.id} data-status={report.status}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <JobStatusBadge status={report.status} />
            <ReportLanguageBadge report={report} />
            {showSubject && <ReportSubject report={report} />}
          </Group>
          <ReportDate report={report} />
        </Group>
        <ReportProgress tenantId={tenantId} report={report} />
        <ReportViews report={report} />
        <ReportActions tenantId={tenantId} report={report} canWrite={canWrite} onShare={onShare} />
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
