import { useState } from 'react';
import { Alert, Anchor, Button, Card, Code, Group, Modal, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDownload } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { can, type AuditEntry } from '@optarget/shared';
import { appApi, type AuditFilters } from '../api/app';
import { keys } from '../api/queries';
import { useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState, QueryState, pageItems } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';

interface FilterValues {
  actor: string;
  action: string;
  targetType: string;
  from: string;
  to: string;
}
const emptyFilters: FilterValues = { actor: '', action: '', targetType: '', from: '', to: '' };

/** Date inputs give local days; the API wants ISO instants (from = start of day, to = end of day). */
function toApiFilters(v: FilterValues): AuditFilters {
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
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const [filters, setFilters] = useState<AuditFilters>({});
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
            <TextInput
              label={t('audit.filters.action')}
              placeholder={t('audit.filters.actionPlaceholder')}
              w={200}
              {...form.getInputProps('action')}
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
        <QueryState query={logs} select={(d) => pageItems(d)} empty={<EmptyState message={t('audit.empty')} />}>
          {(entries) => (
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing="xs" highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('audit.col.time')}</Table.Th>
                    <Table.Th>{t('audit.col.actor')}</Table.Th>
                    <Table.Th>{t('audit.col.action')}</Table.Th>
                    <Table.Th>{t('audit.col.target')}</Table.Th>
                    <Table.Th>{t('audit.col.ip')}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {entries.map((e) => (
                    <Table.Tr key={e.id} data-testid="audit-row" data-action={e.action}>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(e.createdAt)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.actor.name ?? e.actor.email ?? t('audit.system')}</Text>
                        {e.actor.name && e.actor.email && (
                          <Text size="xs" c="dimmed">
                            {e.actor.email}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Code>{e.action}</Code>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.targetType ?? '—'}</Text>
                        {e.targetId && (
                          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                            {e.targetId}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.ipAddress ?? '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Anchor component="button" type="button" size="sm" onClick={() => setSelected(e)}>
                          {t('common.details')}
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
        {logs.hasNextPage && (
          <Group justify="center" mt="md">
            <Button variant="default" onClick={() => void logs.fetchNextPage()} loading={logs.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          </Group>
        )}
      </Card>
      <Modal opened={selected !== null} onClose={() => setSelected(null)} title={t('audit.details.title')} size="lg" centered>
        {selected && (
          <Stack gap="xs">
            <Text size="sm">
              <Code>{selected.action}</Code> · <bdi>{formatDateTime(selected.createdAt)}</bdi>
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
