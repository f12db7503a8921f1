import { useState } from 'react';
import { Alert, Button, Card, Center, Code, Grid, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { can, jobTypes, type Job } from '@optarget/shared';
import { errorMessage, isApiError } from '../api/client';
import { jobKeys, jobsApi } from '../api/jobs';
import { leadKeys } from '../api/leads';
import { BackArrow } from '../lib/BackArrow';
import { AnchorLink, ButtonLink } from '../lib/links';
import { useI18n } from '../i18n';
import { ErrorState, PageLoader, QueryState, pageItems } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { OsmAttribution } from '../prospecting/OsmAttribution';
import { CancelJobButton, JobLogs, JobProgressBar, JobStatusBadge } from './JobProgress';
import { isActive, jobDuration, jobTextOf, jobTypeLabel } from './format';
import { useJobLive } from './useJobLive';

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.join(', ');
  return JSON.stringify(v);
}

/** A JSON object summarised as key / value rows. */
export function KeyValueTable({ value, testId }: { value: Record<string, unknown>; testId?: string }) {
  const entries = Object.entries(value);
  if (entries.length === 0) return <Text size="sm">—</Text>;
  return (
    <Table withRowBorders={false} verticalSpacing={4} data-testid={testId}>
      <Table.Tbody>
        {entries.map(([k, v]) => (
          <Table.Tr key={k} data-key={k}>
            <Table.Th w="40%" style={{ fontWeight: 600, verticalAlign: 'top' }}>
              <Text size="sm">{k}</Text>
            </Table.Th>
            <Table.Td>
              {typeof v === 'object' && v !== null && !Array.isArray(v) ? (
                <Code block>{JSON.stringify(v, null, 2)}</Code>
              ) : (
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {formatValue(v)}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function PagedLogs({ tenantId, jobId }: { tenantId: string; jobId: string }) {
  const { t } = useI18n();
  const logs = useInfiniteQuery({
    queryKey: jobKeys.logs(tenantId, jobId),
    queryFn: ({ pageParam }) => jobsApi.logs(tenantId, jobId, pageParam, 100),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return (
    <QueryState query={logs} select={(d) => pageItems(d)} loading={<PageLoader rows={3} />}>
      {(items) => (
        <Stack gap="sm">
          <JobLogs logs={items} follow={false} height={480} />
          {logs.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                size="xs"
                onClick={() => void logs.fetchNextPage()}
                loading={logs.isFetchingNextPage}
                data-testid="logs-load-more"
              >
                {t('common.loadMore')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </QueryState>
  );
}

export function JobPage() {
  const { t, formatDateTime } = useI18n();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const canWrite = can(membership.role, 'data.write');
  const { jobId } = useParams({ from: '/_app/t/$tenantId/jobs/$jobId' });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [rerunning, setRerunning] = useState(false);
  const q = useQuery({ queryKey: jobKeys.one(tenantId, jobId), queryFn: () => jobsApi.get(tenantId, jobId) });
  const following = !!q.data && isActive(q.data);
  const live = useJobLive(tenantId, following ? jobId : null, {
    initial: q.data,
    onEnd: (j) => {
      queryClient.setQueryData(jobKeys.one(tenantId, jobId), j);
      void queryClient.invalidateQueries({ queryKey: jobKeys.logs(tenantId, jobId) });
      void queryClient.invalidateQueries({ queryKey: jobKeys.all(tenantId) });
      void queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
    },
  });

  if (q.isPending) return <PageLoader rows={6} />;
  if (q.isError) {
    if (isApiError(q.error, 404) || isApiError(q.error, 400))
      return (
        <Center mih="50vh">
          <Stack align="center" gap="sm" data-testid="job-not-found">
            <Title order={1} size="h2">
              {t('job.notFound')}
            </Title>
            <ButtonLink to="/t/$tenantId/jobs" params={{ tenantId }}>
              {t('job.back')}
            </ButtonLink>
          </Stack>
        </Center>
      );
    return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  }
  const job: Job = following && live.job?.id === jobId ? live.job : q.data;
  const canRerun =
    canWrite && (job.status === 'FAILED' || job.status === 'CANCELLED') && (jobTypes as readonly string[]).includes(job.type);
  const usesOsm = job.type === 'PROSPECT_SEARCH' && Array.isArray(job.input.sources) && (job.input.sources as unknown[]).includes('osm');

  const rerun = async () => {
    setRerunning(true);
    try {
      const j = await jobsApi.rerun(tenantId, job.id);
      notifications.show({ color: 'green', message: t('job.rerun.started') });
      void queryClient.invalidateQueries({ queryKey: jobKeys.all(tenantId) });
      await navigate({ to: '/t/$tenantId/jobs/$jobId', params: { tenantId, jobId: j.id } });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setRerunning(false);
    }
  };

  return (
    <Stack gap="md" data-testid="job-page" data-job-id={job.id} data-status={job.status}>
      <AnchorLink to="/t/$tenantId/jobs" params={{ tenantId }} size="sm">
        <Group gap={4}>
          <BackArrow size={14} />
          {t('job.back')}
        </Group>
      </AnchorLink>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} size="h2">
              {jobTypeLabel(job.type)}
            </Title>
            <JobStatusBadge status={job.status} />
          </Group>
          <Text size="sm" c="dimmed">
            {t('job.createdBy', { name: job.createdBy?.name || t('jobs.system'), at: formatDateTime(job.createdAt) })}
          </Text>
        </Stack>
        <Group gap="xs">
          {canWrite && (
            <CancelJobButton tenantId={tenantId} job={job} onCancelled={(j) => queryClient.setQueryData(jobKeys.one(tenantId, jobId), j)} />
          )}
          {canRerun && (
            <Button
              size="xs"
              leftSection={<IconRefresh size={14} />}
              onClick={() => void rerun()}
              loading={rerunning}
              data-testid="job-rerun"
            >
              {t('job.rerun')}
            </Button>
          )}
        </Group>
      </Group>

      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Card withBorder padding="lg" radius="md" data-testid="job-progress" data-status={job.status}>
              <Title order={2} size="h4" mb="sm">
                {t('job.progress')}
              </Title>
              <JobProgressBar job={job} />
              {job.error && (
                <Alert color="red" mt="md" title={t('job.error')} data-testid="job-error">
                  {jobTextOf(job.errorText, job.error)}
                </Alert>
              )}
            </Card>
            <Card withBorder padding="lg" radius="md">
              <Title order={2} size="h4" mb="sm">
                {t('job.logs')}
              </Title>
              {following ? <JobLogs logs={live.logs} height={480} /> : <PagedLogs tenantId={tenantId} jobId={jobId} />}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Card withBorder padding="lg" radius="md">
              <SimpleGrid cols={2} spacing="sm">
                <Fact label={t('job.started')}>{job.startedAt ? formatDateTime(job.startedAt) : '—'}</Fact>
                <Fact label={t('job.finished')}>{job.finishedAt ? formatDateTime(job.finishedAt) : '—'}</Fact>
                <Fact label={t('jobs.col.duration')}>{jobDuration(job) ?? '—'}</Fact>
                <Fact label={t('job.attempts')}>{String(job.attempts)}</Fact>
              </SimpleGrid>
            </Card>
            <Card withBorder padding="lg" radius="md">
              <Title order={2} size="h4" mb="sm">
                {t('job.result')}
              </Title>
              {job.result ? (
                <KeyValueTable value={job.result} testId="job-result" />
              ) : (
                <Text size="sm" c="dimmed">
                  {t('job.result.none')}
                </Text>
              )}
            </Card>
            <Card withBorder padding="lg" radius="md">
              <Title order={2} size="h4" mb="sm">
                {t('job.input')}
              </Title>
              <KeyValueTable value={job.input} testId="job-input" />
            </Card>
            {usesOsm && <OsmAttribution />}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}
