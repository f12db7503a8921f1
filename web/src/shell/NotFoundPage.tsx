import { Center, Stack, Text, Title } from '@mantine/core';
import { ButtonLink } from '../lib/links';
import { useT } from '../i18n';

export function NotFoundPage() {
  const t = useT();
  return (
    <Center mih="60vh" p="md">
      <Stack align="center" gap="sm" data-testid="not-found">
        <Title order={1}>{t('notFound.title')}</Title>
        <Text c="dimmed" ta="center" maw={420}>
          {t('notFound.body')}
        </Text>
        <ButtonLink to="/">{t('common.goHome')}</ButtonLink>
      </Stack>
    </Center>
  );
}
