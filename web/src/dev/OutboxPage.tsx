import { Fragment } from 'react';
import { Alert, Anchor, Button, Card, Container, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { appApi, type OutboxEmail } from '../api/app';
import { isApiError } from '../api/client';
import { keys } from '../api/queries';
import { useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { EmptyState, ErrorState, QueryState } from '../shell/states';
import { AnchorLink } from '../lib/links';

const URL_RE = /(https?:\/\/[^\s<>"')]+)/g;

/** Renders plain text with its URLs as links. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(URL_RE);
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <Anchor key={i} href={part} data-testid="outbox-link">
            {part}
          </Anchor>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </Text>
  );
}

const newestFirst = ({ items }: { items: OutboxEmail[] }) => [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

export function OutboxPage() {
  const { t, formatDateTime } = useI18n();
  const outbox = useQuery({
    queryKey: keys.outbox,
    queryFn: appApi.outbox,
    retry: false,
    refetchInterval: 5000,
    meta: { noAuthRedirect: true },
  });

  return (
    <Container size="md" py="xl">
      <PageHeader
        title={t('dev.outbox.title')}
        subtitle={t('dev.outbox.subtitle')}
        actions={
          <>
            <AnchorLink to="/sign-in" size="sm">
              {t('auth.forgot.backToSignIn')}
            </AnchorLink>
            <Button variant="default" size="xs" onClick={() => void outbox.refetch()} loading={outbox.isFetching}>
              {t('dev.outbox.refresh')}
            </Button>
          </>
        }
      />
      <QueryState
        query={outbox}
        select={newestFirst}
        empty={<EmptyState message={t('dev.outbox.empty')} />}
        error={(e) =>
          isApiError(e, 404) ? (
            <Alert color="yellow">{t('dev.outbox.unavailable')}</Alert>
          ) : (
            <ErrorState error={e} onRetry={() => void outbox.refetch()} />
          )
        }
      >
        {(items) => (
          <Stack gap="md">
            {items.map((mail) => (
              <Card key={mail.id} withBorder padding="md" data-testid="outbox-email">
                <Group justify="space-between" mb={4} wrap="wrap">
                  <Text fw={600}>{mail.subject}</Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(mail.createdAt)}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed" mb="xs">
                  {t('dev.outbox.to', { to: mail.to })}
                </Text>
                <Linkified text={mail.text} />
              </Card>
            ))}
          </Stack>
        )}
      </QueryState>
    </Container>
  );
}
