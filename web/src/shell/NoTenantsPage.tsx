import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useT } from '../i18n';
import { CreateTenantModal } from './CreateTenantModal';

export function NoTenantsPage() {
  const t = useT();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <Center mih="60vh">
      <Stack align="center" gap="sm" data-testid="no-tenants">
        <Title order={2}>{t('shell.noTenants.title')}</Title>
        <Text c="dimmed" ta="center" maw={420}>
          {t('shell.noTenants.body')}
        </Text>
        <Button onClick={open}>{t('shell.createTenant')}</Button>
        <CreateTenantModal opened={opened} onClose={close} />
      </Stack>
    </Center>
  );
}
