import { Badge, Button, Card, Group, NativeSelect, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { can, roleAtMost, roles, type Member, type Membership, type Role } from '@optarget/shared';
import { appApi } from '../api/app';
import { errorMessage } from '../api/client';
import { keys, useMe } from '../api/queries';
import { confirmAction } from '../lib/confirm';
import { DataTable, type DataColumn } from '../lib/table/DataTable';
import { infiniteTableProps, useShownSummary } from '../lib/table/query';
import { byText, byTime } from '../lib/table/sort';
import { useI18n } from '../i18n';
import { EmptyState } from '../shell/states';
import { useMembers } from './hooks';
import { roleLabel, roleOptions } from './roles';

export function MembersSection({ membership }: { membership: Membership }) {
  const { t, formatDate } = useI18n();
  const summary = useShownSummary();
  const { tenantId, role: myRole, name: tenantName } = membership;
  const me = useMe();
  const myId = me.data?.user.id;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const members = useMembers(tenantId);
  const canManage = can(myRole, 'team.manage');
  const canTransfer = can(myRole, 'ownership.transfer');
  const editable = (m: Member) => canManage && m.userId !== myId && roleAtMost(m.role, myRole);

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

  const columns: DataColumn<Member>[] = [
    {
      key: 'name',
      label: t('team.members.name'),
      compare: byText((m) => m.name),
      cell: (m) => (
        <Text size="sm" fw={500}>
          {m.name}
          {m.userId === myId && (
            <Text span c="dimmed" size="xs" ms={6}>
              ({t('common.you')})
            </Text>
          )}
        </Text>
      ),
    },
    { key: 'email', label: t('team.members.email'), compare: byText((m) => m.email), cell: (m) => m.email },
    {
      key: 'role',
      label: t('team.members.role'),
      compare: (a, b) => roles.indexOf(a.role) - roles.indexOf(b.role),
      cell: (m) =>
        editable(m) ? (
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
        ),
    },
    {
      key: 'joined',
      label: t('team.members.joined'),
      compare: byTime((m) => m.joinedAt),
      firstDesc: true,
      cell: (m) => formatDate(m.joinedAt),
    },
    {
      key: 'actions',
      label: t('common.actions'),
      hideLabel: true,
      cell: (m) => (
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          {canTransfer && m.userId !== myId && (
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
          {editable(m) && (
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
      ),
    },
  ];

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
      <DataTable
        label={t('team.members.title')}
        columns={columns}
        rowKey={(m) => m.userId}
        {...infiniteTableProps(members, summary)}
        empty={<EmptyState message={t('team.members.empty')} />}
        rowAttributes={(m) => ({ 'data-testid': 'member-row', 'data-email': m.email })}
        minWidth={640}
      />
    </Card>
  );
}
