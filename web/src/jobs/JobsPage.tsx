import { useState } from 'react';
import { Card, Group, Select, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { jobStatuses, jobTypes, type Job } from '@optarget/shared';
import { jobKeys, jobsApi, type JobFilters } from '../api/jobs';
import { AnchorLink } from '../lib/links';
import { DataTable, type DataColumn } from '../lib/table/DataTable';
import { infiniteTableProps, useShownSummary } from '../lib/table/query';
import { useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { JobProgressBar, JobStatusBadge } from './JobProgress';
import { isActive, jobDuration, jobStatusLabel, jobTypeLabel } from './format';

export function useJobPages(tenantId: string, filters: JobFilters, limit = 25) {
  return useInfiniteQuery({
    queryKey: [...jobKeys.list(tenantId, filters), limit],
    queryFn: ({ pageParam }) => jobsApi.list(tenantId, filters, pageParam, limit),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some(isActive)) ? 3000 : false),
  });
}

/** What the job searched for, when it searched: its query and place. */
const searchOf = (j: Job) =>
  typeof j.input.query === 'string'
    ? [j.input.query, typeof j.input.location === 'string' ? j.input.location : null].filter(Boolean).join(' · ')
    : null;

function JobLink({ tenantId, job }: { tenantId: string; job: Job }) {
  return (
    <AnchorLink to="/t/$tenantId/jobs/$jobId" params={{ tenantId, jobId: job.id }} size="sm" fw={600}>
      {jobTypeLabel(job.type)}
    </AnchorLink>
  );
}

/** A job on a phone: what it is, its status and progress, who started it and when. */
function JobCard({ tenantId, job }: { tenantId: string; job: Job }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Card withBorder padding="sm" radius="md">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <JobLink tenantId={tenantId} job={job} />
          <JobStatusBadge status={job.status} />
        </Group>
        {searchOf(job) && (
          <Text size="xs" c="dimmed" truncate>
            {searchOf(job)}
          </Text>
        )}
        <JobProgressBar job={job} size="sm" />
        <Text size="xs" c="dimmed">
          {job.createdBy?.name || t('jobs.system')} · {formatDateTime(job.createdAt)}
          {jobDuration(job) && ` · ${jobDuration(job)}`}
        </Text>
      </Stack>
    </Card>
  );
}

export function JobsPage() {
  const { t, formatDateTime } = useI18n();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const [status, setStatus] = useState<string | null>(null);
  const [type, setType] = useState<string | null>(null);
  const filters: JobFilters = { ...(status ? { status } : {}), ...(type ? { type } : {}) };
  const jobs = useJobPages(tenantId, filters);
  const summary = useShownSummary();

  const columns: DataColumn<Job>[] = [
    {
      key: 'type',
      label: t('jobs.col.type'),
      cell: (j) => (
        <>
          <JobLink tenantId={tenantId} job={j} />
          {searchOf(j) && (
            <Text size="xs" c="dimmed" truncate maw={260}>
              {searchOf(j)}
            </Text>
          )}
        </>
      ),
    },
    { key: 'status', label: t('jobs.col.status'), cell: (j) => <JobStatusBadge status={j.status} /> },
    { key: 'progress', label: t('jobs.col.progress'), width: 200, cell: (j) => <JobProgressBar job={j} size="sm" /> },
    { key: 'createdBy', label: t('jobs.col.createdBy'), cell: (j) => j.createdBy?.name || t('jobs.system') },
    {
      key: 'created',
      label: t('jobs.col.created'),
      cell: (j) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(j.createdAt)}</span>,
    },
    {
      key: 'duration',
      label: t('jobs.col.duration'),
      cell: (j) => <span style={{ whiteSpace: 'nowrap' }}>{jobDuration(j) ?? '—'}</span>,
    },
  ];

  return (
    <Stack gap="md" data-testid="jobs-page">
      <PageHeader title={t('jobs.title')} subtitle={t('jobs.subtitle')} />
      <Card withBorder padding="lg" radius="md">
        <Group gap="sm" mb="md" align="flex-end">
          <Select
            label={t('jobs.filter.status')}
            placeholder={t('jobs.filter.any')}
            data={jobStatuses.map((s) => ({ value: s, label: jobStatusLabel(s) }))}
            value={status}
            onChange={setStatus}
            clearable
            w={200}
            data-testid="jobs-filter-status"
          />
          <Select
            label={t('jobs.filter.type')}
            placeholder={t('jobs.filter.any')}
            data={jobTypes.map((s) => ({ value: s, label: jobTypeLabel(s) }))}
            value={type}
            onChange={setType}
            clearable
            w={240}
            data-testid="jobs-filter-type"
          />
        </Group>
        <DataTable
          label={t('jobs.title')}
          columns={columns}
          rowKey={(j) => j.id}
          {...infiniteTableProps(jobs, summary)}
          empty={<EmptyState message={status || type ? t('jobs.empty.filtered') : t('jobs.empty')} />}
          rowAttributes={(j) => ({ 'data-testid': 'job-row', 'data-job-id': j.id, 'data-status': j.status, 'data-type': j.type })}
          renderCard={(j) => <JobCard tenantId={tenantId} job={j} />}
          minWidth={760}
          bounded
          testId="jobs-table"
        />
      </Card>
    </Stack>
  );
}
