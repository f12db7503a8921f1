import { Group, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearch } from '@tanstack/react-router';
import { appApi } from '../api/app';
import { keys } from '../api/queries';
import { AnchorLink } from '../lib/links';
import { safeRedirect } from '../lib/forms';
import { useT } from '../i18n';
import { AuthLayout } from './AuthLayout';
import { SignInForm } from './SignInForm';

export function SignInPage() {
  const t = useT();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { redirect } = useSearch({ from: '/sign-in' });
  const outbox = useQuery({ queryKey: keys.outbox, queryFn: appApi.outbox, retry: false, meta: { noAuthRedirect: true } });

  return (
    <AuthLayout
      title={t('auth.signIn.title')}
      footer={
        <>
          <Group gap={6} justify="center">
            <Text size="sm" c="dimmed">
              {t('auth.signIn.noAccount')}
            </Text>
            <AnchorLink to="/sign-up" size="sm">
              {t('auth.signIn.createAccount')}
            </AnchorLink>
          </Group>
          {outbox.isSuccess && (
            <AnchorLink to="/dev/outbox" size="xs" c="dimmed" data-testid="dev-outbox-link">
              {t('auth.signIn.devOutbox')}
            </AnchorLink>
          )}
        </>
      }
    >
      <SignInForm
        onDone={async (outcome) => {
          queryClient.removeQueries({ queryKey: keys.me });
          queryClient.removeQueries({ queryKey: keys.session });
          if (outcome.kind === 'two-factor') {
            await router.navigate({ to: '/two-factor', search: { redirect } });
          } else {
            router.history.push(safeRedirect(redirect));
          }
        }}
      />
      <AnchorLink to="/forgot-password" size="sm" ta="end">
        {t('auth.signIn.forgot')}
      </AnchorLink>
    </AuthLayout>
  );
}
