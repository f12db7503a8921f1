import { Badge, Button, Card, Group, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { authApi, type SessionRow } from '../api/auth';
import { errorMessage } from '../api/client';
import { keys, sessionQuery } from '../api/queries';
import { confirmAction } from '../lib/confirm';
import { DataTable, type DataColumn } from '../lib/table/DataTable';
import { byText, byTime } from '../lib/table/sort';
import { useI18n, type TFunction } from '../i18n';
import { EmptyState } from '../shell/states';

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

export function SessionsCard() {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: keys.sessions, queryFn: authApi.listSessions });
  const current = useQuery(sessionQuery);
  const currentId = current.data?.session.id;
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.sessions });
  const fail = (e: unknown) => notifications.show({ color: 'red', message: errorMessage(e) });

  const revoke = useMutation({
    mutationFn: (s: SessionRow) => authApi.revokeSession(s.id),
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

  const others = (sessions.data ?? []).filter((s) => s.id !== currentId);

  const columns: DataColumn<SessionRow>[] = [
    {
      key: 'device',
      label: t('account.sessions.device'),
      compare: byText((s) => describeAgent(s.userAgent, t)),
      cell: (s) => <span title={s.userAgent ?? undefined}>{describeAgent(s.userAgent, t)}</span>,
    },
    { key: 'ip', label: t('account.sessions.ip'), cell: (s) => s.ipAddress || '—' },
    {
      key: 'created',
      label: t('account.sessions.created'),
      compare: byTime((s) => s.createdAt),
      firstDesc: true,
      cell: (s) => formatDateTime(s.createdAt),
    },
    {
      key: 'lastActive',
      label: t('account.sessions.lastActive'),
      compare: byTime((s) => s.updatedAt),
      firstDesc: true,
      cell: (s) => formatDateTime(s.updatedAt),
    },
    { key: 'expires', label: t('account.sessions.expires'), compare: byTime((s) => s.expiresAt), cell: (s) => formatDateTime(s.expiresAt) },
    {
      key: 'actions',
      label: t('common.actions'),
      hideLabel: true,
      cell: (s) => {
        const device = describeAgent(s.userAgent, t);
        return s.id === currentId ? (
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
        );
      },
    },
  ];

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
      <DataTable
        label={t('account.sessions.title')}
        columns={columns}
        rowKey={(s) => s.id}
        rows={sessions.data}
        error={sessions.isError ? sessions.error : undefined}
        onRetry={() => void sessions.refetch()}
        defaultSort={{ key: 'lastActive', desc: true }}
        empty={<EmptyState message={t('account.sessions.empty')} />}
        rowAttributes={() => ({ 'data-testid': 'session-row' })}
        minWidth={680}
      />
    </Card>
  );
}
