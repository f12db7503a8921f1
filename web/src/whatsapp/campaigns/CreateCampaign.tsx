import { useState } from 'react';
import { Button, Card, Group, NumberInput, Select, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  MAX_FIXED_PARAMETER_LENGTH,
  REFUSED_PARAMETER_TEXT,
  templateLeadFields,
  type CampaignPreview,
  type TemplateParameter,
  type WhatsappCampaign,
} from '@optarget/shared';
import { applyServerErrors } from '../../lib/forms';
import { useI18n } from '../../i18n';
import { FormError } from '../../shell/states';
import { whatsappApi, whatsappKeys } from '../api';
import { campaignApi, campaignKeys } from './api';
import { MessagePreview } from './MessagePreview';
import { PreviewPanel } from './PreviewPanel';

/** `mapping` holds a lead field or `text` per variable; `texts` the fixed text of those set to `text`. */
type Values = {
  name: string;
  listId: string | null;
  templateId: string | null;
  mapping: string[];
  texts: string[];
  ratePerSecond: number;
  startAt: string;
};
type LeadField = (typeof templateLeadFields)[number];
const FIXED = 'text';
const toParameters = (values: Values): TemplateParameter[] =>
  values.mapping.map((source, i) =>
    source === FIXED ? { source: 'text', text: values.texts[i].trim() } : { source: 'field', field: source as LeadField },
  );

/** Creates the campaign as a draft, shows its preview (who receives it, who not and why, the cost), and starts it once confirmed. */
export function CreateCampaign({
  tenantId,
  onClose,
  onStarted,
}: {
  tenantId: string;
  onClose: () => void;
  onStarted: (id: string) => void;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const lists = useQuery({ queryKey: ['tenant', tenantId, 'lists', 'all'], queryFn: () => campaignApi.lists(tenantId) });
  const templates = useQuery({ queryKey: whatsappKeys.templates(tenantId), queryFn: () => whatsappApi.templates(tenantId) });
  const approved = (templates.data?.items ?? []).filter((x) => x.status === 'APPROVED');
  const [draft, setDraft] = useState<{ campaign: WhatsappCampaign; preview: CampaignPreview } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The rules Meta applies to a template parameter (the server checks the same).
  const fixedTextError = (text: string) => {
    const v = text.trim();
    if (!v) return t('campaigns.form.fixedEmpty');
    if (v.length > MAX_FIXED_PARAMETER_LENGTH) return t('campaigns.form.fixedTooLong', { max: MAX_FIXED_PARAMETER_LENGTH });
    return REFUSED_PARAMETER_TEXT.test(v) ? t('campaigns.form.fixedRefused') : null;
  };
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { name: '', listId: null, templateId: null, mapping: [], texts: [], ratePerSecond: 20, startAt: '' },
    validate: (values) => ({
      name: values.name.trim() ? null : t('campaigns.form.required'),
      listId: values.listId ? null : t('campaigns.form.required'),
      templateId: values.templateId ? null : t('campaigns.form.required'),
      ...Object.fromEntries(values.mapping.map((source, i) => [`texts.${i}`, source === FIXED ? fixedTextError(values.texts[i]) : null])),
    }),
  });
  const template = approved.find((x) => x.id === form.values.templateId);
  const fieldOptions = [
    ...templateLeadFields.map((f) => ({ value: f, label: t(`campaigns.field.${f}`) })),
    { value: FIXED, label: t('campaigns.field.text') },
  ];

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      const campaign = await campaignApi.create(tenantId, {
        name: values.name,
        listId: values.listId!,
        templateId: values.templateId!,
        parameters: toParameters(values),
        ratePerSecond: values.ratePerSecond,
        startAt: values.startAt ? new Date(values.startAt).toISOString() : null,
      });
      await queryClient.invalidateQueries({ queryKey: campaignKeys.all(tenantId) });
      setDraft({ campaign, preview: await campaignApi.preview(tenantId, campaign.id) });
    } catch (err) {
      setError(applyServerErrors(form, err, { parameters: 'mapping' }));
    } finally {
      setBusy(false);
    }
  });

  const start = async () => {
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      await campaignApi.act(tenantId, draft.campaign.id, 'start');
      await queryClient.invalidateQueries({ queryKey: campaignKeys.all(tenantId) });
      onStarted(draft.campaign.id);
    } catch (err) {
      setError(applyServerErrors(form, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="lg" radius="md" data-testid="campaign-form">
      <Title order={2} size="h4" mb="sm">
        {t('campaigns.new')}
      </Title>
      {draft ? (
        <Stack gap="sm">
          <FormError message={error} />
          {template && <MessagePreview body={template.body} variables={template.variables} parameters={draft.campaign.parameters} />}
          <PreviewPanel preview={draft.preview} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button onClick={() => void start()} loading={busy} disabled={!draft.preview.willReceive} data-testid="campaign-confirm">
              {t('campaigns.confirm', { count: draft.preview.willReceive })}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <FormError message={error} />
            <TextInput label={t('campaigns.name')} required {...form.getInputProps('name')} data-testid="campaign-name" />
            <Select
              label={t('campaigns.form.list')}
              required
              searchable
              data={(lists.data?.items ?? []).map((l) => ({ value: l.id, label: l.name }))}
              {...form.getInputProps('listId')}
              data-testid="campaign-list"
            />
            <Select
              label={t('campaigns.form.template')}
              description={t('campaigns.form.templateHint')}
              required
              data={approved.map((x) => ({ value: x.id, label: `${x.name} (${x.language}, ${x.category})` }))}
              {...form.getInputProps('templateId')}
              onChange={(id) => {
                form.setFieldValue('templateId', id);
                const chosen = approved.find((x) => x.id === id);
                form.setFieldValue(
                  'mapping',
                  (chosen?.variables ?? []).map(() => 'name'),
                );
                form.setFieldValue(
                  'texts',
                  (chosen?.variables ?? []).map(() => ''),
                );
              }}
              data-testid="campaign-template"
            />
            {template?.variables.map((variable, i) => (
              <Group key={variable} grow align="flex-start">
                <Select
                  label={t('campaigns.form.variable', { variable: `{{${variable}}}` })}
                  data={fieldOptions}
                  value={form.values.mapping[i]}
                  onChange={(v) => form.setFieldValue(`mapping.${i}`, v ?? 'name')}
                  allowDeselect={false}
                  error={i === 0 ? form.errors.mapping : undefined}
                  data-testid={`campaign-variable-${i}`}
                />
                {form.values.mapping[i] === FIXED && (
                  <TextInput
                    label={t('campaigns.form.fixedText', { variable: `{{${variable}}}` })}
                    description={t('campaigns.form.fixedHint', { max: MAX_FIXED_PARAMETER_LENGTH })}
                    required
                    maxLength={MAX_FIXED_PARAMETER_LENGTH + 100}
                    {...form.getInputProps(`texts.${i}`)}
                    data-testid={`campaign-fixed-${i}`}
                  />
                )}
              </Group>
            ))}
            {template && <MessagePreview body={template.body} variables={template.variables} parameters={toParameters(form.values)} />}
            <Group grow align="flex-start">
              <NumberInput
                label={t('campaigns.form.rate')}
                description={t('campaigns.form.rateHint')}
                min={1}
                max={80}
                {...form.getInputProps('ratePerSecond')}
              />
              <TextInput
                type="datetime-local"
                label={t('campaigns.form.startAt')}
                description={t('campaigns.form.startAtHint')}
                {...form.getInputProps('startAt')}
              />
            </Group>
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={busy} data-testid="campaign-preview">
                {t('campaigns.form.preview')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
