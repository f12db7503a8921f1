import { Badge, Box, Group, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { IconCheck, IconChecks, IconClock, IconAlertTriangle } from '@tabler/icons-react';
import type { WhatsappMessage } from '@optarget/shared';
import { useI18n } from '../i18n';
import { EmptyState } from '../shell/states';
import { failureOf } from './failure';
import { WordedText } from './WordedText';

function Ticks({ m }: { m: WhatsappMessage }) {
  const { t } = useI18n();
  const label = t(`whatsapp.status.${m.status}`);
  const icon =
    m.status === 'QUEUED' ? (
      <IconClock size={14} />
    ) : m.status === 'SENT' ? (
      <IconCheck size={14} />
    ) : m.status === 'DELIVERED' ? (
      <IconChecks size={14} />
    ) : m.status === 'READ' ? (
      <IconChecks size={14} color="var(--mantine-color-blue-6)" />
    ) : (
      <IconAlertTriangle size={14} color="var(--mantine-color-red-6)" />
    );
  return (
    <Group gap={4} wrap="nowrap" aria-label={label} title={label} data-testid="whatsapp-ticks" data-status={m.status}>
      {icon}
    </Group>
  );
}

/** The conversation oldest first: our messages on the end side, the lead's on the start side. */
export function Thread({ messages }: { messages: WhatsappMessage[] }) {
  const { t, formatDateTime } = useI18n();
  if (messages.length === 0) return <EmptyState message={t('whatsapp.thread.empty')} />;
  return (
    <ScrollArea.Autosize mah={420} type="auto">
      <Stack gap="xs" data-testid="whatsapp-thread">
        {messages.map((m) => {
          const out = m.direction === 'OUT';
          return (
            <Box key={m.id} style={{ alignSelf: out ? 'flex-end' : 'flex-start', maxWidth: '85%' }}>
              <Paper
                p="xs"
                radius="md"
                bg={out ? 'var(--mantine-color-green-light)' : 'var(--mantine-color-gray-light)'}
                data-testid="whatsapp-message"
                data-direction={m.direction}
              >
                {m.reportId && (
                  <Text size="xs" c="dimmed" data-testid="whatsapp-message-report">
                    {t('whatsapp.thread.report')}
                  </Text>
                )}
                {m.templateName && (
                  <Text size="xs" c="dimmed" dir="ltr">
                    {t('whatsapp.thread.template', { name: m.templateName })}
                  </Text>
                )}
                <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                  {m.text ?? (m.parameters?.length ? m.parameters.join(' · ') : `[${m.type}]`)}
                </Text>
                <Group gap={6} justify="flex-end" mt={2}>
                  {m.held && (
                    <Badge size="xs" color="orange" variant="light" data-testid="whatsapp-held">
                      {t('whatsapp.thread.held')}
                    </Badge>
                  )}
                  <Text size="xs" c="dimmed">
                    {formatDateTime(m.receivedAt ?? m.sentAt ?? m.createdAt)}
                  </Text>
                  {out && <Ticks m={m} />}
                </Group>
                {m.status === 'FAILED' && <WordedText size="xs" c="red" testId="whatsapp-failure" worded={failureOf(m)} />}
              </Paper>
            </Box>
          );
        })}
      </Stack>
    </ScrollArea.Autosize>
  );
}
