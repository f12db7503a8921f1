import { useState } from 'react';
import { Badge, Button, Card, Group, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { can, type WhatsappConversation } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { useMe } from '../api/queries';
import { useI18n } from '../i18n';
import { AnchorLink } from '../lib/links';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState, pageItems, PageLoader, QueryState } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { useMembers } from '../team/hooks';
import { whatsappApi, whatsappKeys } from './api';
import { useWhatsappLive } from './useWhatsappLive';

type Filter = 'all' | 'unread' | 'mine' | 'unassigned';

/** Every WhatsApp conversation of the tenant, latest activity first, updating live. */
export function InboxPage() {
  const { t } = useI18n();
  const membership = useTenantMembership();
  const tenantId = membership.tenantId;
  const myId = useMe().data?.user.id;
  const [filter, setFilter] = useState<Filter>('all');
  useWhatsappLive(tenantId);
  const query = useInfiniteQuery({
    queryKey: whatsappKeys.conversations(tenantId, filter),
    queryFn: ({ pageParam }) =>
      whatsappApi.conversations(tenantId, {
        cursor: pageParam,
        ...(filter === 'unread' ? { unread: 'true' as const } : {}),
        ...(filter === 'mine' && myId ? { assigned: myId } : filter === 'unassigned' ? { assigned: 'none' } : {}),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return (
    <Stack gap="md" data-testid="whatsapp-inbox">
      <PageHeader title={t('whatsapp.inbox.title')} subtitle={t('whatsapp.inbox.subtitle')} />
      <SegmentedControl
        value={filter}
        onChange={(v) => setFilter(v as Filter)}
        data={(['all', 'unread', 'mine', 'unassigned'] as const).map((value) => ({ value, label: t(`whatsapp.inbox.filter.${value}`) }))}
        style={{ alignSelf: 'flex-start' }}
      />
      <Card withBorder padding={0} radius="md">
        <QueryState
          query={query}
          select={(d) => pageItems(d)}
          loading={<PageLoader rows={4} />}
          empty={<EmptyState message={filter === 'all' ? t('whatsapp.inbox.empty') : t('whatsapp.inbox.emptyFiltered')} />}
        >
          {(items) => (
            <>
              <Table.ScrollContainer minWidth={640}>
                <Table highlightOnHover verticalSpacing="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('whatsapp.inbox.lead')}</Table.Th>
                      <Table.Th>{t('whatsapp.inbox.last')}</Table.Th>
                      <Table.Th>{t('whatsapp.inbox.assignee')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((c) => (
                      <ConversationRow key={c.leadId} tenantId={tenantId} conversation={c} canWrite={can(membership.role, 'data.write')} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {query.hasNextPage && (
                <Group justify="center" p="sm">
                  <Button variant="default" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
                    {t('common.loadMore')}
                  </Button>
                </Group>
              )}
            </>
          )}
        </QueryState>
      </Card>
    </Stack>
  );
}

function ConversationRow({
  tenantId,
  conversation: c,
  canWrite,
}: {
  tenantId: string;
  conversation: WhatsappConversation;
  canWrite: boolean;
}) {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const members = useMembers(tenantId);
  const options = (members.data ? pageItems(members.data) : []).map((m) => ({ value: m.userId, label: m.name || m.email }));
  const assign = (userId: string | null) =>
    void whatsappApi.assign(tenantId, c.leadId, userId).then(
      () => queryClient.invalidateQueries({ queryKey: whatsappKeys.all(tenantId) }),
      (err) => notifications.show({ color: 'red', message: errorMessage(err) }),
    );
  return (
    <Table.Tr data-testid="whatsapp-conversation" data-unread={c.unreadCount}>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <AnchorLink to="/t/$tenantId/leads/$leadId" params={{ tenantId, leadId: c.leadId }} fw={c.unreadCount ? 700 : 400}>
            <bdi>{c.leadName}</bdi>
          </AnchorLink>
          {c.unreadCount > 0 && (
            <Badge size="sm" circle aria-label={t('whatsapp.inbox.unread', { count: c.unreadCount })}>
              {c.unreadCount}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed" dir="ltr">
          {c.phone}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" lineClamp={1} dir="auto" data-testid="whatsapp-preview">
          {c.lastMessagePreview}
        </Text>
        <Text size="xs" c="dimmed">
          {formatDateTime(c.lastMessageAt)}
        </Text>
      </Table.Td>
      <Table.Td w={220}>
        <Select
          aria-label={t('whatsapp.inbox.assignee')}
          placeholder={t('whatsapp.inbox.nobody')}
          data={options}
          value={c.assignedUserId}
          onChange={assign}
          clearable
          disabled={!canWrite}
          size="xs"
        />
      </Table.Td>
    </Table.Tr>
  );
}
