import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Select, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { templateCategories, templateVariables, type CreateTemplateBody, type TemplateButton } from '@optarget/shared';
import { errorMessage, isApiError, type FieldError } from '../api/client';
import { useI18n } from '../i18n';
import { whatsappApi, whatsappKeys } from './api';

type Draft = {
  name: string;
  language: string;
  category: CreateTemplateBody['category'];
  parameterFormat: CreateTemplateBody['parameterFormat'];
  header: string;
  body: string;
  footer: string;
  quickReplies: string[];
  urlText: string;
  url: string;
  examples: Record<string, string>;
};
const empty: Draft = {
  name: '',
  language: 'en_US',
  category: 'MARKETING',
  parameterFormat: 'POSITIONAL',
  header: '',
  body: '',
  footer: '',
  quickReplies: [],
  urlText: '',
  url: '',
  examples: {},
};

function toBody(d: Draft): CreateTemplateBody {
  const variables = templateVariables(d.body);
  const buttons: TemplateButton[] = [
    ...d.quickReplies.map((text) => ({ type: 'QUICK_REPLY' as const, text })),
    ...(d.url.trim() ? [{ type: 'URL' as const, text: d.urlText, url: d.url }] : []),
  ];
  return {
    name: d.name,
    language: d.language,
    category: d.category,
    parameterFormat: d.parameterFormat,
    body: d.body,
    ...(d.header.trim() ? { header: d.header } : {}),
    ...(d.footer.trim() ? { footer: d.footer } : {}),
    buttons,
    examples: Object.fromEntries(variables.map((v) => [v, d.examples[v] ?? ''])),
  };
}

/** A new template to submit to Meta: its parts, and an example value for each variable the body uses. */
export function TemplateForm({ tenantId, opened, onClose }: { tenantId: string; opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(empty);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const fieldError = (name: string) => fields.find((f) => f.field === name)?.message;
  const variables = templateVariables(draft.body);

  const close = () => {
    setDraft(empty);
    setFields([]);
    setError(null);
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFields([]);
    setError(null);
    try {
      const created = await whatsappApi.createTemplate(tenantId, toBody(draft));
      notifications.show({ color: 'green', message: t('whatsapp.templates.created', { name: created.name }) });
      await queryClient.invalidateQueries({ queryKey: whatsappKeys.templates(tenantId) });
      close();
    } catch (err) {
      // Field errors show under their inputs; anything else (Meta's refusal, a taken name) above the buttons.
      if (isApiError(err, 400) && err.fields.length) setFields(err.fields);
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t('whatsapp.templates.new')} size="lg">
      <form onSubmit={(e) => void submit(e)} data-testid="template-form">
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput
              label={t('whatsapp.templates.name')}
              description={t('whatsapp.templates.nameHint')}
              required
              dir="ltr"
              value={draft.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={fieldError('name')}
            />
            <TextInput
              label={t('whatsapp.templates.language')}
              description={t('whatsapp.templates.languageHint')}
              required
              dir="ltr"
              value={draft.language}
              onChange={(e) => set('language', e.currentTarget.value)}
              error={fieldError('language')}
            />
          </Group>
          <Group grow align="flex-start">
            <Select
              label={t('whatsapp.templates.category')}
              data={templateCategories.map((c) => ({ value: c, label: t(`whatsapp.templates.category.${c}`) }))}
              value={draft.category}
              allowDeselect={false}
              onChange={(v) => v && set('category', v as Draft['category'])}
            />
            <Select
              label={t('whatsapp.templates.variables')}
              data={[
                { value: 'POSITIONAL', label: t('whatsapp.templates.variables.positional') },
                { value: 'NAMED', label: t('whatsapp.templates.variables.named') },
              ]}
              value={draft.parameterFormat}
              allowDeselect={false}
              onChange={(v) => v && set('parameterFormat', v as Draft['parameterFormat'])}
            />
          </Group>
          <TextInput
            label={t('whatsapp.templates.header')}
            dir="auto"
            value={draft.header}
            onChange={(e) => set('header', e.currentTarget.value)}
            error={fieldError('header')}
          />
          <Textarea
            label={t('whatsapp.templates.body')}
            description={t('whatsapp.templates.bodyHint')}
            required
            autosize
            minRows={3}
            dir="auto"
            value={draft.body}
            onChange={(e) => set('body', e.currentTarget.value)}
            error={fieldError('body')}
          />
          {variables.map((v) => (
            <TextInput
              key={v}
              label={t('whatsapp.templates.example', { name: `{{${v}}}` })}
              required
              dir="auto"
              value={draft.examples[v] ?? ''}
              onChange={(e) => set('examples', { ...draft.examples, [v]: e.currentTarget.value })}
              error={fieldError(`examples.${v}`)}
            />
          ))}
          <TextInput
            label={t('whatsapp.templates.footer')}
            dir="auto"
            value={draft.footer}
            onChange={(e) => set('footer', e.currentTarget.value)}
            error={fieldError('footer')}
          />
          <TagsInput
            label={t('whatsapp.templates.quickReplies')}
            description={t('whatsapp.templates.quickRepliesHint')}
            maxTags={3}
            value={draft.quickReplies}
            onChange={(v) => set('quickReplies', v)}
          />
          <Group grow align="flex-start">
            <TextInput
              label={t('whatsapp.templates.urlText')}
              dir="auto"
              value={draft.urlText}
              onChange={(e) => set('urlText', e.currentTarget.value)}
            />
            <TextInput
              label={t('whatsapp.templates.url')}
              dir="ltr"
              placeholder="https://"
              value={draft.url}
              onChange={(e) => set('url', e.currentTarget.value)}
              error={fields.find((f) => f.field.startsWith('buttons.'))?.message}
            />
          </Group>
          {error && (
            <Alert color="red" data-testid="template-form-error">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="template-submit">
              {t('whatsapp.templates.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
