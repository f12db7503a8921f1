import { Badge, Button, Card, Group, NativeSelect, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { can, roleAtMost, type Member, type Membership, type Role } from '@optarget/shared';
import { appApi } from '../api/app';
import { errorMessage } from '../api/client';
import { keys, useMe } from '../api/queries';
import { confirmAction } from '../lib/confirm';
import { useI18n } from '../i18n';
import { EmptyState, PageLoader, QueryState, pageItems } from '../shell/states';
import { useMembers } from './hooks';
import { roleLabel, roleOptions } from './roles';

export function MembersSection({ membership }: { membership: Membership }) {
  const { t, formatDate } = useI18n();
  const { tenantId, role: myRole, name: tenantName } = membership;
  const me = useMe();
  const myId = me.data?.user.id;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const members = useMembers(tenantId);
  const canManage = can(myRole, 'team.manage');
  const canTransfer = can(myRole, 'ownership.transfer');

  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.members(tenantId) });
  const fail = (e: unknown) => notifications.show({ color: 'red', message: errorMessage(e) });

  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: Role }) => appApi.changeRole(tenantId, member.userId, role),
    onSuccess: (_r, { member, role }) => {
      notifications.show({ color: 'green', message: t('team.members.roleChanged', { email: member.email, role: roleLabel(role) }) });
    },
    onError: fail,
    onSettled: () => refresh(),
  });

  const remove = useMutation({
    mutationFn: (member: Member) => appApi.removeMember(tenantId, member.userId),
    onSuccess: (_r, member) => {
      notifications.show({ color: 'green', message: t('team.members.removed', { email: member.email }) });
      void queryClient.invalidateQueries({ queryKey: ['tenant', tenantId] });
    },
    onError: fail,
  });

  const transfer = useMutation({
    mutationFn: (member: Member) => appApi.transferOwnership(tenantId, member.userId),
    onSuccess: async (_r, member) => {
      notifications.show({ color: 'green', message: t('team.members.transferred', { email: member.email }) });
      await queryClient.invalidateQueries({ queryKey: keys.me });
      await refresh();
    },
    onError: fail,
  });

  const leave = useMutation({
    mutationFn: () => appApi.leave(tenantId),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('team.members.left', { tenant: tenantName }) });
      queryClient.removeQueries({ queryKey: ['tenant', tenantId] });
      await queryClient.invalidateQueries({ queryKey: keys.me });
      await navigate({ to: '/' });
    },
    onError: fail,
  });

  return (
    <Card withBorder padding="lg" radius="md" data-testid="members-section">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4">
          {t('team.members.title')}
        </Title>
        <Button
          variant="light"
          color="red"
          size="xs"
          onClick={() =>
            confirmAction({
              title: t('team.members.leaveConfirm.title'),
              message: t('team.members.leaveConfirm.body', { tenant: tenantName }),
              confirmLabel: t('team.members.leave'),
              onConfirm: () => leave.mutate(),
            })
          }
          loading={leave.isPending}
        >
          {t('team.members.leave')}
        </Button>
      </Group>
      <QueryState
        query={members}
        select={(d) => pageItems(d)}
        loading={<PageLoader rows={3} />}
        empty={<EmptyState message={t('team.members.empty')} />}
      >
        {(list) => (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('team.members.name')}</Table.Th>
                  <Table.Th>{t('team.members.email')}</Table.Th>
                  <Table.Th>{t('team.members.role')}</Table.Th>
                  <Table.Th>{t('team.members.joined')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((m) => {
                  const isSelf = m.userId === myId;
                  const editable = canManage && !isSelf && roleAtMost(m.role, myRole);
                  return (
                    <Table.Tr key={m.userId} data-testid="member-row" data-email={m.email}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {m.name}
                          {isSelf && (
                            <Text span c="dimmed" size="xs" ms={6}>
                              ({t('common.you')})
                            </Text>
                          )}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{m.email}</Text>
                      </Table.Td>
                      <Table.Td>
                        {editable ? (
                          <NativeSelect
                            size="xs"
                            w={130}
                            aria-label={t('team.members.roleOf', { email: m.email })}
                            data-testid="member-role-select"
                            value={m.role}
                            data={roleOptions(myRole)}
                            disabled={changeRole.isPending && changeRole.variables?.member.userId === m.userId}
                            onChange={(e) => changeRole.mutate({ member: m, role: e.currentTarget.value as Role })}
                          />
                        ) : (
                          <Badge variant="light" data-testid="member-role">
                            {roleLabel(m.role)}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(m.joinedAt)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          {canTransfer && !isSelf && (
                            <Button
                              size="xs"
                              variant="subtle"
                              aria-label={t('team.members.transferLabel', { email: m.email })}
                              onClick={() =>
                                confirmAction({
                                  title: t('team.members.transferConfirm.title'),
                                  message: t('team.members.transferConfirm.body', { name: m.name, email: m.email, tenant: tenantName }),
                                  confirmLabel: t('team.members.transfer'),
                                  onConfirm: () => transfer.mutate(m),
                                })
                              }
                            >
                              {t('team.members.transfer')}
                            </Button>
                          )}
                          {editable && (
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              aria-label={t('team.members.removeLabel', { email: m.email })}
                              onClick={() =>
                                confirmAction({
                                  title: t('team.members.removeConfirm.title'),
                                  message: t('team.members.removeConfirm.body', { name: m.name, email: m.email, tenant: tenantName }),
                                  confirmLabel: t('team.members.remove'),
                                  onConfirm: () => remove.mutate(m),
                                })
                              }
                            >
                              {t('team.members.remove')}
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {members.hasNextPage && (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => void members.fetchNextPage()} loading={members.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
    </Card>
  );
}
