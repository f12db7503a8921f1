import { useState } from 'react';
import { Button, Card, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { jobStatuses, jobTypes } from '@optarget/shared';
import { jobKeys, jobsApi, type JobFilters } from '../api/jobs';
import { AnchorLink } from '../lib/links';
import { useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState, PageLoader, QueryState, pageItems } from '../shell/states';
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

export function JobsPage() {
  const { t, formatDateTime } = useI18n();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const navigate = useNavigate();
  const [status, setStatus] = useState<string | null>(null);
  const [type, setType] = useState<string | null>(null);
  const filters: JobFilters = { ...(status ? { status } : {}), ...(type ? { type } : {}) };
  const jobs = useJobPages(tenantId, filters);

  const open = (jobId: string) => void navigate({ to: '/t/$tenantId/jobs/$jobId', params: { tenantId, jobId } });

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
        <QueryState
          query={jobs}
          select={(d) => pageItems(d)}
          loading={<PageLoader rows={5} />}
          empty={<EmptyState message={status || type ? t('jobs.empty.filtered') : t('jobs.empty')} />}
        >
          {(items) => (
            <Stack gap="sm">
              <Table.ScrollContainer minWidth={760}>
                <Table highlightOnHover verticalSpacing="sm" data-testid="jobs-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('jobs.col.type')}</Table.Th>
                      <Table.Th>{t('jobs.col.status')}</Table.Th>
                      <Table.Th style={{ minWidth: 200 }}>{t('jobs.col.progress')}</Table.Th>
                      <Table.Th>{t('jobs.col.createdBy')}</Table.Th>
                      <Table.Th>{t('jobs.col.created')}</Table.Th>
                      <Table.Th>{t('jobs.col.duration')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((j) => (
                      <Table.Tr
                        key={j.id}
                        data-testid="job-row"
                        data-job-id={j.id}
                        data-status={j.status}
                        data-type={j.type}
                        style={{ cursor: 'pointer' }}
                        onClick={() => open(j.id)}
                      >
                        <Table.Td>
                          <AnchorLink
                            to="/t/$tenantId/jobs/$jobId"
                            params={{ tenantId, jobId: j.id }}
                            size="sm"
                            fw={600}
                            onClick={(e: React.MouseEvent) => e.stopPropagation()}
                          >
                            {jobTypeLabel(j.type)}
                          </AnchorLink>
                          {typeof j.input.query === 'string' && (
                            <Text size="xs" c="dimmed" truncate maw={260}>
                              {[j.input.query, typeof j.input.location === 'string' ? j.input.location : null].filter(Boolean).join(' · ')}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <JobStatusBadge status={j.status} />
                        </Table.Td>
                        <Table.Td>
                          <JobProgressBar job={j} size="sm" />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{j.createdBy?.name || t('jobs.system')}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                            {formatDateTime(j.createdAt)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                            {jobDuration(j) ?? '—'}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {jobs.hasNextPage && (
                <Group justify="center">
                  <Button
                    variant="default"
                    onClick={() => void jobs.fetchNextPage()}
                    loading={jobs.isFetchingNextPage}
                    data-testid="jobs-load-more"
                  >
                    {t('common.loadMore')}
                  </Button>
                </Group>
              )}
            </Stack>
          )}
        </QueryState>
      </Card>
    </Stack>
  );
}
