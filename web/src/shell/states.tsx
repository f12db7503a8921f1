import { Alert, Button, Center, Group, Loader, Skeleton, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInbox } from '@tabler/icons-react';
import { errorMessage } from '../api/client';
import { useT } from '../i18n';

export function PageLoader({ rows = 4 }: { rows?: number }) {
  const t = useT();
  return (
    <Stack gap="sm" aria-busy="true" aria-label={t('common.loading')} data-testid="loading">
      <Skeleton height={28} width="40%" />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={36} />
      ))}
    </Stack>
  );
}

export function FullPageLoader() {
  const t = useT();
  return (
    <Center h="60vh" aria-busy="true" aria-label={t('common.loading')}>
      <Loader />
    </Center>
  );
}

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const t = useT();
  return (
    <Alert
      color="red"
      icon={<IconAlertTriangle size={18} />}
      title={title ?? t('common.somethingWrong')}
      data-testid="error-state"
      role="alert"
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function EmptyState({ message, children }: { message: string; children?: React.ReactNode }) {
  return (
    <Stack align="center" gap="xs" py="lg" data-testid="empty-state">
      <IconInbox size={32} stroke={1.5} color="var(--mantine-color-dimmed)" />
      <Text c="dimmed" size="sm" ta="center">
        {message}
      </Text>
      {children && <Group>{children}</Group>}
    </Stack>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert" data-testid="form-error">
      {message}
    </Alert>
  );
}
