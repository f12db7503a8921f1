import { ActionIcon, Group, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLinkOff } from '@tabler/icons-react';
import type { Report } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { confirmAction } from '../lib/confirm';
import { useI18n } from '../i18n';
import { reportsApi } from './api';

/** The report's live share links, each revocable; the link itself is shown only when it is made. */
export function SharesList({
  tenantId,
  report,
  canWrite,
  onChanged,
}: {
  tenantId: string;
  report: Report;
  canWrite: boolean;
  onChanged: () => unknown;
}) {
  const { t, formatDate } = useI18n();
  const active = report.shares.filter((s) => s.active);
  if (active.length === 0) return null;
  const revoke = (shareId: string) =>
    confirmAction({
      title: t('reports.revoke.title'),
      message: t('reports.revoke.body'),
      confirmLabel: t('reports.revoke'),
      onConfirm: async () => {
        try {
          await reportsApi.revoke(tenantId, report.id, shareId);
          notifications.show({ color: 'green', message: t('reports.revoked') });
          await onChanged();
        } catch (e) {
          notifications.show({ color: 'red', message: errorMessage(e) });
        }
      },
    });
  return (
    <Stack gap={2} data-testid="report-shares">
      {active.map((s) => (
        <Group key={s.id} gap="xs" data-testid="report-share-link">
          <Text size="xs" c="dimmed">
            {t('reports.shareActive', { created: formatDate(s.createdAt), expires: formatDate(s.expiresAt) })}
          </Text>
          {canWrite && (
            <Tooltip label={t('reports.revoke')}>
              <ActionIcon
                size="sm"
                variant="subtle"
                color="red"
                aria-label={t('reports.revoke')}
                onClick={() => revoke(s.id)}
                data-testid="report-revoke"
              >
                <IconLinkOff size={14} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      ))}
    </Stack>
  );
}
