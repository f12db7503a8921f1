import { Box, Card, Group, Image, Stack, Text } from '@mantine/core';
import type { BrandingSettings, DigitSystem, ReportLanguage } from '@optarget/shared';
import { useI18n } from '../i18n';
import { settingsApi } from './api';

/**
 * The cover's own words, in the language the report is written in rather than the interface's:
 * a sample of what a business owner receives.
 */
const coverWords: Record<ReportLanguage, { title: string; business: string; score: string; preparedBy: string }> = {
  en: { title: 'Online presence report', business: 'Sample Dental Clinic · Riyadh', score: 'Opportunity score', preparedBy: 'Prepared by' },
  ar: { title: 'تقرير الحضور الرقمي', business: 'عيادة الأسنان النموذجية · الرياض', score: 'درجة الفرصة', preparedBy: 'أعدّه' },
};

/** A live sketch of a report cover with the branding as it stands in the form, saved or not. */
export function BrandingPreview(props: {
  tenantId: string;
  displayName: string;
  color: string;
  contactLine: string;
  language: ReportLanguage;
  digits: DigitSystem;
  logo: BrandingSettings['logo'];
}) {
  const { t } = useI18n();
  const words = coverWords[props.language];
  const numbering = props.digits === 'arabic-indic' ? 'arab' : 'latn';
  const number = new Intl.NumberFormat(props.language, { numberingSystem: numbering });
  const date = new Intl.DateTimeFormat(props.language, { numberingSystem: numbering, calendar: 'gregory', dateStyle: 'long' }).format(
    new Date(),
  );
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('settings.preview.title')}
      </Text>
      <Card
        withBorder
        radius="md"
        padding={0}
        dir={props.language === 'ar' ? 'rtl' : 'ltr'}
        lang={props.language}
        data-testid="branding-preview"
        aria-label={t('settings.preview.title')}
      >
        <Box h={10} bg={props.color} data-testid="preview-color" data-color={props.color} />
        <Stack gap="md" p="lg" mih={300} justify="space-between">
          <Group justify="space-between" align="center" wrap="nowrap">
            {props.logo ? (
              <Image src={settingsApi.logoUrl(props.tenantId, props.logo)} alt="" h={44} w="auto" maw={160} fit="contain" />
            ) : (
              <span />
            )}
            <Text size="xs" c="dimmed">
              {date}
            </Text>
          </Group>
          <Stack gap={6}>
            <Text fw={700} size="xl" c={props.color}>
              {words.title}
            </Text>
            <Text size="md">{words.business}</Text>
            <Group gap="xs" align="baseline">
              <Text size="sm" c="dimmed">
                {words.score}
              </Text>
              <Text fw={700} size="lg" data-testid="preview-score">
                {number.format(72)} / {number.format(100)}
              </Text>
            </Group>
          </Stack>
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {words.preparedBy}
            </Text>
            <Text fw={600} data-testid="preview-name">
              {props.displayName}
            </Text>
            {props.contactLine && (
              <Text size="sm" dir="auto" data-testid="preview-contact">
                {props.contactLine}
              </Text>
            )}
          </Stack>
        </Stack>
      </Card>
    </Stack>
  );
}
