import { useState } from 'react';
import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { authApi } from '../api/auth';
import { FormError } from '../shell/states';
import { AnchorLink } from '../lib/links';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';
import { AuthLayout } from './AuthLayout';

export function ForgotPasswordPage() {
  const t = useT();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({ mode: 'controlled', initialValues: { email: '' }, validate: { email: validators.email } });

  const submit = form.onSubmit(async ({ email }) => {
    setError(null);
    setBusy(true);
    try {
      await authApi.requestPasswordReset(email.trim());
      setSentTo(email.trim());
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <AuthLayout
      title={t('auth.forgot.title')}
      subtitle={t('auth.forgot.subtitle')}
      footer={
        <AnchorLink to="/sign-in" size="sm">
          {t('auth.forgot.backToSignIn')}
        </AnchorLink>
      }
    >
      {sentTo ? (
        <Alert color="green" data-testid="reset-sent">
          {t('auth.forgot.sent', { email: sentTo })}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <FormError message={error} />
            <TextInput label={t('auth.email')} type="email" autoComplete="email" autoFocus {...form.getInputProps('email')} />
            <Button type="submit" loading={busy} fullWidth>
              {t('auth.forgot.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}
