import { useState } from 'react';
import { Card, Group, Paper, SegmentedControl, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { outreachPeriods, type OutreachFilter, type OutreachStats } from '@optarget/shared';
import { AnchorLink } from '../lib/links';
import { useI18n } from '../i18n';
import { QueryState } from '../shell/states';
import { outreachApi, outreachKeys } from './api';

const tiles: OutreachFilter[] = ['messaged', 'delivered', 'replied', 'failed', 'optedOut', 'awaitingReply', 'reportViewed'];
const MAX_DAYS_SHOWN = 14;

/** WhatsApp outreach over a period: each number opens the leads behind it in the lead table. */
export function OutreachCard({ tenantId }: { tenantId: string }) {
  const { t } = useI18n();
  const [days, setDays] = useState(30);
  const stats = useQuery({ queryKey: outreachKeys.stats(tenantId, days), queryFn: () => outreachApi.stats(tenantId, days) });
  return (
    <Card withBorder padding="lg" radius="md" data-testid="dashboard-outreach">
      <Group justify="space-between" mb="md" wrap="wrap">
        <Title order={2} size="h4">
          {t('outreach.title')}
        </Title>
        <SegmentedControl
          size="xs"
          aria-label={t('outreach.period')}
          value={String(days)}
          onChange={(v) => setDays(Number(v))}
          data={outreachPeriods.map((d) => ({ value: String(d), label: t('outreach.days', { count: d }) }))}
        />
      </Group>
      <QueryState
        query={stats}
        loading={<Skeleton height={180} data-testid="outreach-loading" />}
        isEmpty={(s) => Object.values(s.leads).every((n) => n === 0) && s.reportViews === 0}
        empty={
          <Text c="dimmed" data-testid="outreach-empty">
            {t('outreach.empty')}
          </Text>
        }
      >
        {(s) => <OutreachStatsView tenantId={tenantId} stats={s} />}
      </QueryState>
    </Card>
  );
}

function OutreachStatsView({ tenantId, stats }: { tenantId: string; stats: OutreachStats }) {
  const { t, formatNumber } = useI18n();
  const percent = (rate: number | null) => (rate === null ? null : t('outreach.rate', { percent: Math.round(rate * 100) }));
  const hint: Partial<Record<OutreachFilter, string | null>> = {
    delivered: percent(stats.deliveryRate),
    replied: percent(stats.replyRate),
    reportViewed: t('outreach.views', { count: formatNumber(stats.reportViews) }),
  };
  const active = stats.series
    .filter((d) => d.sent > 0)
    .reverse()
    .slice(0, MAX_DAYS_SHOWN);
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {tiles.map((kind) => (
          <Paper key={kind} withBorder p="sm" radius="md" data-testid={`outreach-${kind}`} data-count={stats.leads[kind]}>
            <Text size="xs" c="dimmed" fw={700}>
              {t(`outreach.filter.${kind}`)}
            </Text>
            <AnchorLink
              to="/t/$tenantId/leads"
              params={{ tenantId }}
              search={{ outreach: kind, outreachFrom: kind === 'awaitingReply' ? undefined : stats.from }}
              size="xl"
              fw={800}
              aria-label={t('outreach.open', { count: formatNumber(stats.leads[kind]), what: t(`outreach.filter.${kind}`) })}
            >
              {formatNumber(stats.leads[kind])}
            </AnchorLink>
            {hint[kind] && (
              <Text size="xs" c="dimmed">
                {hint[kind]}
              </Text>
            )}
          </Paper>
        ))}
      </SimpleGrid>
      <Title order={3} size="h5">
        {t('outreach.results')}
      </Title>
      {active.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('outreach.results.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table striped data-testid="outreach-results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('outreach.col.day')}</Table.Th>
                <Table.Th>{t('outreach.col.sent')}</Table.Th>
                <Table.Th>{t('outreach.col.delivered')}</Table.Th>
                <Table.Th>{t('outreach.col.read')}</Table.Th>
                <Table.Th>{t('outreach.col.failed')}</Table.Th>
                <Table.Th>{t('outreach.col.replied')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {active.map((d) => (
                <Table.Tr key={d.day}>
                  <Table.Td>{d.day}</Table.Td>
                  <Table.Td>{formatNumber(d.sent)}</Table.Td>
                  <Table.Td>{formatNumber(d.delivered)}</Table.Td>
                  <Table.Td>{formatNumber(d.read)}</Table.Td>
                  <Table.Td>{formatNumber(d.failed)}</Table.Td>
                  <Table.Td>{formatNumber(d.replied)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
