import { useState } from 'react';
import { Alert, Group, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearch } from '@tanstack/react-router';
import { keys } from '../api/queries';
import { AnchorLink } from '../lib/links';
import { safeRedirect } from '../lib/forms';
import { useT } from '../i18n';
import { AuthLayout } from './AuthLayout';
import { SignUpForm } from './SignUpForm';

export function SignUpPage() {
  const t = useT();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { redirect } = useSearch({ from: '/sign-up' });
  const [checkEmail, setCheckEmail] = useState(false);

  return (
    <AuthLayout
      title={t('auth.signUp.title')}
      subtitle={t('auth.signUp.subtitle')}
      footer={
        <Group gap={6} justify="center">
          <Text size="sm" c="dimmed">
            {t('auth.signUp.haveAccount')}
          </Text>
          <AnchorLink to="/sign-in" search={{ redirect }} size="sm">
            {t('auth.signUp.signInLink')}
          </AnchorLink>
        </Group>
      }
    >
      {checkEmail ? (
        <Alert color="green" data-testid="sign-up-check-email">
          {t('auth.signUp.checkEmail')}
        </Alert>
      ) : (
        <SignUpForm
          onDone={({ sessionCreated }) => {
            queryClient.removeQueries({ queryKey: keys.me });
            queryClient.removeQueries({ queryKey: keys.session });
            if (!sessionCreated) setCheckEmail(true);
            else router.history.push(safeRedirect(redirect));
          }}
        />
      )}
    </AuthLayout>
  );
}
