import { useState } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  GRAPH_VERSION_PATTERN,
  type UpdateWhatsappSettingsBody,
  type WhatsappConnectionCheck,
  type WhatsappSettings,
} from '@optarget/shared';
import { errorMessage } from '../api/client';
import { confirmAction } from '../lib/confirm';
import { applyServerErrors } from '../lib/forms';
import { useI18n } from '../i18n';
import { SectionCard, type SectionProps } from '../settings/SectionCard';
import { FormError, PageLoader, QueryState } from '../shell/states';
import { whatsappApi, whatsappKeys } from './api';
import { TemplatesCard } from './TemplatesCard';

/** Settings → WhatsApp: the Cloud API connection, the webhook to paste into Meta, and the templates. */
export function ConnectionSection({ tenantId, canManage }: SectionProps) {
  const { t } = useI18n();
  const query = useQuery({ queryKey: whatsappKeys.settings(tenantId), queryFn: () => whatsappApi.settings(tenantId) });
  return (
    <Stack gap="md">
      <SectionCard
        title={t('whatsapp.settings.title')}
        description={t('whatsapp.settings.hint')}
        testId="settings-whatsapp"
        badge={
          query.data && (
            <Badge
              color={query.data.connected ? 'green' : 'gray'}
              variant="light"
              data-testid="whatsapp-connected"
              data-connected={query.data.connected}
            >
              {query.data.connected ? t('whatsapp.settings.connected') : t('whatsapp.settings.notConnected')}
            </Badge>
          )
        }
      >
        <QueryState query={query} loading={<PageLoader rows={3} />}>
          {(saved) => (
            <Stack gap="lg">
              <WebhookDetails saved={saved} tenantId={tenantId} canManage={canManage} />
              {canManage ? (
                <ConnectionForm tenantId={tenantId} saved={saved} />
              ) : (
                <Text size="sm" c="dimmed">
                  {t('whatsapp.settings.readOnly')}
                </Text>
              )}
            </Stack>
          )}
        </QueryState>
      </SectionCard>
      {query.data?.connected && <TemplatesCard tenantId={tenantId} canManage={canManage} />}
    </Stack>
  );
}

function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useI18n();
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code dir="ltr" data-testid={testId} style={{ wordBreak: 'break-all' }}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('whatsapp.settings.copied') : t('whatsapp.settings.copy')}>
              <ActionIcon variant="subtle" onClick={copy} aria-label={`${t('whatsapp.settings.copy')}: ${label}`}>
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

