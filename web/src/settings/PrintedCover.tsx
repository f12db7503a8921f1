import { useState } from 'react';
import { Alert, Box, Image, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import type { ReportLanguage } from '@optarget/shared';
import { useI18n } from '../i18n';

/**
 * The cover as the report's own renderer (typst) prints it with the saved branding, reloaded after
 * each save (`version` changes), in either language.
 */
export function PrintedCover({
  tenantId,
  defaultLanguage,
  version,
}: {
  tenantId: string;
  defaultLanguage: ReportLanguage;
  version: string;
}) {
  const { t } = useI18n();
  const [language, setLanguage] = useState<ReportLanguage>(defaultLanguage);
  const src = `/api/v1/tenants/${encodeURIComponent(tenantId)}/settings/branding/preview.svg?language=${language}&v=${encodeURIComponent(version)}`;
  const [state, setState] = useState<{ src: string; status: 'loaded' | 'failed' } | null>(null);
  const status = state?.src === src ? state.status : 'loading';
  return (
    <Stack gap="xs" mt="md" data-testid="printed-cover" data-status={status}>
      <Text fw={600} size="sm" id="printed-cover-title">
        {t('settings.printedCover.title')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('settings.printedCover.hint')}
      </Text>
      <SegmentedControl
        aria-labelledby="printed-cover-title"
        size="xs"
        w={220}
        value={language}
        onChange={(v) => setLanguage(v as ReportLanguage)}
        data={[
          { value: 'en', label: t('settings.printedCover.en') },
          { value: 'ar', label: t('settings.printedCover.ar') },
        ]}
      />
      {status === 'failed' && <Alert color="red">{t('settings.printedCover.failed')}</Alert>}
      <Box maw={360} style={{ border: '1px solid var(--mantine-color-gray-3)', display: status === 'failed' ? 'none' : undefined }}>
        {status === 'loading' && <Skeleton h={480} role="status" aria-label={t('settings.printedCover.loading')} />}
        <Image
          src={src}
          alt={t('settings.printedCover.alt')}
          display={status === 'loaded' ? 'block' : 'none'}
          onLoad={() => setState({ src, status: 'loaded' })}
          onError={() => setState({ src, status: 'failed' })}
        />
      </Box>
    </Stack>
  );
}
