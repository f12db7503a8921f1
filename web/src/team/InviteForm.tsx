import { useState } from 'react';
import { Button, Card, Group, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { Membership, Role } from '@optarget/shared';
import { appApi } from '../api/app';
import { keys } from '../api/queries';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';
import { FormError } from '../shell/states';
import { BulkInviteModal } from './BulkInviteModal';
import { roleOptions } from './roles';

export function InviteForm({ membership }: { membership: Membership }) {
  const t = useT();
  const { tenantId, role: myRole } = membership;
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [bulkOpened, bulk] = useDisclosure(false);
  const form = useForm({
    mode: 'controlled',
    initialValues: { email: '', role: 'MEMBER' as Role },
    validate: { email: validators.email },
  });

  const submit = form.onSubmit(async ({ email, role }) => {
    setError(null);
    setBusy(true);
    try {
      const invite = await appApi.createInvite(tenantId, email.trim(), role);
      notifications.show({ color: 'green', message: t('team.invite.sent', { email: invite.email }) });
      form.reset();
      await queryClient.invalidateQueries({ queryKey: keys.invites(tenantId) });
      void queryClient.invalidateQueries({ queryKey: keys.usage(tenantId) });
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Card withBorder padding="lg" radius="md" data-testid="invite-section">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4">
          {t('team.invite.title')}
        </Title>
        <Button variant="light" size="xs" onClick={bulk.open} data-testid="bulk-invite-open">
          {t('team.bulk.open')}
        </Button>
      </Group>
      <form onSubmit={submit} noValidate data-testid="invite-form">
        <Stack gap="sm">
          <FormError message={error} />
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label={t('team.invite.email')}
              type="email"
              autoComplete="off"
              placeholder="name@company.com"
              data-testid="invite-email"
              style={{ flex: '1 1 260px' }}
              {...form.getInputProps('email')}
            />
            <NativeSelect
              label={t('team.invite.role')}
              data={roleOptions(myRole)}
              data-testid="invite-role-select"
              w={160}
              {...form.getInputProps('role')}
            />
            <Button type="submit" loading={busy} mt={25}>
              {t('team.invite.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      <BulkInviteModal opened={bulkOpened} onClose={bulk.close} membership={membership} />
    </Card>
  );
}
