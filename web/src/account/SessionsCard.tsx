import { Badge, Button, Card, Group, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { authApi, type SessionRow } from '../api/auth';
import { errorMessage } from '../api/client';
import { keys, sessionQuery } from '../api/queries';
import { confirmAction } from '../lib/confirm';
import { useI18n, type TFunction } from '../i18n';
import { EmptyState, PageLoader, QueryState } from '../shell/states';

/** A short, human description of a user agent ("Chrome on macOS"). */
function describeAgent(ua: string | null | undefined, t: TFunction): string {
  if (!ua) return t('common.unknown');
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  if (browser && os) return `${browser} · ${os}`;
  return browser ?? os ?? ua.slice(0, 60);
}

const lastActiveFirst = (sessions: SessionRow[]) => [...sessions].sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));

export function SessionsCard() {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: keys.sessions, queryFn: authApi.listSessions });
  const current = useQuery(sessionQuery);
  const currentToken = current.data?.session.token;
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.sessions });
  const fail = (e: unknown) => notifications.show({ color: 'red', message: errorMessage(e) });

  const revoke = useMutation({
    mutationFn: (s: SessionRow) => authApi.revokeSession(s.token),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('account.sessions.revoked') });
      void refresh();
    },
    onError: fail,
  });
  const revokeOthers = useMutation({
    mutationFn: () => authApi.revokeOtherSessions(),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('account.sessions.othersRevoked') });
      void refresh();
    },
    onError: fail,
  });

  const others = (sessions.data ?? []).filter((s) => s.token !== currentToken);

  return (
    <Card withBorder padding="lg" radius="md" data-testid="sessions-card">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={2} size="h4">
            {t('account.sessions.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('account.sessions.subtitle')}
          </Text>
        </div>
        <Button
          variant="light"
          color="red"
          size="xs"
          disabled={others.length === 0}
          loading={revokeOthers.isPending}
          onClick={() =>
            confirmAction({
              title: t('account.sessions.revokeOthersConfirm.title'),
              message: t('account.sessions.revokeOthersConfirm.body'),
              confirmLabel: t('account.sessions.revokeOthers'),
              onConfirm: () => revokeOthers.mutate(),
            })
          }
        >
          {t('account.sessions.revokeOthers')}
        </Button>
      </Group>
      <QueryState
        query={sessions}
        select={lastActiveFirst}
        loading={<PageLoader rows={2} />}
        empty={<EmptyState message={t('account.sessions.empty')} />}
      >
        {(list) => (
          <Table.ScrollContainer minWidth={680}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('account.sessions.device')}</Table.Th>
                  <Table.Th>{t('account.sessions.ip')}</Table.Th>
                  <Table.Th>{t('account.sessions.created')}</Table.Th>
                  <Table.Th>{t('account.sessions.lastActive')}</Table.Th>
                  <Table.Th>{t('account.sessions.expires')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((s) => {
                  const device = describeAgent(s.userAgent, t);
                  const isCurrent = s.token === currentToken;
                  return (
                    <Table.Tr key={s.id} data-testid="session-row">
                      <Table.Td>
                        <Text size="sm" title={s.userAgent ?? undefined}>
                          {device}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{s.ipAddress || '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(s.createdAt)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(s.updatedAt)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(s.expiresAt)}</Text>
                      </Table.Td>
                      <Table.Td>
                        {isCurrent ? (
                          <Badge variant="light" color="green">
                            {t('account.sessions.current')}
                          </Badge>
                        ) : (
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            aria-label={t('account.sessions.revokeLabel', { device })}
                            onClick={() =>
                              confirmAction({
                                title: t('account.sessions.revokeConfirm.title'),
                                message: t('account.sessions.revokeConfirm.body', { device }),
                                confirmLabel: t('account.sessions.revoke'),
                                onConfirm: () => revoke.mutate(s),
                              })
                            }
                          >
                            {t('account.sessions.revoke')}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}
