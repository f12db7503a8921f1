import { useState } from 'react';
import { Button, Card, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { authApi } from '../api/auth';
import { keys } from '../api/queries';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';
import { FormError } from '../shell/states';

export function PasswordCard() {
  const t = useT();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    mode: 'controlled',
    initialValues: { currentPassword: '', newPassword: '' },
    validate: { currentPassword: validators.passwordRequired, newPassword: validators.password },
  });

  const submit = form.onSubmit(async (values) => {
    setError(null);
    setBusy(true);
    try {
      await authApi.changePassword(values);
      form.reset();
      notifications.show({ color: 'green', message: t('account.password.changedOthersSignedOut') });
      void queryClient.invalidateQueries({ queryKey: keys.sessions });
    } catch (e) {
      setError(applyServerErrors(form, e, { password: 'newPassword' }));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Card withBorder padding="lg" radius="md">
      <Title order={2} size="h4" mb="md">
        {t('account.password.title')}
      </Title>
      <form onSubmit={submit} noValidate data-testid="change-password-form">
        <Stack gap="sm" maw={460}>
          <FormError message={error} />
          <PasswordInput label={t('account.password.current')} autoComplete="current-password" {...form.getInputProps('currentPassword')} />
          <PasswordInput
            label={t('account.password.new')}
            description={t('auth.signUp.passwordHint')}
            autoComplete="new-password"
            {...form.getInputProps('newPassword')}
          />
          <Text size="sm" c="dimmed">
            {t('account.password.othersSignedOut')}
          </Text>
          <Group>
            <Button type="submit" loading={busy}>
              {t('account.password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
