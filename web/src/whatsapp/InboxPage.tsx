import { useState } from 'react';
import { Badge, Card, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { can, type WhatsappConversation } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { useMe } from '../api/queries';
import { useI18n } from '../i18n';
import { AnchorLink } from '../lib/links';
import { DataTable, type DataColumn } from '../lib/table/DataTable';
import { infiniteTableProps, useShownSummary } from '../lib/table/query';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState, pageItems } from '../shell/states';
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
  const canWrite = can(membership.role, 'data.write');
  const summary = useShownSummary();
  const columns: DataColumn<WhatsappConversation>[] = [
    { key: 'lead', label: t('whatsapp.inbox.lead'), cell: (c) => <ConversationLead tenantId={tenantId} conversation={c} /> },
    { key: 'last', label: t('whatsapp.inbox.last'), cell: (c) => <ConversationLast conversation={c} /> },
    {
      key: 'assignee',
      label: t('whatsapp.inbox.assignee'),
      width: 220,
      cell: (c) => <Assignee tenantId={tenantId} conversation={c} canWrite={canWrite} />,
    },
  ];
  return (
    <Stack gap="md" data-testid="whatsapp-inbox">
      <PageHeader title={t('whatsapp.inbox.title')} subtitle={t('whatsapp.inbox.subtitle')} />
      <SegmentedControl
        value={filter}
        onChange={(v) => setFilter(v as Filter)}
        data={(['all', 'unread', 'mine', 'unassigned'] as const).map((value) => ({ value, label: t(`whatsapp.inbox.filter.${value}`) }))}
        style={{ alignSelf: 'flex-start' }}
      />
      <Card withBorder padding="sm" radius="md">
        <DataTable
          label={t('whatsapp.inbox.title')}
          columns={columns}
          rowKey={(c) => c.leadId}
          {...infiniteTableProps(query, summary)}
          empty={<EmptyState message={filter === 'all' ? t('whatsapp.inbox.empty') : t('whatsapp.inbox.emptyFiltered')} />}
          rowAttributes={(c) => ({ 'data-testid': 'whatsapp-conversation', 'data-unread': String(c.unreadCount) })}
          renderCard={(c) => (
            <Card withBorder padding="sm" radius="md">
              <Stack gap={6}>
                <ConversationLead tenantId={tenantId} conversation={c} />
                <ConversationLast conversation={c} />
                <Assignee tenantId={tenantId} conversation={c} canWrite={canWrite} />
              </Stack>
            </Card>
          )}
          minWidth={640}
          bounded
          testId="whatsapp-conversations"
        />
      </Card>
    </Stack>
  );
}

function ConversationLead({ tenantId, conversation: c }: { tenantId: string; conversation: WhatsappConversation }) {
  const { t } = useI18n();
  return (
    <>
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
    </>
  );
}

function ConversationLast({ conversation: c }: { conversation: WhatsappConversation }) {
  const { formatDateTime } = useI18n();
  return (
    <>
      <Text size="sm" lineClamp={1} dir="auto" data-testid="whatsapp-preview">
        {c.lastMessagePreview}
      </Text>
      <Text size="xs" c="dimmed">
        {formatDateTime(c.lastMessageAt)}
      </Text>
    </>
  );
}

/** Who answers the conversation, changeable by whoever may write. */
function Assignee({ tenantId, conversation: c, canWrite }: { tenantId: string; conversation: WhatsappConversation; canWrite: boolean }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const members = useMembers(tenantId);
  const options = (members.data ? pageItems(members.data) : []).map((m) => ({ value: m.userId, label: m.name || m.email }));
  const assign = (userId: string | null) =>
    void whatsappApi.assign(tenantId, c.leadId, userId).then(
      () => queryClient.invalidateQueries({ queryKey: whatsappKeys.all(tenantId) }),
      (err) => notifications.show({ color: 'red', message: errorMessage(err) }),
    );
  return (
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
  );
}
