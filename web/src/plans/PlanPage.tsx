import { Badge, Button, Card, Group, List, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { can, type Plan, type Usage } from '@optarget/shared';
import { appApi } from '../api/app';
import { errorMessage } from '../api/client';
import { keys } from '../api/queries';
import { confirmAction } from '../lib/confirm';
import { tDynamic, useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState, PageLoader, QueryState } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';

const isUnlimited = (limit: number) => limit < 0 || !Number.isFinite(limit);
const metricLabel = (m: string) => tDynamic(`plans.metric.${m}`, m);

export function PlanPage() {
  const { t, formatMoney } = useI18n();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const queryClient = useQueryClient();
  const plan = useQuery({ queryKey: keys.plan(tenantId), queryFn: () => appApi.plan(tenantId) });
  const usage = useQuery({ queryKey: keys.usage(tenantId), queryFn: () => appApi.usage(tenantId) });
  const plans = useQuery({ queryKey: keys.plans, queryFn: appApi.plans, staleTime: 5 * 60_000 });
  const canChange = can(membership.role, 'plan.change');

  const change = useMutation({
    mutationFn: (target: Plan) => appApi.changePlan(tenantId, target.code),
    onSuccess: async (newPlan) => {
      notifications.show({ color: 'green', message: t('plans.changed', { tenant: membership.name, plan: newPlan.name }) });
      queryClient.setQueryData(keys.plan(tenantId), newPlan);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.usage(tenantId) }),
        queryClient.invalidateQueries({ queryKey: keys.me }),
      ]);
    },
    onError: (e) => notifications.show({ color: 'red', message: errorMessage(e) }),
  });

  const price = (p: Plan) => (p.priceCents === 0 ? t('plans.free') : t('plans.price', { price: formatMoney(p.priceCents, p.currency) }));
  const current = plan.data;

  return (
    <Stack gap="lg" data-testid="plan-page">
      <PageHeader title={t('plans.title')} subtitle={usage.data ? t('plans.period', { period: usage.data.period }) : undefined} />

      <Card withBorder padding="lg" radius="md">
        <QueryState query={plan} loading={<PageLoader rows={1} />}>
          {(currentPlan) => (
            <Group justify="space-between">
              <div>
                <Text size="sm" c="dimmed">
                  {t('plans.current')}
                </Text>
                <Title order={2} size="h3" data-testid="current-plan">
                  {currentPlan.name}
                </Title>
              </div>
              <Text fw={600}>{price(currentPlan)}</Text>
            </Group>
          )}
        </QueryState>
      </Card>

      <Card withBorder padding="lg" radius="md">
        <Title order={2} size="h4" mb="md">
          {t('plans.usage.title')}
        </Title>
        <QueryState
          query={usage}
          loading={<PageLoader rows={3} />}
          isEmpty={(u) => u.metrics.length === 0}
          empty={<EmptyState message={t('plans.usage.empty')} />}
        >
          {(u) => <UsageBars usage={u} />}
        </QueryState>
      </Card>

      <div>
        <Title order={2} size="h4" mb="md">
          {t('plans.catalogue')}
        </Title>
        {!canChange && (
          <Text size="sm" c="dimmed" mb="sm">
            {t('plans.ownerOnly')}
          </Text>
        )}
        <QueryState
          query={plans}
          select={(d) => d.items}
          loading={<PageLoader rows={2} />}
          empty={<EmptyState message={t('plans.catalogue.empty')} />}
        >
          {(items) => (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
              {items.map((p) => {
                const isCurrent = current?.code === p.code;
                return (
                  <Card
                    key={p.code}
                    withBorder
                    padding="lg"
                    radius="md"
                    data-testid="plan-card"
                    data-plan={p.code}
                    style={isCurrent ? { borderColor: 'var(--mantine-color-blue-5)', borderWidth: 2 } : undefined}
                  >
                    <Stack gap="sm" h="100%">
                      <Group justify="space-between">
                        <Title order={3} size="h4">
                          {p.name}
                        </Title>
                        {isCurrent && <Badge>{t('plans.currentBadge')}</Badge>}
                      </Group>
                      <Text fw={600}>{price(p)}</Text>
                      <List size="sm" spacing={4} style={{ flex: 1 }}>
                        {(Object.keys(p.limits) as (keyof Plan['limits'])[]).map((k) => (
                          <List.Item key={k}>
                            {metricLabel(k)}: <LimitValue metric={k} value={p.limits[k]} />
                          </List.Item>
                        ))}
                      </List>
                      {canChange && !isCurrent && (
                        <Button
                          variant="light"
                          loading={change.isPending && change.variables?.code === p.code}
                          onClick={() =>
                            confirmAction({
                              title: t('plans.confirm.title'),
                              message: t('plans.confirm.body', { tenant: membership.name, from: current?.name ?? '', to: p.name }),
                              confirmLabel: t('plans.choose', { name: p.name }),
                              danger: false,
                              onConfirm: () => change.mutate(p),
                            })
                          }
                        >
                          {t('plans.choose', { name: p.name })}
                        </Button>
                      )}
                    </Stack>
                  </Card>
                );
              })}
            </SimpleGrid>
          )}
        </QueryState>
      </div>
    </Stack>
  );
}

const monthlyLimits = new Set(['searches', 'enrichments', 'reports', 'whatsappMessages']);

function LimitValue({ metric, value }: { metric: string; value: number }) {
  const { t, formatNumber } = useI18n();
  if (isUnlimited(value)) return <>{t('common.unlimited')}</>;
  return <>{monthlyLimits.has(metric) ? t('plans.limit.perMonth', { value: formatNumber(value) }) : formatNumber(value)}</>;
}

function UsageBars({ usage }: { usage: Usage }) {
  const { t, formatNumber } = useI18n();
  return (
    <Stack gap="md">
      {usage.metrics.map((m) => {
        const unlimited = isUnlimited(m.limit);
        const pct = unlimited ? 0 : m.limit === 0 ? (m.used > 0 ? 100 : 0) : Math.min(100, (m.used / m.limit) * 100);
        const color = pct >= 100 ? 'red' : pct >= 80 ? 'orange' : 'blue';
        const label = metricLabel(m.metric);
        return (
          <div key={m.metric} data-testid="usage-metric" data-metric={m.metric}>
            <Group justify="space-between" mb={4}>
              <Text size="sm" fw={500}>
                {label}{' '}
                <Text span size="xs" c="dimmed">
                  ({m.monthly ? t('plans.usage.monthly') : t('plans.usage.total')})
                </Text>
              </Text>
              <Text size="sm" c="dimmed">
                {unlimited
                  ? t('plans.usage.valueUnlimited', { used: formatNumber(m.used) })
                  : t('plans.usage.value', { used: formatNumber(m.used), limit: formatNumber(m.limit) })}
              </Text>
            </Group>
            <Progress value={pct} color={color} aria-label={label} size="lg" radius="xl" />
          </div>
        );
      })}
    </Stack>
  );
}
