import { Alert, Button, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { can } from '@optarget/shared';
import { useT } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { useTenantMembership } from '../shell/useTenant';
import { InviteForm } from './InviteForm';
import { InvitesSection } from './InvitesSection';
import { MembersSection } from './MembersSection';
import { RenameTenantModal } from './RenameTenantModal';

export function TeamPage() {
  const t = useT();
  const membership = useTenantMembership();
  const [renameOpened, rename] = useDisclosure(false);
  const canManage = can(membership.role, 'team.manage');

  return (
    <Stack gap="lg" data-testid="team-page">
      <PageHeader
        title={t('team.title')}
        subtitle={t('team.subtitle', { tenant: membership.name })}
        actions={
          can(membership.role, 'tenant.rename') && (
            <Button variant="default" size="sm" onClick={rename.open}>
              {t('team.rename')}
            </Button>
          )
        }
      />
      {canManage ? <InviteForm membership={membership} /> : <Alert color="blue">{t('team.readOnly')}</Alert>}
      <MembersSection membership={membership} />
      {canManage && <InvitesSection membership={membership} />}
      <RenameTenantModal opened={renameOpened} onClose={rename.close} membership={membership} />
    </Stack>
  );
}
