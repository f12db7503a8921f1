import { useState } from 'react';
import { Alert, Anchor, Button, Card, Code, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDownload } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { can, type AuditEntry, type AuditQuery } from '@optarget/shared';
import { appApi } from '../api/app';
import { keys } from '../api/queries';
import { useI18n } from '../i18n';
import { DataTable, type DataColumn } from '../lib/table/DataTable';
import { infiniteTableProps, useShownSummary } from '../lib/table/query';
import { byText, byTime } from '../lib/table/sort';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { auditActionLabel, auditActionOptions } from './labels';

interface FilterValues {
  actor: string;
  action: string;
  targetType: string;
  from: string;
  to: string;
}
const emptyFilters: FilterValues = { actor: '', action: '', targetType: '', from: '', to: '' };

/** Date inputs give local days; the API wants ISO instants (from = start of day, to = end of day). */
function toApiFilters(v: FilterValues): AuditQuery {
  const day = (s: string, end: boolean) => {
    if (!s) return undefined;
    const d = new Date(`${s}T00:00:00`);
    if (Number.isNaN(d.getTime())) return undefined;
    if (end) {
      d.setDate(d.getDate() + 1);
      d.setMilliseconds(-1);
    }
    return d.toISOString();
  };
  return {
    actor: v.actor.trim() || undefined,
    action: v.action.trim() || undefined,
    targetType: v.targetType.trim() || undefined,
    from: day(v.from, false),
    to: day(v.to, true),
  };
}

export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const summary = useShownSummary();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const [filters, setFilters] = useState<AuditQuery>({});
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const form = useForm<FilterValues>({ mode: 'controlled', initialValues: emptyFilters });
  const allowed = can(membership.role, 'audit.read');

  const logs = useInfiniteQuery({
    queryKey: keys.audit(tenantId, filters),
    queryFn: ({ pageParam }) => appApi.auditLogs(tenantId, filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: allowed,
  });

  if (!allowed) {
    return (
      <Stack>
        <PageHeader title={t('audit.title')} />
        <Alert color="yellow">{t('audit.forbidden')}</Alert>
      </Stack>
    );
  }

  const actorName = (e: AuditEntry) => e.actor.name ?? e.actor.email ?? t('audit.system');
  const columns: DataColumn<AuditEntry>[] = [
    {
      key: 'time',
      label: t('audit.col.time'),
      compare: byTime((e) => e.createdAt),
      firstDesc: true,
      cell: (e) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.createdAt)}</span>,
    },
    {
      key: 'actor',
      label: t('audit.col.actor'),
      compare: byText(actorName),
      cell: (e) => (
        <>
          <Text size="sm">{actorName(e)}</Text>
          {e.actor.name && e.actor.email && (
            <Text size="xs" c="dimmed">
              {e.actor.email}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'action',
      label: t('audit.col.action'),
      compare: byText((e) => auditActionLabel(e.action)),
      cell: (e) => (
        <>
          <Text size="sm">{auditActionLabel(e.action)}</Text>
          <Code fz="xs">{e.action}</Code>
        </>
      ),
    },
    {
      key: 'target',
      label: t('audit.col.target'),
      cell: (e) => (
        <>
          <Text size="sm">{e.targetType ?? '—'}</Text>
          {e.targetId && (
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {e.targetId}
            </Text>
          )}
        </>
      ),
    },
    { key: 'ip', label: t('audit.col.ip'), cell: (e) => e.ipAddress ?? '—' },
    {
      key: 'details',
      label: t('common.actions'),
      hideLabel: true,
      cell: (e) => (
        <Anchor component="button" type="button" size="sm" onClick={() => setSelected(e)}>
          {t('common.details')}
        </Anchor>
      ),
    },
  ];

  return (
    <Stack gap="lg" data-testid="audit-page">
      <PageHeader
        title={t('audit.title')}
        subtitle={t('audit.subtitle', { tenant: membership.name })}
        actions={
          <Button
            component="a"
            href={appApi.auditExportUrl(tenantId, filters)}
            download
            variant="default"
            leftSection={<IconDownload size={16} />}
          >
            {t('audit.export')}
          </Button>
        }
      />
      <Card withBorder padding="md" radius="md">
        <form
          onSubmit={form.onSubmit((v) => setFilters(toApiFilters(v)))}
          onReset={(e) => {
            e.preventDefault();
            form.setValues(emptyFilters);
            setFilters({});
          }}
          data-testid="audit-filters"
        >
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label={t('audit.filters.actor')}
              placeholder={t('audit.filters.actorPlaceholder')}
              autoFocus
              w={200}
              {...form.getInputProps('actor')}
            />
            <Select
              label={t('audit.filters.action')}
              placeholder={t('audit.filters.actionPlaceholder')}
              data={auditActionOptions()}
              searchable
              clearable
              w={260}
              value={form.values.action || null}
              onChange={(v) => form.setFieldValue('action', v ?? '')}
            />
            <TextInput
              label={t('audit.filters.targetType')}
              placeholder={t('audit.filters.targetTypePlaceholder')}
              w={160}
              {...form.getInputProps('targetType')}
            />
            <TextInput type="date" label={t('audit.filters.from')} w={160} {...form.getInputProps('from')} />
            <TextInput type="date" label={t('audit.filters.to')} w={160} {...form.getInputProps('to')} />
            <Button type="submit">{t('audit.filters.apply')}</Button>
            <Button type="reset" variant="subtle">
              {t('audit.filters.reset')}
            </Button>
          </Group>
        </form>
      </Card>
      <Card withBorder padding="lg" radius="md">
        <DataTable
          label={t('audit.title')}
          columns={columns}
          rowKey={(e) => e.id}
          {...infiniteTableProps(logs, summary)}
          defaultSort={{ key: 'time', desc: true }}
          empty={<EmptyState message={t('audit.empty')} />}
          rowAttributes={(e) => ({ 'data-testid': 'audit-row', 'data-action': e.action })}
          minWidth={760}
        />
      </Card>
      <Modal opened={selected !== null} onClose={() => setSelected(null)} title={t('audit.details.title')} size="lg" centered>
        {selected && (
          <Stack gap="xs">
            <Text size="sm">
              {auditActionLabel(selected.action)} <Code>{selected.action}</Code> · <bdi>{formatDateTime(selected.createdAt)}</bdi>
            </Text>
            {selected.userAgent && (
              <Text size="xs" c="dimmed">
                {t('audit.details.userAgent')}: {selected.userAgent}
              </Text>
            )}
            <Text size="sm" fw={600}>
              {t('audit.details.metadata')}
            </Text>
            <Code block>{JSON.stringify(selected.metadata, null, 2)}</Code>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
