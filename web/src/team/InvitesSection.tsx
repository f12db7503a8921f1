import { Badge, Button, Card, Group, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Invite, Membership } from '@optarget/shared';
import { appApi } from '../api/app';
import { errorMessage } from '../api/client';
import { keys } from '../api/queries';
import { confirmAction } from '../lib/confirm';
import { tDynamic, useI18n } from '../i18n';
import { EmptyState, PageLoader, QueryState, pageItems } from '../shell/states';
import { useInvites } from './hooks';
import { roleLabel } from './roles';

export function InvitesSection({ membership }: { membership: Membership }) {
  const { t, formatDate } = useI18n();
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

  return (
    <Card withBorder padding="lg" radius="md" data-testid="invites-section">
      <Title order={2} size="h4" mb="md">
        {t('team.invites.title')}
      </Title>
      <QueryState
        query={invites}
        select={(d) => pageItems(d)}
        loading={<PageLoader rows={2} />}
        empty={<EmptyState message={t('team.invites.empty')} />}
      >
        {(list) => (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('team.invites.email')}</Table.Th>
                  <Table.Th>{t('team.invites.role')}</Table.Th>
                  <Table.Th>{t('team.invites.status')}</Table.Th>
                  <Table.Th>{t('team.invites.invitedBy')}</Table.Th>
                  <Table.Th>{t('team.invites.expires')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((inv) => (
                  <Table.Tr key={inv.id} data-testid="invite-row" data-email={inv.email}>
                    <Table.Td>
                      <Text size="sm">{inv.email}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" data-testid="invite-role">
                        {roleLabel(inv.role)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={inv.status === 'PENDING' ? 'blue' : 'gray'}>
                        {tDynamic(`team.invites.status.${inv.status}`, inv.status)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{inv.invitedBy?.name ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDate(inv.expiresAt)}</Text>
                    </Table.Td>
                    <Table.Td>
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
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {invites.hasNextPage && (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => void invites.fetchNextPage()} loading={invites.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
    </Card>
  );
}
