import { Paper, Text } from '@mantine/core';
import type { TemplateParameter } from '@optarget/shared';
import { useI18n } from '../../i18n';

/** The template's body as the campaign will send it: fixed text as written, a lead field by its name in brackets. */
export function MessagePreview({
  body,
  variables,
  parameters,
}: {
  body: string | null;
  variables: string[];
  parameters: TemplateParameter[];
}) {
  const { t } = useI18n();
  const shown = parameters.map((p) =>
    p.source === 'text' ? p.text : p.source === 'field' ? `[${t(`campaigns.field.${p.field}`)}]` : `[${t('whatsapp.composer.reportLink')}]`,
  );
  const text = variables.reduce((out, name, i) => out.replaceAll(`{{${name}}}`, shown[i] || `{{${name}}}`), body ?? '');
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" fw={600}>
        {t('campaigns.form.messagePreview')}
      </Text>
      <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }} data-testid="campaign-message-preview">
        {text}
      </Text>
    </Paper>
  );
}
