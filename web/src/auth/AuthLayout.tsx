import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { LanguageSwitcher } from '../shell/LanguageSwitcher';

export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const t = useT();
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Box w="100%" maw={440}>
        <Stack gap="lg">
          <Group justify="flex-end">
            <LanguageSwitcher />
          </Group>
          <Text fw={800} size="xl" ta="center" c="blue.7">
            {t('app.name')}
          </Text>
          <Paper withBorder shadow="sm" radius="md" p="xl">
            <Stack gap="md">
              <div>
                <Title order={2} size="h3">
                  {title}
                </Title>
                {subtitle && (
                  <Text c="dimmed" size="sm" mt={4}>
                    {subtitle}
                  </Text>
                )}
              </div>
              {children}
            </Stack>
          </Paper>
          {footer && (
            <Stack gap={4} align="center">
              {footer}
            </Stack>
          )}
        </Stack>
      </Box>
    </Center>
  );
}
