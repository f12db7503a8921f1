import { useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileZip, IconFiles } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReportLanguage } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { useI18n } from '../i18n';
import { confirmAction } from '../lib/confirm';
import { reportKeys, reportsApi } from './api';
import { DownloadButton } from './DownloadButton';

/** On a list: start a report of every lead (after confirming how many), and download their PDFs as one ZIP. */
export function LeadReportsBundle({
  tenantId,
  listId,
  leadCount,
  language,
  canWrite,
}: {
  tenantId: string;
  listId: string;
  leadCount: number;
  language: ReportLanguage | undefined;
  canWrite: boolean;
}) {
  const { t, formatNumber } = useI18n();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const count = formatNumber(leadCount);

  const start = async () => {
    setBusy(true);
    try {
      const { started } = await reportsApi.startLeadReports(tenantId, listId, language);
      notifications.show({ color: 'blue', message: t('reports.perLead.started', { count: formatNumber(started) }) });
      await queryClient.invalidateQueries({ queryKey: reportKeys.all(tenantId) });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  const confirmStart = () =>
    confirmAction({
      title: t('reports.perLead.title'),
      message: t('reports.perLead.body', { count }),
      confirmLabel: t('reports.perLead.confirm', { count }),
      danger: false,
      onConfirm: () => void start(),
    });

  return (
    <Group gap="xs" wrap="wrap" data-testid="lead-reports-bundle">
      {canWrite && (
        <Button
          size="xs"
          variant="light"
          leftSection={<IconFiles size={14} />}
          loading={busy}
          disabled={leadCount === 0}
          onClick={confirmStart}
          data-testid="lead-reports-start"
        >
          {t('reports.perLead')}
        </Button>
      )}
      <DownloadButton href={reportsApi.bundleUrl(tenantId, listId, language)} icon={<IconFileZip size={14} />} testId="lead-reports-zip">
        {t('reports.perLead.zip')}
      </DownloadButton>
      <Text size="xs" c="dimmed">
        {t('reports.perLead.hint')}
      </Text>
    </Group>
  );
}
