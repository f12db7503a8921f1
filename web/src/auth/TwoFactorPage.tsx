import { useState } from 'react';
import { Anchor, Button, Checkbox, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearch } from '@tanstack/react-router';
import { authApi } from '../api/auth';
import { keys } from '../api/queries';
import { FormError } from '../shell/states';
import { AnchorLink } from '../lib/links';
import { applyServerErrors, safeRedirect, validators } from '../lib/forms';
import { useT } from '../i18n';
import { AuthLayout } from './AuthLayout';

export function TwoFactorPage() {
  const t = useT();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { redirect } = useSearch({ from: '/two-factor' });
  const [mode, setMode] = useState<'totp' | 'backup'>('totp');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '', trustDevice: false },
    validate: { code: validators.code },
  });

  const submit = form.onSubmit(async ({ code, trustDevice }) => {
    setError(null);
    setBusy(true);
    try {
      const body = { code: code.replace(/\s+/g, ''), trustDevice };
      if (mode === 'totp') await authApi.verifyTotp(body);
      else await authApi.verifyBackupCode(body);
      queryClient.removeQueries({ queryKey: keys.me });
      queryClient.removeQueries({ queryKey: keys.session });
      router.history.push(safeRedirect(redirect));
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  const switchMode = () => {
    setMode((m) => (m === 'totp' ? 'backup' : 'totp'));
    form.setFieldValue('code', '');
    setError(null);
  };

  return (
    <AuthLayout
      title={t('auth.twoFactor.title')}
      subtitle={mode === 'totp' ? t('auth.twoFactor.subtitle') : t('auth.twoFactor.backupSubtitle')}
      footer={
        <AnchorLink to="/sign-in" size="sm">
          {t('auth.forgot.backToSignIn')}
        </AnchorLink>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormError message={error} />
          <TextInput
            key={mode}
            label={mode === 'totp' ? t('auth.twoFactor.code') : t('auth.twoFactor.backupCode')}
            autoComplete="one-time-code"
            inputMode={mode === 'totp' ? 'numeric' : 'text'}
            autoFocus
            {...form.getInputProps('code')}
          />
          <Checkbox label={t('auth.twoFactor.trustDevice')} {...form.getInputProps('trustDevice', { type: 'checkbox' })} />
          <Button type="submit" loading={busy} fullWidth>
            {t('auth.twoFactor.submit')}
          </Button>
          <Anchor component="button" type="button" size="sm" onClick={switchMode}>
            {mode === 'totp' ? t('auth.twoFactor.useBackup') : t('auth.twoFactor.useTotp')}
          </Anchor>
        </Stack>
      </form>
    </AuthLayout>
  );
}
