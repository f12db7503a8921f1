import { Card, Group, Paper, Progress, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconFileImport, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { can, leadStatuses, type Dashboard, type ScoreBand } from '@optarget/shared';
import { leadKeys, leadsApi } from '../api/leads';
import { ButtonLink } from '../lib/links';
import { useI18n, useT } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { QueryState } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { statusColor, statusLabel } from '../leads/hooks';
import { JobsCard } from './JobsCard';
import { OutreachCard } from './OutreachCard';

const bands: ScoreBand[] = ['75-100', '50-74', '25-49', '0-24'];
const bandColor: Record<ScoreBand, string> = { '75-100': 'green', '50-74': 'teal', '25-49': 'yellow', '0-24': 'gray' };

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={800}>
        {value}
      </Text>
    </Paper>
  );
}

function Bars({
  title,
  rows,
  total,
  testId,
}: {
  title: string;
  rows: { key: string; label: string; count: number; color: string }[];
  total: number;
  testId: string;
}) {
  const { t, formatNumber } = useI18n();
  return (
    <Card withBorder padding="lg" radius="md" data-testid={testId}>
      <Title order={2} size="h4" mb="md">
        {title}
      </Title>
      <Stack gap="sm">
        {rows.map((r) => {
          const pct = total > 0 ? Math.round((r.count / total) * 100) : 0;
          return (
            <div key={r.key} data-key={r.key} data-count={r.count}>
              <Group justify="space-between" mb={4}>
                <Text size="sm">{r.label}</Text>
                <Text size="sm" fw={600}>
                  {t('dashboard.share', { count: formatNumber(r.count), percent: pct })}
                </Text>
              </Group>
              <Progress value={pct} color={r.color} size="lg" radius="sm" aria-label={r.label} />
            </div>
          );
        })}
      </Stack>
    </Card>
  );
}

export function DashboardPage() {
  const t = useT();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const canWrite = can(membership.role, 'data.write');
  const dash = useQuery({ queryKey: leadKeys.dashboard(tenantId), queryFn: () => leadsApi.dashboard(tenantId) });

  return (
    <Stack gap="lg" data-testid="dashboard-page">
      <PageHeader title={t('dashboard.title')} subtitle={t('dashboard.subtitle', { tenant: membership.name })} />
      <QueryState
        query={dash}
        loading={<DashboardSkeleton />}
        isEmpty={(d) => d.totalLeads === 0}
        empty={<DashboardEmpty tenantId={tenantId} canWrite={canWrite} />}
      >
        {(d) => <DashboardStats tenantId={tenantId} dashboard={d} />}
      </QueryState>
      <OutreachCard tenantId={tenantId} />
      <JobsCard tenantId={tenantId} />
    </Stack>
  );
}

function DashboardSkeleton() {
  const t = useT();
  return (
    <Stack gap="md" role="status" aria-busy="true" aria-label={t('common.loading')} data-testid="loading">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} height={84} />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Skeleton height={260} />
        <Skeleton height={260} />
      </SimpleGrid>
    </Stack>
  );
}

/** What a tenant without leads sees: how to add the first ones. */
function DashboardEmpty({ tenantId, canWrite }: { tenantId: string; canWrite: boolean }) {
  const t = useT();
  return (
    <Card withBorder padding="xl" radius="md" data-testid="dashboard-empty">
      <Stack align="center" gap="sm">
        <Title order={2} size="h3">
          {t('dashboard.empty.title')}
        </Title>
        <Text c="dimmed" ta="center" maw={520}>
          {t('dashboard.empty.body')}
        </Text>
        <Group>
          <ButtonLink to="/t/$tenantId/leads" params={{ tenantId }} search={{}} leftSection={canWrite ? <IconPlus size={16} /> : undefined}>
            {canWrite ? t('leads.empty.create') : t('dashboard.openLeads')}
          </ButtonLink>
          {canWrite && (
            <ButtonLink to="/t/$tenantId/leads/import" params={{ tenantId }} variant="light" leftSection={<IconFileImport size={16} />}>
              {t('leads.empty.import')}
            </ButtonLink>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

function DashboardStats({ tenantId, dashboard: d }: { tenantId: string; dashboard: Dashboard }) {
  const { t, formatNumber } = useI18n();
  const byStatus = new Map(d.byStatus.map((s) => [s.status, s.count]));
  const byBand = new Map(d.byScoreBand.map((s) => [s.band, s.count]));
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Stat label={t('dashboard.total')} value={formatNumber(d.totalLeads)} testId="dashboard-total" />
        <Stat label={t('dashboard.newThisWeek')} value={formatNumber(d.newThisWeek)} testId="dashboard-new-week" />
        <Stat label={t('dashboard.lists')} value={formatNumber(d.lists)} testId="dashboard-lists" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Bars
          title={t('dashboard.byStatus')}
          total={d.totalLeads}
          testId="dashboard-by-status"
          rows={leadStatuses.map((s) => ({ key: s, label: statusLabel(s), count: byStatus.get(s) ?? 0, color: statusColor[s] }))}
        />
        <Bars
          title={t('dashboard.byScore')}
          total={d.totalLeads}
          testId="dashboard-by-score"
          rows={bands.map((b) => ({ key: b, label: t('dashboard.band', { band: b }), count: byBand.get(b) ?? 0, color: bandColor[b] }))}
        />
      </SimpleGrid>
      <Group>
        <ButtonLink to="/t/$tenantId/leads" params={{ tenantId }} search={{}} variant="light">
          {t('dashboard.openLeads')}
        </ButtonLink>
      </Group>
    </Stack>
  );
}
