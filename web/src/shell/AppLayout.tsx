import { Alert, AppShell, Avatar, Badge, Burger, Button, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconBuilding,
  IconCheck,
  IconChevronDown,
  IconCreditCard,
  IconHistory,
  IconLayoutDashboard,
  IconAddressBook,
  IconListSearch,
  IconSettings,
  IconFileTypePdf,
  IconStack2,
  IconList,
  IconLogout,
  IconPlus,
  IconUser,
  IconUsers,
  IconBrandWhatsapp,
  IconSpeakerphone,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { can, type Membership } from '@optarget/shared';
import { authApi } from '../api/auth';
import { errorMessage } from '../api/client';
import { rememberTenant, useMe } from '../api/queries';
import { RouterNavLink } from '../lib/links';
import { useT, tDynamic } from '../i18n';
import { CreateTenantModal } from './CreateTenantModal';
import { LanguageSwitcher } from './LanguageSwitcher';
import { useCurrentMembership } from './useTenant';

export function AppLayout({ children }: { children?: React.ReactNode }) {
  const t = useT();
  const [navOpened, nav] = useDisclosure(false);
  const [createOpened, create] = useDisclosure(false);
  const me = useMe();
  const current = useCurrentMembership();
  const pathname = useRouterState({ select: (s) => s.location.pathname });

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.toggleNav')} />
            <Text fw={800} c="blue.9" size="lg">
              {t('app.name')}
            </Text>
            {me.data && <TenantSwitcher memberships={me.data.memberships} current={current} onCreate={create.open} />}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitcher />
            {me.data && <UserMenu name={me.data.user.name} email={me.data.user.email} />}
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={t('shell.nav.label')}>
        {current && (
          <Stack gap={4}>
            <RouterNavLink
              to="/t/$tenantId/dashboard"
              params={{ tenantId: current.tenantId }}
              label={t('shell.nav.dashboard')}
              leftSection={<IconLayoutDashboard size={18} />}
              active={pathname.endsWith('/dashboard')}
              onClick={nav.close}
            />
            <RouterNavLink
              to="/t/$tenantId/prospecting"
              params={{ tenantId: current.tenantId }}
              search={{}}
              label={t('shell.nav.prospecting')}
              leftSection={<IconListSearch size={18} />}
              active={pathname.endsWith('/prospecting')}
              onClick={nav.close}
            />
            <RouterNavLink
              to="/t/$tenantId/leads"
              params={{ tenantId: current.tenantId }}
              search={{}}
              label={t('shell.nav.leads')}
              leftSection={<IconAddressBook size={18} />}
              active={/\/leads(\/|$)/.test(pathname)}
              onClick={nav.close}
            />
            <RouterNavLink
              to="/t/$tenantId/lists"
              params={{ tenantId: current.tenantId }}
              label={t('shell.nav.lists')}
              leftSection={<IconList size={18} />}
              active={/\/lists(\/|$)/.test(pathname)}
              onClick={nav.close}
            />
            <RouterNavLink
              to="/t/$tenantId/reports"
              params={{ tenantId: current.tenantId }}
              label={t('shell.nav.reports')}
              leftSection={<IconFileTypePdf size={18} />}
              active={/\/reports(\/|$)/.test(pathname)}
              onClick={nav.close}
            />
            <RouterNavLink
              to="/t/$tenantId/whatsapp"
              params={{ tenantId: current.tenantId }}
              label={t('shell.nav.whatsapp')}
              leftSection={<IconBrandWhatsapp size={18} />}
              active={pathname.endsWith('/whatsapp')}
              onClick={nav.close}
            />
            <RouterNavLink
              to="/t/$tenantId/whatsapp/campaigns"
              params={{ tenantId: current.tenantId }}
              label={t('shell.nav.campaigns')}
              leftSection={<IconSpeakerphone size={18} />}
              active={pathname.endsWith('/whatsapp/campaigns')}
              onClick={nav.close}
            />
            <RouterNavLink
              to="/t/$tenantId/jobs"
              params={{ tenantId: current.tenantId }}
              label={t('shell.nav.jobs')}
              leftSection={<IconStack2 size={18} />}
              active={/\/jobs(\/|$)/.test(pathname)}
              onClick={nav.close}
            />
            <RouterNavLink
              to="/t/$tenantId/team"
              params={{ tenantId: current.tenantId }}
              label={t('shell.nav.team')}
              leftSection={<IconUsers size={18} />}
              active={pathname.endsWith('/team')}
              onClick={nav.close}
            />
            {can(current.role, 'audit.read') && (
              <RouterNavLink
                to="/t/$tenantId/audit"
                params={{ tenantId: current.tenantId }}
                label={t('shell.nav.audit')}
                leftSection={<IconHistory size={18} />}
                active={pathname.endsWith('/audit')}
                onClick={nav.close}
              />
            )}
            {can(current.role, 'usage.read') && (
              <RouterNavLink
                to="/t/$tenantId/plan"
                params={{ tenantId: current.tenantId }}
                label={t('shell.nav.plan')}
                leftSection={<IconCreditCard size={18} />}
                active={pathname.endsWith('/plan')}
                onClick={nav.close}
              />
            )}
            {can(current.role, 'settings.read') && (
              <RouterNavLink
                to="/t/$tenantId/settings"
                params={{ tenantId: current.tenantId }}
                label={t('shell.nav.settings')}
                leftSection={<IconSettings size={18} />}
                active={pathname.endsWith('/settings')}
                onClick={nav.close}
              />
            )}
          </Stack>
        )}
      </AppShell.Navbar>

      <AppShell.Main>
        {me.data && !me.data.user.emailVerified && <VerifyBanner email={me.data.user.email} />}
        {children ?? <Outlet />}
      </AppShell.Main>
      <CreateTenantModal opened={createOpened} onClose={create.close} />
    </AppShell>
  );
}

