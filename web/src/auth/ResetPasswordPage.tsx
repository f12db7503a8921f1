import { useState } from 'react';
import { Alert, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { authApi } from '../api/auth';
import { isApiError } from '../api/client';
import { FormError } from '../shell/states';
import { AnchorLink, ButtonLink } from '../lib/links';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';
import { AuthLayout } from './AuthLayout';

export function ResetPasswordPage() {
  const t = useT();
  const navigate = useNavigate();
  const { token, error: linkError } = useSearch({ from: '/reset-password' });
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(Boolean(linkError) || !token);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    mode: 'controlled',
    initialValues: { newPassword: '', confirmPassword: '' },
    validate: {
      newPassword: validators.password,
      confirmPassword: (v, values) => (v === values.newPassword ? null : t('validation.passwordsDiffer')),
    },
  });

  const submit = form.onSubmit(async ({ newPassword }) => {
    if (!token) return;
    setError(null);
    setBusy(true);
    try {
      await authApi.resetPassword({ newPassword, token });
      notifications.show({ color: 'green', message: t('auth.reset.success') });
      await navigate({ to: '/sign-in' });
    } catch (e) {
      if (isApiError(e) && /TOKEN/i.test(e.code)) setInvalid(true);
      setError(applyServerErrors(form, e, { password: 'newPassword' }));
    } finally {
      setBusy(false);
    }
  });

  return (
    <AuthLayout
      title={t('auth.reset.title')}
      footer={
        <AnchorLink to="/sign-in" size="sm">
          {t('auth.forgot.backToSignIn')}
        </AnchorLink>
      }
    >
      {invalid ? (
        <Stack gap="sm">
          <Alert color="red" role="alert" data-testid="reset-invalid">
            {t('auth.reset.invalidToken')}
          </Alert>
          <ButtonLink to="/forgot-password" variant="light">
            {t('auth.reset.requestNew')}
          </ButtonLink>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <FormError message={error} />
            <PasswordInput
              label={t('auth.reset.newPassword')}
              description={t('auth.signUp.passwordHint')}
              autoComplete="new-password"
              autoFocus
              {...form.getInputProps('newPassword')}
            />
            <PasswordInput label={t('auth.reset.confirmPassword')} autoComplete="new-password" {...form.getInputProps('confirmPassword')} />
            <Button type="submit" loading={busy} fullWidth>
              {t('auth.reset.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}
