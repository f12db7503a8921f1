import { useState } from 'react';
import { Button, Fieldset, Group, NumberInput, Stack, Table, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { evidenceKinds, type EvidenceKind, type ScoringWeightOverrides, type ScoringWeights } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { leadKeys } from '../api/leads';
import { confirmAction } from '../lib/confirm';
import { useI18n } from '../i18n';
import { evidenceKindLabel } from '../jobs/format';
import { FormError, PageLoader, QueryState } from '../shell/states';
import { settingsApi, settingsKeys } from './api';
import { SaveBar, SectionCard, type SectionProps } from './SectionCard';

type WeightDraft = Record<EvidenceKind, number | string>;
const draftOf = (w: ScoringWeights): WeightDraft =>
  Object.fromEntries(evidenceKinds.map((k) => [k, w.weights[k] ?? w.defaults[k] ?? 0])) as WeightDraft;
const isWeight = (v: number | string) => v !== '' && Number.isInteger(Number(v)) && Number(v) >= -100 && Number(v) <= 100;

export function ScoringSection({ tenantId, canManage }: SectionProps) {
  const { t } = useI18n();
  const query = useQuery({ queryKey: settingsKeys.section(tenantId, 'scoring'), queryFn: () => settingsApi.scoring(tenantId) });
  return (
    <SectionCard title={t('settings.weights.title')} description={t('settings.weights.hint')} testId="settings-weights">
      <QueryState query={query} loading={<PageLoader rows={4} />}>
        {(saved) => <WeightsForm key={JSON.stringify(saved.overrides)} tenantId={tenantId} saved={saved} canManage={canManage} />}
      </QueryState>
    </SectionCard>
  );
}

function WeightsForm({ tenantId, saved, canManage }: SectionProps & { saved: ScoringWeights }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<WeightDraft>({
    mode: 'controlled',
    initialValues: draftOf(saved),
    validate: Object.fromEntries(
      evidenceKinds.map((k) => [k, (v: number | string) => (isWeight(v) ? null : t('settings.weights.invalid'))]),
    ),
  });

  const apply = async (overrides: ScoringWeightOverrides) => {
    setBusy(true);
    setError(null);
    try {
      queryClient.setQueryData(settingsKeys.section(tenantId, 'scoring'), await settingsApi.saveScoring(tenantId, overrides));
      void queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
      void queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'evidence'] });
      notifications.show({ color: 'green', message: t('settings.weights.saved') });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  // Only weights that differ from their default are overrides; the others follow future defaults.
  const submit = form.onSubmit((draft) =>
    apply(Object.fromEntries(evidenceKinds.filter((k) => Number(draft[k]) !== saved.defaults[k]).map((k) => [k, Number(draft[k])]))),
  );
  const reset = () =>
    confirmAction({
      title: t('settings.weights.resetTitle'),
      message: t('settings.weights.resetBody'),
      confirmLabel: t('settings.weights.reset'),
      onConfirm: () => void apply({}),
    });

  return (
    <form onSubmit={submit} onReset={form.onReset} noValidate>
      <Fieldset variant="unstyled" disabled={!canManage}>
        <Stack gap="sm">
          <FormError message={error} />
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('settings.weights.kind')}</Table.Th>
                  <Table.Th>{t('settings.weights.explanation')}</Table.Th>
                  <Table.Th w={150}>{t('settings.weights.weight')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {evidenceKinds.map((k) => (
                  <Table.Tr key={k} data-testid="weight-row" data-kind={k}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {evidenceKindLabel(k)}
                      </Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {k}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{saved.explanations[k]}</Text>
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={t('settings.weights.weight') + ': ' + evidenceKindLabel(k)}
                        min={-100}
                        max={100}
                        allowDecimal={false}
                        size="xs"
                        description={t('settings.weights.default', { weight: saved.defaults[k] })}
                        {...form.getInputProps(k)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group align="flex-start">
            <SaveBar busy={busy} dirty={form.isDirty()} label={t('settings.weights.save')} canManage={canManage} />
            {canManage && (
              <Button variant="subtle" onClick={reset} disabled={busy || Object.keys(saved.overrides).length === 0}>
                {t('settings.weights.reset')}
              </Button>
            )}
          </Group>
        </Stack>
      </Fieldset>
    </form>
  );
}
