import type { ReactNode } from 'react';
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useT } from '../i18n';

/** What every section is given: the tenant, and whether the signed-in member may change settings. */
export type SectionProps = { tenantId: string; canManage: boolean };

/** The frame of one settings section: its title, what it is for, and its form or states. */
export function SectionCard({
  title,
  description,
  badge,
  testId,
  children,
}: {
  title: string;
  description?: ReactNode;
  badge?: ReactNode;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Card withBorder padding="lg" radius="md" data-testid={testId}>
      <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
        <Title order={2} size="h4">
          {title}
        </Title>
        {badge}
      </Group>
      {description && (
        <Text size="sm" c="dimmed" mb="md">
          {description}
        </Text>
      )}
      {children}
    </Card>
  );
}

/** A section form's buttons and save state: save, discard unsaved changes, and a word on which it is. */
export function SaveBar({ busy, dirty, label, canManage }: { busy: boolean; dirty: boolean; label: string; canManage: boolean }) {
  const t = useT();
  if (!canManage) return null;
  return (
    <Stack gap={4}>
      <Group gap="sm">
        <Button type="submit" loading={busy} disabled={!dirty}>
          {label}
        </Button>
        {dirty && (
          <Button type="reset" variant="default" disabled={busy}>
            {t('settings.discard')}
          </Button>
        )}
      </Group>
      <Text size="xs" c={dirty ? 'orange' : 'dimmed'} data-testid="save-state" aria-live="polite">
        {dirty ? t('settings.unsaved') : t('settings.upToDate')}
      </Text>
    </Stack>
  );
}
