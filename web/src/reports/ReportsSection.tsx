import { useState } from 'react';
import { Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileTypePdf } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Report, ReportLanguage } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../shell/states';
import { reportKeys, reportsApi } from './api';
import { LeadReportsBundle } from './LeadReportsBundle';
import { ReportCard } from './ReportCard';
import { ShareModal } from './ShareModal';

type Target = { leadId: string } | { listId: string };

/** The Reports section of a lead or a list: generate one in a language, follow it, download, share, see its views. */
export function ReportsSection({
  tenantId,
  target,
  canWrite,
  leadCount = 0,
}: {
  tenantId: string;
  target: Target;
  canWrite: boolean;
  /** A list's leads, for its "report per lead" and ZIP. */
  leadCount?: number;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [language, setLanguage] = useState<'default' | ReportLanguage>('default');
  const [busy, setBusy] = useState(false);
  const [sharing, setSharing] = useState<Report | null>(null);
  const filters = 'leadId' in target ? { leadId: target.leadId } : { listId: target.listId };
  const reports = useQuery({ queryKey: reportKeys.list(tenantId, filters), queryFn: () => reportsApi.list(tenantId, filters) });

  const generate = async () => {
    setBusy(true);
    try {
      await reportsApi.generate(tenantId, { ...target, ...(language === 'default' ? {} : { language }) });
      notifications.show({ color: 'blue', message: t('reports.started') });
      await queryClient.invalidateQueries({ queryKey: reportKeys.all(tenantId) });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="lg" radius="md" data-testid="reports-section">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4">
            {t('reports.section')}
          </Title>
          {canWrite && (
            <Group gap="xs" align="flex-end">
              <Select
                aria-label={t('reports.language')}
                size="xs"
                w={170}
                value={language}
                allowDeselect={false}
                onChange={(v) => setLanguage((v ?? 'default') as typeof language)}
                data={[
                  { value: 'default', label: t('reports.language.default') },
                  { value: 'en', label: t('reports.language.en') },
                  { value: 'ar', label: t('reports.language.ar') },
                ]}
                data-testid="report-language"
              />
              <Button
                size="xs"
                leftSection={<IconFileTypePdf size={14} />}
                loading={busy}
                onClick={() => void generate()}
                data-testid="report-generate"
              >
                {t('reports.generate')}
              </Button>
            </Group>
          )}
        </Group>
        {'listId' in target && (
          <LeadReportsBundle
            tenantId={tenantId}
            listId={target.listId}
            leadCount={leadCount}
            language={language === 'default' ? undefined : language}
            canWrite={canWrite}
          />
        )}
        <QueryState
          query={reports}
          select={(d) => d.items}
          empty={
            <Text size="sm" c="dimmed">
              {t('reports.empty')}
            </Text>
          }
        >
          {(items) => (
            <Stack gap="xs">
              {items.map((r) => (
                <ReportCard key={r.id} tenantId={tenantId} report={r} canWrite={canWrite} onShare={setSharing} />
              ))}
            </Stack>
          )}
        </QueryState>
      </Stack>
      <ShareModal tenantId={tenantId} report={sharing} onClose={() => setSharing(null)} />
    </Card>
  );
}
