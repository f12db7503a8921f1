import { Badge, Button, Card, Group, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { roles, type Invite, type Membership } from '@optarget/shared';
import { appApi } from '../api/app';
import { errorMessage } from '../api/client';
import { keys } from '../api/queries';
import { confirmAction } from '../lib/confirm';
import { DataTable, type DataColumn } from '../lib/table/DataTable';
import { infiniteTableProps, useShownSummary } from '../lib/table/query';
import { byText, byTime } from '../lib/table/sort';
import { tDynamic, useI18n } from '../i18n';
import { EmptyState } from '../shell/states';
import { useInvites } from './hooks';
import { roleLabel } from './roles';

export function InvitesSection({ membership }: { membership: Membership }) {
  const { t, formatDate } = useI18n();
  const summary = useShownSummary();
  const { tenantId } = membership;
  const queryClient = useQueryClient();
  const invites = useInvites(tenantId, true);
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.invites(tenantId) });
  const fail = (e: unknown) => notifications.show({ color: 'red', message: errorMessage(e) });

  const resend = useMutation({
    mutationFn: (invite: Invite) => appApi.resendInvite(tenantId, invite.id),
    onSuccess: (_r, invite) => {
      notifications.show({ color: 'green', message: t('team.invites.resent', { email: invite.email }) });
      void refresh();
    },
    onError: fail,
  });
  const revoke = useMutation({
    mutationFn: (invite: Invite) => appApi.revokeInvite(tenantId, invite.id),
    onSuccess: (_r, invite) => {
      notifications.show({ color: 'green', message: t('team.invites.revoked', { email: invite.email }) });
      void refresh();
      void queryClient.invalidateQueries({ queryKey: keys.usage(tenantId) });
    },
    onError: fail,
  });

  const columns: DataColumn<Invite>[] = [
    { key: 'email', label: t('team.invites.email'), compare: byText((inv) => inv.email), cell: (inv) => inv.email },
    {
      key: 'role',
      label: t('team.invites.role'),
      compare: (a, b) => roles.indexOf(a.role) - roles.indexOf(b.role),
      cell: (inv) => (
        <Text size="sm" data-testid="invite-role">
          {roleLabel(inv.role)}
        </Text>
      ),
    },
    {
      key: 'status',
      label: t('team.invites.status'),
      cell: (inv) => (
        <Badge variant="light" color={inv.status === 'PENDING' ? 'blue' : 'gray'}>
          {tDynamic(`team.invites.status.${inv.status}`, inv.status)}
        </Badge>
      ),
    },
    {
      key: 'invitedBy',
      label: t('team.invites.invitedBy'),
      compare: byText((inv) => inv.invitedBy?.name),
      cell: (inv) => inv.invitedBy?.name ?? '—',
    },
    { key: 'expires', label: t('team.invites.expires'), compare: byTime((inv) => inv.expiresAt), cell: (inv) => formatDate(inv.expiresAt) },
    {
      key: 'actions',
      label: t('common.actions'),
      hideLabel: true,
      cell: (inv) => (
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          <Button
            size="xs"
            variant="subtle"
            aria-label={t('team.invites.resendLabel', { email: inv.email })}
            loading={resend.isPending && resend.variables?.id === inv.id}
            onClick={() => resend.mutate(inv)}
          >
            {t('team.invites.resend')}
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color="red"
            aria-label={t('team.invites.revokeLabel', { email: inv.email })}
            onClick={() =>
              confirmAction({
                title: t('team.invites.revokeConfirm.title'),
                message: t('team.invites.revokeConfirm.body', { email: inv.email }),
                confirmLabel: t('team.invites.revoke'),
                onConfirm: () => revoke.mutate(inv),
              })
            }
          >
            {t('team.invites.revoke')}
          </Button>
        </Group>
      ),
    },
  ];

  return (
    <Card withBorder padding="lg" radius="md" data-testid="invites-section">
      <Title order={2} size="h4" mb="md">
        {t('team.invites.title')}
      </Title>
      <DataTable
        label={t('team.invites.title')}
        columns={columns}
        rowKey={(inv) => inv.id}
        {...infiniteTableProps(invites, summary)}
        empty={<EmptyState message={t('team.invites.empty')} />}
        rowAttributes={(inv) => ({ 'data-testid': 'invite-row', 'data-email': inv.email })}
        minWidth={640}
      />
    </Card>
  );
}
