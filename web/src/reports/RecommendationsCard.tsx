import { useState } from 'react';
import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { RecommendationEntry, ReportLanguage } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { evidenceKindLabel } from '../jobs/format';
import { useI18n } from '../i18n';
import { QueryState } from '../shell/states';
import { reportKeys, reportsApi } from './api';

/** Owners and admins reword what reports recommend; the next report prints the new wording. */
export function RecommendationsCard({ tenantId }: { tenantId: string }) {
  const { t } = useI18n();
  const [language, setLanguage] = useState<ReportLanguage>('en');
  const entries = useQuery({ queryKey: reportKeys.recommendations(tenantId), queryFn: () => reportsApi.recommendations(tenantId) });
  return (
    <Card withBorder padding="lg" radius="md" data-testid="recommendations">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('reports.recommendations')}
          </Title>
          <SegmentedControl
            size="xs"
            value={language}
            onChange={(v) => setLanguage(v as ReportLanguage)}
            data={[
              { value: 'en', label: t('reports.language.en') },
              { value: 'ar', label: t('reports.language.ar') },
            ]}
          />
        </Group>
        <Text size="sm" c="dimmed">
          {t('reports.recommendations.explain')}
        </Text>
        <QueryState query={entries} select={(d) => d.items.filter((i) => i.language === language)}>
          {(items) => (
            <Stack gap="md">
              {items.map((entry) => (
                <RecommendationEditor key={`${entry.kind}:${entry.language}:${entry.text}`} tenantId={tenantId} entry={entry} />
              ))}
            </Stack>
          )}
        </QueryState>
      </Stack>
    </Card>
  );
}

function RecommendationEditor({ tenantId, entry }: { tenantId: string; entry: RecommendationEntry }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [text, setText] = useState(entry.text);
  const [busy, setBusy] = useState(false);
  const save = async (value: string) => {
    setBusy(true);
    try {
      const next = await reportsApi.saveRecommendation(tenantId, { kind: entry.kind, language: entry.language, text: value });
      queryClient.setQueryData(reportKeys.recommendations(tenantId), next);
      notifications.show({ color: 'green', message: t('reports.recommendations.saved') });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text fw={600} size="sm">
          {evidenceKindLabel(entry.kind)}
        </Text>
        {entry.customised && (
          <Badge size="xs" variant="light">
            {t('reports.recommendations.customised')}
          </Badge>
        )}
      </Group>
      <Textarea
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={600}
        dir={entry.language === 'ar' ? 'rtl' : 'ltr'}
        aria-label={evidenceKindLabel(entry.kind)}
        error={text.trim().length === 0 ? t('reports.recommendations.empty') : undefined}
      />
      <Group gap="xs" justify="flex-end">
        {entry.customised && (
          <Button size="xs" variant="subtle" onClick={() => void save('')} loading={busy}>
            {t('reports.recommendations.reset')}
          </Button>
        )}
        <Button size="xs" onClick={() => void save(text)} loading={busy} disabled={text.trim() === entry.text || text.trim().length === 0}>
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
