import { useState } from 'react';
import { Card, Group, Select, Stack } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { can, jobStatuses, type Report } from '@optarget/shared';
import { JobStatusBadge } from '../jobs/JobProgress';
import { jobStatusLabel } from '../jobs/format';
import { AnchorLink } from '../lib/links';
import { DataTable, type DataColumn } from '../lib/table/DataTable';
import { infiniteTableProps, useShownSummary } from '../lib/table/query';
import { useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { reportKeys, reportsApi, type ReportFilters } from './api';
import { RecommendationsCard } from './RecommendationsCard';
import { ReportCard } from './ReportCard';
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
import { ShareModal } from './ShareModal';

/** Every report of the tenant, newest first, with filters and how often each was viewed. */
export function ReportsPage() {
  const { t } = useI18n();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const canWrite = can(membership.role, 'data.write');
  const [filters, setFilters] = useState<ReportFilters>({});
  const [sharing, setSharing] = useState<Report | null>(null);
  const reports = useInfiniteQuery({
    queryKey: reportKeys.list(tenantId, filters),
    queryFn: ({ pageParam }) => reportsApi.list(tenantId, filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const summary = useShownSummary();
  const refresh = useRefreshReports(tenantId);
  const columns: DataColumn<Report>[] = [
    {
      key: 'subject',
      label: t('reports.col.subject'),
      width: 180,
      cell: (r) => (
        <Stack gap={4} align="flex-start">
          <SubjectLink tenantId={tenantId} report={r} />
          <ReportLanguageBadge report={r} />
        </Stack>
      ),
    },
    {
      key: 'status',
      label: t('reports.status'),
      width: 150,
      cell: (r) => (
        <Stack gap={4}>
          <JobStatusBadge status={r.status} />
          <ReportProgress tenantId={tenantId} report={r} />
        </Stack>
      ),
    },
    { key: 'date', label: t('reports.col.date'), width: 140, cell: (r) => <ReportDate report={r} /> },
    { key: 'views', label: t('reports.col.views'), width: 130, cell: (r) => <ReportViews report={r} /> },
    {
      key: 'actions',
      label: t('common.actions'),
      hideLabel: true,
      width: 360,
      cell: (r) => (
        <Stack gap={4}>
          <ReportActions tenantId={tenantId} report={r} canWrite={canWrite} onShare={setSharing} />
          <SharesList tenantId={tenantId} report={r} canWrite={canWrite} onChanged={refresh} />
        </Stack>
      ),
    },
  ];
  const set = (key: keyof ReportFilters) => (value: string | null) => setFilters((f) => ({ ...f, [key]: value ?? undefined }));

  return (
    <Stack gap="md">
      <PageHeader title={t('reports.title')} subtitle={t('reports.subtitle')} />
      <Group gap="sm" wrap="wrap" data-testid="report-filters">
        <Select
          label={t('reports.language')}
          clearable
          placeholder={t('reports.filter.any')}
          value={filters.language ?? null}
          onChange={set('language')}
          data={[
            { value: 'en', label: t('reports.language.en') },
            { value: 'ar', label: t('reports.language.ar') },
          ]}
        />
        <Select
          label={t('reports.status')}
          clearable
          placeholder={t('reports.filter.any')}
          value={filters.status ?? null}
          onChange={set('status')}
          data={jobStatuses.map((s) => ({ value: s, label: jobStatusLabel(s) }))}
        />
        <Select
          label={t('reports.viewed')}
          clearable
          placeholder={t('reports.filter.any')}
          value={filters.viewed ?? null}
          onChange={set('viewed')}
          data={[
            { value: 'true', label: t('reports.viewed.yes') },
            { value: 'false', label: t('reports.viewed.no') },
          ]}
        />
      </Group>
      <Card withBorder padding="sm" radius="md">
        <DataTable
          label={t('reports.title')}
          columns={columns}
          rowKey={(r) => r.id}
          {...infiniteTableProps(reports, summary)}
          empty={<EmptyState message={t('reports.none')} />}
          rowAttributes={(r) => ({ 'data-testid': 'report-row', 'data-report-id': r.id, 'data-status': r.status })}
          renderCard={(r) => <ReportCard tenantId={tenantId} report={r} canWrite={canWrite} onShare={setSharing} showSubject />}
          minWidth={1000}
          bounded
          testId="reports-table"
        />
      </Card>
      {can(membership.role, 'settings.manage') && <RecommendationsCard tenantId={tenantId} />}
      <ShareModal tenantId={tenantId} report={sharing} onClose={() => setSharing(null)} />
    </Stack>
  );
}

/** The report's subject, linked to the lead or list it is about. */
function SubjectLink({ tenantId, report }: { tenantId: string; report: Report }) {
  if (report.kind === 'lead' && report.leadId)
    return (
      <AnchorLink to="/t/$tenantId/leads/$leadId" params={{ tenantId, leadId: report.leadId }}>
        <ReportSubject report={report} />
      </AnchorLink>
    );
  if (report.kind === 'list' && report.listId)
    return (
      <AnchorLink to="/t/$tenantId/lists/$listId" params={{ tenantId, listId: report.listId }} search={{}}>
        <ReportSubject report={report} />
      </AnchorLink>
    );
  return <ReportSubject report={report} />;
}
