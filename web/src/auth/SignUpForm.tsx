import { useState } from 'react';
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { authApi } from '../api/auth';
import { FormError } from '../shell/states';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';

/**
 * Name + email + password sign-up. A new account is signed in by the link emailed to it (the
 * answer is the same whether or not the address already has an account). With inviteToken the
 * new account joins the inviting tenant, and since the invitation's link proved the address it
 * signs in with the password at once.
 */
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
      const email = values.email.trim();
      await authApi.signUp({ name: values.name.trim(), email, password: values.password, ...(inviteToken ? { inviteToken } : {}) });
      const sessionCreated = inviteToken
        ? await authApi.signIn({ email, password: values.password }).then(
            () => true,
            () => false,
          )
        : false;
      await onDone({ sessionCreated });
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
