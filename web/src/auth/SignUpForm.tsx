import { useState } from 'react';
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { authApi } from '../api/auth';
import { FormError } from '../shell/states';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';

/** Name + email + password sign-up. With inviteToken the new account joins the inviting tenant. */
export function SignUpForm({
  fixedEmail,
  inviteToken,
  onDone,
}: {
  fixedEmail?: string;
  inviteToken?: string;
  onDone: (result: { sessionCreated: boolean }) => void | Promise<void>;
}) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', email: fixedEmail ?? '', password: '' },
    validate: { name: validators.name, email: validators.email, password: validators.password },
  });

  const submit = form.onSubmit(async (values) => {
    setError(null);
    setBusy(true);
    try {
      const res = await authApi.signUp({
        name: values.name.trim(),
        email: values.email.trim(),
        password: values.password,
        ...(inviteToken ? { inviteToken } : {}),
      });
      await onDone({ sessionCreated: Boolean(res?.token) });
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate data-testid="sign-up-form">
      <Stack gap="sm">
        <FormError message={error} />
        <TextInput label={t('auth.name')} autoComplete="name" autoFocus {...form.getInputProps('name')} />
        <TextInput
          label={t('auth.email')}
          type="email"
          autoComplete="email"
          readOnly={Boolean(fixedEmail)}
          {...form.getInputProps('email')}
        />
        <PasswordInput
          label={t('auth.password')}
          description={t('auth.signUp.passwordHint')}
          autoComplete="new-password"
          {...form.getInputProps('password')}
        />
        <Button type="submit" loading={busy} fullWidth mt="xs">
          {t('auth.signUp.submit')}
        </Button>
      </Stack>
    </form>
  );
}
