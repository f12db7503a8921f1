import { useEffect } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Lead, WhatsappConversation } from '@optarget/shared';
import { tDynamic, useI18n } from '../i18n';
import { PageLoader, QueryState } from '../shell/states';
import { whatsappApi, whatsappKeys } from './api';
import { Composer } from './Composer';
import { ConsentActions } from './ConsentActions';
import { Thread } from './Thread';
import { useOlderMessages } from './useOlderMessages';
import { useWhatsappLive } from './useWhatsappLive';

const consentColor = { NONE: 'gray', OPTED_IN: 'green', OPTED_OUT: 'red' } as const;

/** The lead page's WhatsApp: consent, the 24-hour window, the thread and a composer that offers what is allowed. */
export function WhatsappCard({ tenantId, lead, canWrite }: { tenantId: string; lead: Lead; canWrite: boolean }) {
  const leadId = lead.id;
  const { t } = useI18n();
  const queryClient = useQueryClient();
  useWhatsappLive(tenantId);
  const query = useQuery({ queryKey: whatsappKeys.thread(tenantId, leadId), queryFn: () => whatsappApi.thread(tenantId, leadId) });
  const unread = query.data?.conversation.unreadCount ?? 0;
  const older = useOlderMessages(tenantId, leadId, query.data?.olderCursor ?? null);
  useEffect(() => {
    if (!canWrite || unread === 0) return;
    void whatsappApi.markRead(tenantId, leadId).then((thread) => queryClient.setQueryData(whatsappKeys.thread(tenantId, leadId), thread));
  }, [canWrite, unread, tenantId, leadId, queryClient]);
  return (
    <Card withBorder padding="lg" radius="md" data-testid="lead-whatsapp">
      <Title order={2} size="h4" mb="sm">
        {t('whatsapp.lead.title')}
      </Title>
      <QueryState query={query} loading={<PageLoader rows={2} />}>
        {({ conversation, messages }) => (
          <Stack gap="md">
            <ConversationState conversation={conversation} />
            <ConsentActions tenantId={tenantId} conversation={conversation} canWrite={canWrite} />
            {older.hasOlder && (
              <Button
                size="xs"
                variant="subtle"
                loading={older.loading}
                onClick={() => void older.loadOlder()}
                data-testid="whatsapp-load-older"
              >
                {t('whatsapp.thread.older')}
              </Button>
            )}
            <Thread messages={older.withOlder(messages)} />
            {canWrite && <Composer tenantId={tenantId} conversation={conversation} lead={lead} />}
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}

function ConversationState({ conversation: c }: { conversation: WhatsappConversation }) {
  const { t, formatDateTime } = useI18n();
  const closes = c.windowClosesAt ? new Date(c.windowClosesAt) : null;
  const open = closes !== null && closes.getTime() > Date.now();
  const left = open ? closes.getTime() - Date.now() : 0;
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Badge color={consentColor[c.consent.state]} variant="light" data-testid="whatsapp-consent" data-state={c.consent.state}>
          {t(`whatsapp.consent.${c.consent.state}`)}
        </Badge>
        <Badge color={open ? 'teal' : 'gray'} variant="outline" data-testid="whatsapp-window" data-open={open}>
          {open
            ? t('whatsapp.window.open', { hours: Math.floor(left / 3_600_000), minutes: Math.floor((left % 3_600_000) / 60_000) })
            : t('whatsapp.window.closed')}
        </Badge>
      </Group>
      {c.consent.state !== 'NONE' && (
        <Text size="xs" c="dimmed" data-testid="whatsapp-consent-detail">
          {tDynamic(`whatsapp.consentSource.${c.consent.source ?? ''}`, c.consent.source ?? '')} · {formatDateTime(c.consent.at)}
          {c.consent.proof && c.consent.state === 'OPTED_IN' && (
            <>
              {' '}
              · <bdi>{c.consent.proof}</bdi>
            </>
          )}
          {c.consent.optOutReason && c.consent.state === 'OPTED_OUT' && (
            <>
              {' '}
              · <bdi>{c.consent.optOutReason}</bdi>
            </>
          )}
        </Text>
      )}
      {(c.textBlockedBy || c.templateBlockedBy) && (
        <Alert color="yellow" variant="light" p="xs" data-testid="whatsapp-blocked">
          <Text size="sm">{whyBlocked(c)}</Text>
        </Alert>
      )}
    </Stack>
  );
}

/** What stops messages to this lead now, and what would allow them, in one sentence or two. */
function whyBlocked(c: WhatsappConversation): string {
  const reasons = new Set([c.textBlockedBy, c.templateBlockedBy].filter((b): b is NonNullable<typeof b> => b !== null));
  return [...reasons].map((b) => tDynamic(`whatsapp.blocked.${b}`, b)).join(' ');
}
