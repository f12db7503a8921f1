import { useState } from 'react';
import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useRouter, useSearch } from '@tanstack/react-router';
import type { InvitePreview } from '@optarget/shared';
import { appApi } from '../api/app';
import { authApi } from '../api/auth';
import { errorMessage, isApiError } from '../api/client';
import { keys, meQuery, rememberTenant } from '../api/queries';
import { AuthLayout } from '../auth/AuthLayout';
import { SignInForm } from '../auth/SignInForm';
import { SignUpForm } from '../auth/SignUpForm';
import { FormError, FullPageLoader } from '../shell/states';
import { roleLabel } from '../team/roles';
import { useI18n } from '../i18n';

export function AcceptInvitePage() {
  const { t } = useI18n();
  const { token } = useSearch({ from: '/invite' });
  const preview = useQuery({
    queryKey: keys.invitePreview(token ?? ''),
    queryFn: () => appApi.invitePreview(token!),
    enabled: Boolean(token),
    retry: false,
    meta: { noAuthRedirect: true },
  });
  const me = useQuery({ ...meQuery, retry: false });

  if (!token) {
    return (
      <AuthLayout title={t('invite.title', { tenant: t('app.name') })}>
        <Alert color="red" role="alert" data-testid="invite-error">
          {t('invite.missingToken')}
        </Alert>
      </AuthLayout>
    );
  }
  if (preview.isPending || me.isPending) return <FullPageLoader />;
  if (preview.isError) {
    const e = preview.error;
    const message = isApiError(e, 410)
      ? t('invite.expired')
      : isApiError(e, 404) || isApiError(e, 400)
        ? t('invite.invalid')
        : errorMessage(e);
    return (
      <AuthLayout title={t('invite.title', { tenant: t('app.name') })}>
        <Alert color="red" role="alert" data-testid="invite-error">
          {message}
        </Alert>
        {!isApiError(e, 410) && !isApiError(e, 404) && (
          <Button variant="light" onClick={() => void preview.refetch()}>
            {t('common.retry')}
          </Button>
        )}
      </AuthLayout>
    );
  }
  return <InviteCard token={token} preview={preview.data} signedInEmail={me.data?.user.email ?? null} />;
}

function InviteCard({ token, preview, signedInEmail }: { token: string; preview: InvitePreview; signedInEmail: string | null }) {
  const { t, formatDate } = useI18n();
  const navigate = useNavigate();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>(preview.accountExists ? 'sign-in' : 'sign-up');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [checkEmail, setCheckEmail] = useState(false);

  const goToTenant = async (tenantId: string) => {
    rememberTenant(tenantId);
    notifications.show({ color: 'green', message: t('invite.accepted', { tenant: preview.tenantName }) });
    await navigate({ to: '/t/$tenantId/team', params: { tenantId } });
  };

  const accept = async () => {
    setError(null);
    setBusy(true);
    try {
      const res = await appApi.acceptInvite(token);
      await queryClient.invalidateQueries({ queryKey: keys.me });
      await goToTenant(res.tenantId);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => {
    await authApi.signOut().catch(() => undefined);
    queryClient.clear();
    await router.invalidate();
  };

  const summary = preview.invitedByName
    ? t('invite.summary', {
        inviter: preview.invitedByName,
        email: preview.email,
        tenant: preview.tenantName,
        role: roleLabel(preview.role),
      })
    : t('invite.summaryNoInviter', { email: preview.email, tenant: preview.tenantName, role: roleLabel(preview.role) });

  const wrongAccount = signedInEmail !== null && signedInEmail.toLowerCase() !== preview.email.toLowerCase();
  const here = `/invite?token=${encodeURIComponent(token)}`;

  return (
    <AuthLayout
      title={t('invite.title', { tenant: preview.tenantName })}
      subtitle={
        <>
          {summary} {t('invite.expires', { date: formatDate(preview.expiresAt) })}
        </>
      }
    >
      <div data-testid="invite-preview" data-email={preview.email} data-role={preview.role} hidden />
      <FormError message={error} />
      {signedInEmail !== null ? (
        wrongAccount ? (
          <Stack gap="sm">
            <Alert color="yellow" data-testid="invite-wrong-account">
              {t('invite.wrongAccount', { current: signedInEmail, email: preview.email })}
            </Alert>
            <Button variant="light" onClick={() => void signOut()}>
              {t('auth.signOut')}
            </Button>
          </Stack>
        ) : (
          <Button onClick={() => void accept()} loading={busy} fullWidth autoFocus>
            {t('invite.accept')}
          </Button>
        )
      ) : checkEmail ? (
        <Alert color="green">{t('auth.signUp.checkEmail')}</Alert>
      ) : mode === 'sign-in' ? (
        <Stack gap="sm">
          <Text size="sm">{t('invite.signInToAccept')}</Text>
          <SignInForm
            fixedEmail={preview.email}
            onDone={async (outcome) => {
              queryClient.removeQueries({ queryKey: keys.me });
              if (outcome.kind === 'two-factor') {
                await navigate({ to: '/two-factor', search: { redirect: here } });
                return;
              }
              await accept();
            }}
          />
          <Anchor component="button" type="button" size="sm" onClick={() => setMode('sign-up')}>
            {t('invite.switchToSignUp')}
          </Anchor>
        </Stack>
      ) : (
        <Stack gap="sm">
          <Text size="sm">{t('invite.signUpToAccept', { tenant: preview.tenantName })}</Text>
          <SignUpForm
            fixedEmail={preview.email}
            inviteToken={token}
            onDone={async ({ sessionCreated }) => {
              if (!sessionCreated) {
                setCheckEmail(true);
                return;
              }
              queryClient.removeQueries({ queryKey: keys.me });
              try {
                const me = await queryClient.fetchQuery(meQuery);
                const joined = me.memberships.find((m) => m.name === preview.tenantName) ?? me.memberships[0];
                if (joined) await goToTenant(joined.tenantId);
                else await navigate({ to: '/' });
              } catch (e) {
                setError(errorMessage(e));
              }
            }}
          />
          <Anchor component="button" type="button" size="sm" onClick={() => setMode('sign-in')}>
            {t('invite.switchToSignIn')}
          </Anchor>
        </Stack>
      )}
    </AuthLayout>
  );
}
