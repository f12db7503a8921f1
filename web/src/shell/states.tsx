import type { ReactNode } from 'react';
import { Alert, Button, Center, Group, Loader, Skeleton, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInbox } from '@tabler/icons-react';
import { errorMessage } from '../api/client';
import { useT } from '../i18n';

export function PageLoader({ rows = 4 }: { rows?: number }) {
  const t = useT();
  return (
    <Stack gap="sm" role="status" aria-busy="true" aria-label={t('common.loading')} data-testid="loading">
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
    <Center h="60vh" role="status" aria-busy="true" aria-label={t('common.loading')}>
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

/** The parts of a TanStack Query result (plain or infinite) that QueryState reads. */
interface QueryLike<TData> {
  isError: boolean;
  error: unknown;
  data: TData | undefined;
  refetch: () => Promise<unknown>;
}

/** Every loaded item of an infinite query, as `select={(d) => pageItems(d)}` (TypeScript infers no generic function passed bare as a prop). */
export const pageItems = <T,>(data: { pages: { items: T[] }[] }): T[] => data.pages.flatMap((p) => p.items);

/**
 * Loading, error (with Retry), empty and content states of one query.
 * `select` derives what is rendered and tested for emptiness (an empty array is empty unless `isEmpty` says otherwise);
 * `empty` is shown only when given.
 */
export function QueryState<TData, TView = TData>({
  query,
  select,
  isEmpty = (view) => Array.isArray(view) && view.length === 0,
  empty,
  loading = <PageLoader />,
  error,
  children,
}: {
  query: QueryLike<TData>;
  select?: (data: TData) => TView;
  isEmpty?: (view: TView) => boolean;
  empty?: ReactNode;
  loading?: ReactNode;
  /** Replaces the standard error state, e.g. for an error that means "not available here". */
  error?: (error: unknown) => ReactNode;
  children: (view: TView) => ReactNode;
}) {
  // A failed refetch shows the error even though older data is still cached, as a stale view would hide the failure.
  if (query.isError) return error ? error(query.error) : <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data === undefined) return loading;
  const view = select ? select(query.data) : (query.data as unknown as TView);
  if (empty !== undefined && isEmpty(view)) return empty;
  return children(view);
}
