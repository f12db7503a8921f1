import { useState } from 'react';
import { Badge, Button, Fieldset, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProspectingSettings } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { confirmAction } from '../lib/confirm';
import { applyServerErrors } from '../lib/forms';
import { useI18n } from '../i18n';
import { FormError, PageLoader, QueryState } from '../shell/states';
import { settingsApi, settingsKeys } from './api';
import { SectionCard, type SectionProps } from './SectionCard';

export function ProspectingSection({ tenantId, canManage }: SectionProps) {
  const { t } = useI18n();
  const query = useQuery({ queryKey: settingsKeys.section(tenantId, 'prospecting'), queryFn: () => settingsApi.prospecting(tenantId) });
  const key = query.data?.googlePlacesKey;
  return (
    <SectionCard
      title={t('settings.google.title')}
      description={t('settings.google.hint')}
      testId="settings-google"
      badge={
        key && (
          <Badge color={key.configured ? 'green' : 'gray'} variant="light" data-testid="google-key-status" data-configured={key.configured}>
            {key.configured ? t('settings.google.configured', { last4: key.last4 ?? '' }) : t('settings.google.notConfigured')}
          </Badge>
        )
      }
    >
      <QueryState query={query} loading={<PageLoader rows={1} />}>
        {(saved) => <GoogleKeyForm tenantId={tenantId} saved={saved} canManage={canManage} />}
      </QueryState>
    </SectionCard>
  );
}

function GoogleKeyForm({ tenantId, saved, canManage }: SectionProps & { saved: ProspectingSettings }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { apiKey: '' },
    validate: {
      apiKey: (raw) => {
        const v = raw.trim();
        if (!v) return t('settings.google.required');
        if (v.length < 20 || v.length > 200) return t('settings.google.length');
        return /^[\w-]+$/.test(v) ? null : t('settings.google.chars');
      },
    },
  });
  const store = (next: ProspectingSettings) => queryClient.setQueryData(settingsKeys.section(tenantId, 'prospecting'), next);

  const submit = form.onSubmit(async ({ apiKey }) => {
    setBusy(true);
    setError(null);
    try {
      store(await settingsApi.saveGoogleKey(tenantId, apiKey.trim()));
      form.reset();
      notifications.show({ color: 'green', message: t('settings.google.saved') });
    } catch (err) {
      setError(applyServerErrors(form, err));
    } finally {
      setBusy(false);
    }
  });
  const remove = () =>
    confirmAction({
      title: t('settings.google.removeTitle'),
      message: t('settings.google.removeBody'),
      confirmLabel: t('settings.google.remove'),
      onConfirm: () =>
        void settingsApi.removeGoogleKey(tenantId).then(
          (next) => {
            store(next);
            notifications.show({ color: 'green', message: t('settings.google.removed') });
          },
          (err) => notifications.show({ color: 'red', message: errorMessage(err) }),
        ),
    });

  if (!canManage)
    return (
      <Text size="sm" c="dimmed">
        {saved.googlePlacesKey.configured ? t('settings.google.readOnlyConfigured') : t('settings.google.readOnlyMissing')}
      </Text>
    );
  return (
    <form onSubmit={submit} noValidate>
      <Fieldset variant="unstyled">
        <Stack gap="sm">
          <FormError message={error} />
          <PasswordInput
            label={t('settings.google.key')}
            autoComplete="off"
            maxLength={200}
            maw={480}
            dir="ltr"
            {...form.getInputProps('apiKey')}
          />
          <Group>
            <Button type="submit" loading={busy}>
              {saved.googlePlacesKey.configured ? t('settings.google.replace') : t('settings.google.save')}
            </Button>
            {saved.googlePlacesKey.configured && (
              <Button variant="light" color="red" onClick={remove} disabled={busy}>
                {t('settings.google.remove')}
              </Button>
            )}
          </Group>
        </Stack>
      </Fieldset>
    </form>
  );
}
