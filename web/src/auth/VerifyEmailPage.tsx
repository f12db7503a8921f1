import { useEffect } from 'react';
import { Alert, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import { keys } from '../api/queries';
import { ButtonLink } from '../lib/links';
import { useT } from '../i18n';
import { AuthLayout } from './AuthLayout';

/** better-auth redirects here after following the emailed link (with ?error=… when it failed). */
export function VerifyEmailPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const { error } = useSearch({ from: '/verify-email' });

  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: keys.me });
  }, [queryClient]);

  return (
    <AuthLayout title={t('auth.verify.title')}>
      <Stack gap="sm">
        {error ? (
          <Alert color="red" role="alert" data-testid="verify-failed">
            {t('auth.verify.failed')}
          </Alert>
        ) : (
          <Alert color="green" data-testid="verify-success">
            {t('auth.verify.success')}
          </Alert>
        )}
        <ButtonLink to="/">{t('auth.verify.continue')}</ButtonLink>
        {error && (
          <ButtonLink to="/account" variant="subtle">
            {t('auth.verify.resend')}
          </ButtonLink>
        )}
      </Stack>
    </AuthLayout>
  );
}