function WebhookDetails({ saved, tenantId, canManage }: { saved: WhatsappSettings } & SectionProps) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const renew = () =>
    confirmAction({
      title: t('whatsapp.settings.newTokenTitle'),
      message: t('whatsapp.settings.newTokenBody'),
      confirmLabel: t('whatsapp.settings.newToken'),
      onConfirm: () =>
        void whatsappApi.newVerifyToken(tenantId).then(
          (next) => queryClient.setQueryData(whatsappKeys.settings(tenantId), next),
          (err) => notifications.show({ color: 'red', message: errorMessage(err) }),
        ),
    });
  return (
    <Stack gap="sm">
      <CopyField label={t('whatsapp.settings.webhookUrl')} value={saved.webhookUrl} testId="whatsapp-webhook-url" />
      {saved.verifyToken && (
        <Group align="flex-end" gap="sm">
          <CopyField label={t('whatsapp.settings.verifyToken')} value={saved.verifyToken} testId="whatsapp-verify-token" />
          {canManage && (
            <Button variant="subtle" size="xs" onClick={renew}>
              {t('whatsapp.settings.newToken')}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}

type FormValues = { phoneNumberId: string; businessAccountId: string; accessToken: string; appSecret: string; graphVersion: string };

function ConnectionForm({ tenantId, saved }: { tenantId: string; saved: WhatsappSettings }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<WhatsappConnectionCheck | null>(null);
  const digits = (label: string) => (v: string) =>
    /^\d{5,25}$/.test(v.trim()) ? null : t('whatsapp.settings.digitsOnly', { field: label });
  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: {
      phoneNumberId: saved.phoneNumberId ?? '',
      businessAccountId: saved.businessAccountId ?? '',
      accessToken: '',
      appSecret: '',
      graphVersion: saved.graphVersion,
    },
    validate: {
      phoneNumberId: digits(t('whatsapp.settings.phoneNumberId')),
      businessAccountId: digits(t('whatsapp.settings.businessAccountId')),
      accessToken: (v) => (v.trim() || saved.accessToken.configured ? null : t('whatsapp.settings.tokenRequired')),
      appSecret: (v) => (v.trim() || saved.appSecret.configured ? null : t('whatsapp.settings.secretRequired')),
      graphVersion: (v) => (GRAPH_VERSION_PATTERN.test(v.trim()) ? null : t('whatsapp.settings.versionFormat')),
    },
  });
  const store = (next: WhatsappSettings) => queryClient.setQueryData(whatsappKeys.settings(tenantId), next);

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    const body: UpdateWhatsappSettingsBody = {
      phoneNumberId: values.phoneNumberId.trim(),
      businessAccountId: values.businessAccountId.trim(),
      graphVersion: values.graphVersion.trim(),
      ...(values.accessToken.trim() ? { accessToken: values.accessToken.trim() } : {}),
      ...(values.appSecret.trim() ? { appSecret: values.appSecret.trim() } : {}),
    };
    try {
      store(await whatsappApi.saveSettings(tenantId, body));
      form.setValues({ accessToken: '', appSecret: '' });
      notifications.show({ color: 'green', message: t('whatsapp.settings.saved') });
    } catch (err) {
      setError(applyServerErrors(form, err));
    } finally {
      setBusy(false);
    }
  });
  const test = async () => {
    setBusy(true);
    setError(null);
    setCheck(null);
    try {
      setCheck(await whatsappApi.checkConnection(tenantId));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const disconnect = () =>
    confirmAction({
      title: t('whatsapp.settings.disconnectTitle'),
      message: t('whatsapp.settings.disconnectBody'),
      confirmLabel: t('whatsapp.settings.disconnect'),
      onConfirm: () =>
        void whatsappApi.disconnect(tenantId).then(store, (err) => notifications.show({ color: 'red', message: errorMessage(err) })),
    });
  const masked = (mask: WhatsappSettings['accessToken']) =>
    mask.configured ? t('whatsapp.settings.keepSaved', { last4: mask.last4 ?? '••••' }) : undefined;

  return (
    <form onSubmit={submit} noValidate data-testid="whatsapp-connection-form">
      <Stack gap="sm">
        <FormError message={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('whatsapp.settings.phoneNumberId')} dir="ltr" inputMode="numeric" {...form.getInputProps('phoneNumberId')} />
          <TextInput
            label={t('whatsapp.settings.businessAccountId')}
            dir="ltr"
            inputMode="numeric"
            {...form.getInputProps('businessAccountId')}
          />
          <PasswordInput
            label={t('whatsapp.settings.accessToken')}
            description={masked(saved.accessToken)}
            autoComplete="off"
            dir="ltr"
            {...form.getInputProps('accessToken')}
          />
          <PasswordInput
            label={t('whatsapp.settings.appSecret')}
            description={masked(saved.appSecret)}
            autoComplete="off"
            dir="ltr"
            {...form.getInputProps('appSecret')}
          />
          <TextInput label={t('whatsapp.settings.graphVersion')} dir="ltr" maw={160} {...form.getInputProps('graphVersion')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={busy}>
            {t('whatsapp.settings.save')}
          </Button>
          {saved.connected && (
            <>
              <Button variant="light" onClick={() => void test()} disabled={busy} data-testid="whatsapp-test-connection">
                {t('whatsapp.settings.test')}
              </Button>
              <Button variant="light" color="red" onClick={disconnect} disabled={busy}>
                {t('whatsapp.settings.disconnect')}
              </Button>
            </>
          )}
        </Group>
        {check && (
          <Text size="sm" data-testid="whatsapp-check-result">
            {t('whatsapp.settings.checkResult', {
              name: check.verifiedName ?? '—',
              number: check.displayPhoneNumber ?? '—',
              quality: check.qualityRating ?? '—',
              limit: check.messagingLimit ?? '—',
            })}
          </Text>
        )}
      </Stack>
    </form>
  );
}
