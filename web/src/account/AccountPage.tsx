import { Stack } from '@mantine/core';
import { useMe } from '../api/queries';
import { useT } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { QueryState } from '../shell/states';
import { PasswordCard } from './PasswordCard';
import { ProfileCard } from './ProfileCard';
import { SessionsCard } from './SessionsCard';
import { TwoFactorCard } from './TwoFactorCard';

export function AccountPage() {
  const t = useT();
  const me = useMe();
  return (
    <QueryState query={me}>
      {({ user }) => (
        <Stack gap="lg" maw={960} data-testid="account-page">
          <PageHeader title={t('account.title')} subtitle={user.email} />
          <ProfileCard key={user.id} user={user} />
          <PasswordCard />
          <TwoFactorCard enabled={user.twoFactorEnabled} />
          <SessionsCard />
        </Stack>
      )}
    </QueryState>
  );
}
