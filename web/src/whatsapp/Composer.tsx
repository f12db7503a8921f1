import { useState } from 'react';
import { Button, Group, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { templateLeadFields, type Lead, type TemplateParameter, type WhatsappConversation, type WhatsappTemplate } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { tDynamic, useI18n } from '../i18n';
import { FormError } from '../shell/states';
import { whatsappApi, whatsappKeys } from './api';

type Kind = 'text' | 'template';
type LeadField = (typeof templateLeadFields)[number];
/** A variable's source in the form: a lead field, `reportLink` for the report's share link, or `text` for fixed text. */
type Slot = { source: string; text: string };

/** Free text while the window is open, an approved template to opted-in leads; each mode says why when it is unavailable. */
export function Composer({ tenantId, conversation: c, lead }: { tenantId: string; conversation: WhatsappConversation; lead: Lead }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>(c.textBlockedBy ? 'template' : 'text');
  const blocked = kind === 'text' ? c.textBlockedBy : c.templateBlockedBy;
  return (
    <Stack gap="xs" data-testid="whatsapp-composer">
      <SegmentedControl
        size="xs"
        value={kind}
        onChange={(v) => setKind(v as Kind)}
        data={[
          { value: 'text', label: t('whatsapp.composer.text') },
          { value: 'template', label: t('whatsapp.composer.template') },
        ]}
        style={{ alignSelf: 'flex-start' }}
      />
      {blocked ? (
        <Text size="sm" c="dimmed" data-testid="whatsapp-composer-blocked">
          {tDynamic(`whatsapp.blocked.${blocked}`, blocked)}
        </Text>
      ) : kind === 'text' ? (
        <TextComposer tenantId={tenantId} leadId={c.leadId} />
      ) : (
        <TemplateComposer tenantId={tenantId} lead={lead} />
      )}
    </Stack>
  );
}

/** Sends one message to the lead and refreshes its thread; the error is the API's, in words. */
export function useSend(tenantId: string, leadId: string) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (body: Parameters<typeof whatsappApi.send>[2]) => {
    setBusy(true);
    setError(null);
    try {
      await whatsappApi.send(tenantId, leadId, body);
      await queryClient.invalidateQueries({ queryKey: whatsappKeys.thread(tenantId, leadId) });
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, send };
}

function TextComposer({ tenantId, leadId }: { tenantId: string; leadId: string }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const { busy, error, send } = useSend(tenantId, leadId);
  const submit = async () => {
    if (!text.trim()) return;
    if (await send({ kind: 'text', text: text.trim(), idempotencyKey: crypto.randomUUID() })) setText('');
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="xs">
        <FormError message={error} />
        <Textarea
          aria-label={t('whatsapp.composer.text')}
          placeholder={t('whatsapp.composer.placeholder')}
          autosize
          minRows={2}
          maxLength={4096}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          }}
          dir="auto"
          data-testid="whatsapp-text"
        />
        <Group justify="flex-end">
          <Button type="submit" loading={busy} disabled={!text.trim()} data-testid="whatsapp-send">
            {t('whatsapp.composer.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const fill = (body: string | null, variables: string[], values: string[]) =>
  variables.reduce((out, name, i) => out.replaceAll(`{{${name}}}`, values[i] || `{{${name}}}`), body ?? '');

/** A template with its variables filled from the lead's fields or fixed text, previewed with the lead's own data. */
function TemplateComposer({ tenantId, lead }: { tenantId: string; lead: Lead }) {
  const leadId = lead.id;
  const { t } = useI18n();
  const templates = useQuery({ queryKey: whatsappKeys.templates(tenantId), queryFn: () => whatsappApi.templates(tenantId) });
  const approved = (templates.data?.items ?? []).filter((x) => x.status === 'APPROVED');
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [slots, setSlots] = useState<Slot[]>([]);
  const { busy, error, send } = useSend(tenantId, leadId);
  const template = approved.find((x) => x.id === templateId);
  const choose = (id: string | null) => {
    setTemplateId(id);
    const chosen = approved.find((x) => x.id === id);
    setSlots((chosen?.variables ?? []).map((_, i) => ({ source: i === 0 ? 'name' : 'text', text: '' })));
  };
  const valueOf = (s: Slot) =>
    s.source === 'text'
      ? s.text.trim()
      : s.source === 'reportLink'
        ? t('whatsapp.composer.reportLinkPreview')
        : (lead[s.source as LeadField] ?? '');
  const missing = slots.some((s) => !valueOf(s));
  const submit = async (chosen: WhatsappTemplate) => {
    const parameters: TemplateParameter[] = slots.map((s) =>
      s.source === 'text'
        ? { source: 'text', text: s.text.trim() }
        : s.source === 'reportLink'
          ? { source: 'reportLink' }
          : { source: 'field', field: s.source as LeadField },
    );
    if (await send({ kind: 'template', templateId: chosen.id, parameters, idempotencyKey: crypto.randomUUID() })) choose(null);
  };
  if (templates.isError) return <FormError message={errorMessage(templates.error)} />;
  if (templates.data && approved.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="whatsapp-no-templates">
        {t('whatsapp.composer.noTemplates')}
      </Text>
    );
  const sources = [
    ...templateLeadFields.map((f) => ({ value: f, label: t(`lead.field.${f}`) })),
    { value: 'reportLink', label: t('whatsapp.composer.reportLink') },
    { value: 'text', label: t('whatsapp.composer.fixedText') },
  ];
  return (
    <Stack gap="xs">
      <FormError message={error} />
      <Select
        label={t('whatsapp.composer.chooseTemplate')}
        data={approved.map((x) => ({ value: x.id, label: `${x.name} (${x.language})` }))}
        value={templateId}
        onChange={choose}
        searchable
        data-testid="whatsapp-template-select"
      />
      {template && (
        <>
          {template.variables.map((name, i) => (
            <Group key={name} gap="xs" align="flex-end" wrap="nowrap">
              <Select
                label={t('whatsapp.composer.variable', { name })}
                data={sources}
                value={slots[i]?.source ?? 'text'}
                onChange={(v) => setSlots((all) => all.map((s, j) => (j === i ? { ...s, source: v ?? 'text' } : s)))}
                allowDeselect={false}
                w={180}
              />
              {slots[i]?.source === 'text' && (
                <TextInput
                  aria-label={t('whatsapp.composer.fixedValue', { name })}
                  value={slots[i].text}
                  onChange={(e) => {
                    const text = e.currentTarget.value;
                    setSlots((all) => all.map((s, j) => (j === i ? { ...s, text } : s)));
                  }}
                  style={{ flex: 1 }}
                />
              )}
            </Group>
          ))}
          <Text size="sm" c="dimmed" dir="auto" data-testid="whatsapp-template-preview">
            {fill(template.body, template.variables, slots.map(valueOf))}
          </Text>
          {missing && (
            <Text size="xs" c="orange" data-testid="whatsapp-template-missing">
              {t('whatsapp.composer.missingValue')}
            </Text>
          )}
          <Group justify="flex-end">
            <Button onClick={() => void submit(template)} loading={busy} disabled={missing} data-testid="whatsapp-send-template">
              {t('whatsapp.composer.sendTemplate')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
