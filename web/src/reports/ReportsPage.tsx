import { useState } from 'react';
import { Button, Group, Select, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { can, jobStatuses, type Report } from '@optarget/shared';
import { jobStatusLabel } from '../jobs/format';
import { useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState, QueryState, pageItems } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { reportKeys, reportsApi, type ReportFilters } from './api';
import { RecommendationsCard } from './RecommendationsCard';
import { ReportCard } from './ReportCard';
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
      <QueryState query={reports} select={(d) => pageItems(d)} empty={<EmptyState message={t('reports.none')} />}>
        {(items) => (
          <Stack gap="xs">
            <Text size="sm" c="dimmed" data-testid="reports-shown">
              {t('reports.shown', { count: items.length })}
            </Text>
            {items.map((r) => (
              <ReportCard key={r.id} tenantId={tenantId} report={r} canWrite={canWrite} onShare={setSharing} showSubject />
            ))}
            {reports.hasNextPage && (
              <Button variant="default" onClick={() => void reports.fetchNextPage()} loading={reports.isFetchingNextPage}>
                {t('common.loadMore')}
              </Button>
            )}
          </Stack>
        )}
      </QueryState>
      {can(membership.role, 'settings.manage') && <RecommendationsCard tenantId={tenantId} />}
      <ShareModal tenantId={tenantId} report={sharing} onClose={() => setSharing(null)} />
    </Stack>
  );
}
