import { useState } from 'react';
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { authApi } from '../api/auth';
import { isApiError } from '../api/client';
import { FormError } from '../shell/states';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';

export type SignInOutcome = { kind: 'signed-in' } | { kind: 'two-factor' };

/** Email + password sign-in. Used by /sign-in and the accept-invite page. */
export function SignInForm({
  fixedEmail,
  submitLabel,
  onDone,
}: {
  fixedEmail?: string;
  submitLabel?: string;
  onDone: (outcome: SignInOutcome) => void | Promise<void>;
}) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [unverified, setUnverified] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    mode: 'controlled',
    initialValues: { email: fixedEmail ?? '', password: '' },
    validate: { email: validators.email, password: validators.passwordRequired },
  });

  const submit = form.onSubmit(async (values) => {
    setError(null);
    setUnverified(false);
    setBusy(true);
    try {
      const res = await authApi.signIn({ email: values.email.trim(), password: values.password });
      if ('twoFactorRedirect' in res && res.twoFactorRedirect) await onDone({ kind: 'two-factor' });
      else await onDone({ kind: 'signed-in' });
    } catch (e) {
      // A wrong password and an unconfirmed address are answered alike; offer the confirmation link again either way.
      if (isApiError(e, 401) && e.code === 'INVALID_EMAIL_OR_PASSWORD') setUnverified(true);
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  const resend = async () => {
    try {
      await authApi.sendVerificationEmail(form.values.email.trim());
      notifications.show({ color: 'green', message: t('auth.signIn.verificationSent') });
    } catch (e) {
      setError(applyServerErrors(form, e));
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="sign-in-form">
      <Stack gap="sm">
        <FormError message={error} />
        {unverified && (
          <Button variant="light" size="xs" onClick={() => void resend()} type="button">
            {t('auth.signIn.resendVerification')}
          </Button>
        )}
        <TextInput
          label={t('auth.email')}
          type="email"
          autoComplete="email"
          readOnly={Boolean(fixedEmail)}
          data-autofocus={fixedEmail ? undefined : true}
          autoFocus={!fixedEmail}
          {...form.getInputProps('email')}
        />
        <PasswordInput
          label={t('auth.password')}
          autoComplete="current-password"
          autoFocus={Boolean(fixedEmail)}
          {...form.getInputProps('password')}
        />
        <Button type="submit" loading={busy} fullWidth mt="xs">
          {submitLabel ?? t('auth.signIn.submit')}
        </Button>
      </Stack>
    </form>
  );
}
