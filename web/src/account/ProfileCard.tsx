import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { Me } from '@optarget/shared';
import { authApi } from '../api/auth';
import { errorMessage } from '../api/client';
import { keys } from '../api/queries';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';
import { FormError } from '../shell/states';

export function ProfileCard({ user }: { user: Me['user'] }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({ mode: 'controlled', initialValues: { name: user.name }, validate: { name: validators.name } });

  const submit = form.onSubmit(async ({ name }) => {
    setError(null);
    setBusy(true);
    try {
      await authApi.updateUser({ name: name.trim() });
      await queryClient.invalidateQueries({ queryKey: keys.me });
      form.resetDirty({ name: name.trim() });
      notifications.show({ color: 'green', message: t('account.profile.saved') });
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  const resend = async () => {
    try {
      await authApi.sendVerificationEmail(user.email);
      notifications.show({ color: 'green', message: t('auth.signIn.verificationSent') });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
  };

  return (
    <Card withBorder padding="lg" radius="md">
      <Title order={2} size="h4" mb="md">
        {t('account.profile.title')}
      </Title>
      <form onSubmit={submit} noValidate data-testid="profile-form">
        <Stack gap="sm" maw={460}>
          <FormError message={error} />
          <TextInput label={t('account.profile.name')} autoComplete="name" autoFocus {...form.getInputProps('name')} />
          <div>
            <Text size="sm" fw={500}>
              {t('account.profile.email')}
            </Text>
            <Group gap="xs">
              <Text size="sm">{user.email}</Text>
              <Badge color={user.emailVerified ? 'green' : 'yellow'} variant="light" size="sm">
                {user.emailVerified ? t('account.profile.verified') : t('account.profile.unverified')}
              </Badge>
              {!user.emailVerified && (
                <Button variant="subtle" size="compact-xs" type="button" onClick={() => void resend()}>
                  {t('account.profile.resend')}
                </Button>
              )}
            </Group>
          </div>
          <Group>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
