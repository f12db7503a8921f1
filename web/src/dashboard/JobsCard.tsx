import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Job } from '@optarget/shared';
import { jobKeys, jobsApi } from '../api/jobs';
import { AnchorLink } from '../lib/links';
import { useI18n } from '../i18n';
import { PageLoader, QueryState } from '../shell/states';
import { JobProgressBar, JobStatusBadge } from '../jobs/JobProgress';
import { isActive, jobTypeLabel } from '../jobs/format';

/** Running jobs first, then the recent ones that are not among them. */
function runningThenRecent({ running, recent }: { running: Job[]; recent: Job[] }): Job[] {
  const runningIds = new Set(running.map((j) => j.id));
  return [...running, ...recent.filter((j) => !runningIds.has(j.id))];
}

/** Running jobs and the five most recent ones, refreshed while something runs. */
export function JobsCard({ tenantId }: { tenantId: string }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const jobs = useQuery({
    queryKey: jobKeys.recent(tenantId),
    queryFn: async () => {
      const [running, pending, recent] = await Promise.all([
        jobsApi.list(tenantId, { status: 'RUNNING' }, undefined, 20),
        jobsApi.list(tenantId, { status: 'PENDING' }, undefined, 20),
        jobsApi.list(tenantId, {}, undefined, 5),
      ]);
      return { running: [...running.items, ...pending.items], recent: recent.items };
    },
    refetchInterval: (q) => (q.state.data && (q.state.data.running.length > 0 || q.state.data.recent.some(isActive)) ? 3000 : 30_000),
  });

  const row = (j: Job) => (
    <Stack key={j.id} gap={4} data-testid="dashboard-job" data-status={j.status} data-job-id={j.id}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <AnchorLink to="/t/$tenantId/jobs/$jobId" params={{ tenantId, jobId: j.id }} size="sm" fw={600} truncate>
          {jobTypeLabel(j.type)}
          {typeof j.input.query === 'string' ? ` · ${j.input.query}` : ''}
        </AnchorLink>
        <JobStatusBadge status={j.status} />
      </Group>
      {isActive(j) ? (
        <JobProgressBar job={j} size="sm" />
      ) : (
        <Text size="xs" c="dimmed">
          {formatDateTime(j.finishedAt ?? j.createdAt)}
        </Text>
      )}
    </Stack>
  );

  return (
    <Card withBorder padding="lg" radius="md" data-testid="dashboard-jobs">
      <Group justify="space-between" mb="md">
        <Group gap="xs">
          <Title order={2} size="h4">
            {t('dashboard.jobs')}
          </Title>
          {jobs.data && jobs.data.running.length > 0 && (
            <Badge variant="light" color="blue">
              {t('dashboard.jobs.running', { count: formatNumber(jobs.data.running.length) })}
            </Badge>
          )}
        </Group>
        <AnchorLink to="/t/$tenantId/jobs" params={{ tenantId }} size="sm">
          {t('dashboard.jobs.all')}
        </AnchorLink>
      </Group>
      <QueryState
        query={jobs}
        select={runningThenRecent}
        loading={<PageLoader rows={2} />}
        empty={
          <Text size="sm" c="dimmed">
            {t('dashboard.jobs.empty')}
          </Text>
        }
      >
        {(list) => <Stack gap="sm">{list.map(row)}</Stack>}
      </QueryState>
    </Card>
  );
}