function TenantSwitcher({
  memberships,
  current,
  onCreate,
}: {
  memberships: Membership[];
  current: Membership | undefined;
  onCreate: () => void;
}) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Menu position="bottom-start" width={280} shadow="md">
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          rightSection={<IconChevronDown size={16} />}
          leftSection={<IconBuilding size={16} />}
          aria-label={current ? t('shell.tenantSwitcher.current', { name: current.name }) : t('shell.tenantSwitcher')}
          data-testid="tenant-switcher"
          maw={{ base: 120, sm: 280 }}
        >
          {/* A name may be in either script: its own direction makes truncation cut its end. */}
          <Text truncate size="sm" fw={600} dir="auto">
            {current?.name ?? t('shell.tenantSwitcher')}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('shell.tenantSwitcher')}</Menu.Label>
        {memberships.map((m) => (
          <Menu.Item
            key={m.tenantId}
            data-testid="tenant-option"
            leftSection={m.tenantId === current?.tenantId ? <IconCheck size={16} /> : <span style={{ width: 16 }} />}
            rightSection={
              <Badge size="xs" variant="light">
                {tDynamic(`role.${m.role}`, m.role)}
              </Badge>
            }
            onClick={() => {
              rememberTenant(m.tenantId);
              void navigate({ to: '/t/$tenantId/dashboard', params: { tenantId: m.tenantId } });
            }}
          >
            {m.name}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item leftSection={<IconPlus size={16} />} onClick={onCreate}>
          {t('shell.createTenant')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function UserMenu({ name, email }: { name: string; email: string }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = async () => {
    try {
      await authApi.signOut();
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
      return;
    }
    queryClient.clear();
    notifications.show({ message: t('auth.signedOut') });
    await navigate({ to: '/sign-in', search: {} });
  };
  return (
    <Menu position="bottom-end" width={240} shadow="md">
      <Menu.Target>
        <UnstyledButton title={t('shell.userMenu')} data-testid="user-menu">
          <Group gap="xs" wrap="nowrap">
            <Avatar size="sm" radius="xl" color="blue" name={name} />
            <Text size="sm" visibleFrom="sm" truncate maw={160} dir="auto">
              {name}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{email}</Menu.Label>
        <Menu.Item leftSection={<IconUser size={16} />} onClick={() => void navigate({ to: '/account' })}>
          {t('shell.account')}
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void signOut()}>
          {t('auth.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function VerifyBanner({ email }: { email: string }) {
  const t = useT();
  const resend = async () => {
    try {
      await authApi.sendVerificationEmail(email);
      notifications.show({ color: 'green', message: t('auth.signIn.verificationSent') });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
  };
  return (
    <Alert color="yellow" mb="md" data-testid="verify-banner">
      <Group justify="space-between" gap="xs">
        <Text size="sm">{t('shell.verifyBanner', { email })}</Text>
        <Button size="compact-xs" variant="subtle" color="yellow" onClick={() => void resend()}>
          {t('shell.verifyBanner.resend')}
        </Button>
      </Group>
    </Alert>
  );
}
