import { useState } from 'react';
import { ActionIcon, Button, Fieldset, Group, NumberInput, Select, Stack, Table, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { templateCategories, type WhatsappRates } from '@optarget/shared';
import { applyServerErrors } from '../../lib/forms';
import { useI18n } from '../../i18n';
import { SaveBar, SectionCard, type SectionProps } from '../../settings/SectionCard';
import { FormError, PageLoader, QueryState } from '../../shell/states';
import { campaignApi, campaignKeys } from './api';

/** The tenant's copy of Meta's message rates by country and category, for campaign cost estimates. */
export function RatesSection({ tenantId, canManage }: SectionProps) {
  const { t } = useI18n();
  const query = useQuery({ queryKey: campaignKeys.rates(tenantId), queryFn: () => campaignApi.rates(tenantId) });
  return (
    <SectionCard title={t('rates.title')} description={t('rates.hint')} testId="settings-whatsapp-rates">
      <QueryState query={query} loading={<PageLoader rows={2} />}>
        {(saved) => <RatesForm key={JSON.stringify(saved)} tenantId={tenantId} saved={saved} canManage={canManage} />}
      </QueryState>
    </SectionCard>
  );
}

function RatesForm({ tenantId, saved, canManage }: SectionProps & { saved: WhatsappRates }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ mode: 'controlled', initialValues: saved });
  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      const next = await campaignApi.saveRates(tenantId, values);
      queryClient.setQueryData(campaignKeys.rates(tenantId), next);
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
          <TextInput label={t('rates.currency')} w={160} {...form.getInputProps('currency')} />
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rates.country')}</Table.Th>
                <Table.Th>{t('rates.category')}</Table.Th>
                <Table.Th>{t('rates.rate')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {form.values.rates.map((_, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    <TextInput aria-label={t('rates.country')} maxLength={2} {...form.getInputProps(`rates.${i}.country`)} />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('rates.category')}
                      data={[...templateCategories]}
                      {...form.getInputProps(`rates.${i}.category`)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput aria-label={t('rates.rate')} min={0} decimalScale={6} {...form.getInputProps(`rates.${i}.rate`)} />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" aria-label={t('rates.remove')} onClick={() => form.removeListItem('rates', i)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {typeof form.errors.rates === 'string' && <FormError message={form.errors.rates} />}
          {canManage && (
            <Group>
              <Button
                variant="default"
                leftSection={<IconPlus size={16} />}
                onClick={() => form.insertListItem('rates', { country: '', category: 'MARKETING', rate: 0 })}
              >
                {t('rates.add')}
              </Button>
            </Group>
          )}
          <SaveBar busy={busy} dirty={form.isDirty()} label={t('common.save')} canManage={canManage} />
        </Stack>
      </Fieldset>
    </form>
  );
}
