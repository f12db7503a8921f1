import { useState } from 'react';
import { Fieldset, Select, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { countryCodes, type GeneralSettings } from '@optarget/shared';
import { applyServerErrors } from '../lib/forms';
import { useI18n } from '../i18n';
import { FormError, PageLoader, QueryState } from '../shell/states';
import { settingsApi, settingsKeys } from './api';
import { useCountryOptions } from './countries';
import { SaveBar, SectionCard, type SectionProps } from './SectionCard';

export function GeneralSection({ tenantId, canManage }: SectionProps) {
  const { t } = useI18n();
  const query = useQuery({ queryKey: settingsKeys.section(tenantId, 'general'), queryFn: () => settingsApi.general(tenantId) });
  return (
    <SectionCard title={t('settings.country.title')} description={t('settings.country.hint')} testId="settings-general">
      <QueryState query={query} loading={<PageLoader rows={1} />}>
        {(saved) => <GeneralForm key={JSON.stringify(saved)} tenantId={tenantId} saved={saved} canManage={canManage} />}
      </QueryState>
    </SectionCard>
  );
}

function GeneralForm({ tenantId, saved, canManage }: SectionProps & { saved: GeneralSettings }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const options = useCountryOptions(locale);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { defaultCountry: saved.defaultCountry },
    validate: { defaultCountry: (v) => (v === null || countryCodes.includes(v) ? null : t('settings.country.invalid')) },
  });

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      const next = await settingsApi.saveGeneral(tenantId, values);
      queryClient.setQueryData(settingsKeys.section(tenantId, 'general'), next);
      notifications.show({ color: 'green', message: t('settings.saved') });
    } catch (err) {
      setError(applyServerErrors(form, err));
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} onReset={form.onReset} noValidate>
      <Fieldset variant="unstyled" disabled={!canManage}>
        <Stack gap="sm">
          <FormError message={error} />
          <Select
            label={t('settings.country')}
            placeholder={t('settings.country.none')}
            data={options}
            searchable
            clearable
            maw={420}
            {...form.getInputProps('defaultCountry')}
          />
          <SaveBar busy={busy} dirty={form.isDirty()} label={t('common.save')} canManage={canManage} />
        </Stack>
      </Fieldset>
    </form>
  );
}
