import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Group, NumberInput, PasswordInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { can, evidenceKinds, type EvidenceKind, type ScoringWeightOverrides, type ScoringWeights } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { jobKeys, jobsApi } from '../api/jobs';
import { leadKeys } from '../api/leads';
import { confirmAction } from '../lib/confirm';
import { useI18n } from '../i18n';
import { evidenceKindLabel } from '../jobs/format';
import { PageHeader } from '../shell/PageHeader';
import { ErrorState, FormError, PageLoader, QueryState } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { COUNTRY_CODES } from './countries';

function useCountryOptions(locale: string) {
  return useMemo(() => {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([locale], { type: 'region' });
    } catch {
      names = null;
    }
    return COUNTRY_CODES.map((code) => ({ value: code, label: `${names?.of(code) ?? code} (${code})` })).sort((a, b) =>
      a.label.localeCompare(b.label, locale),
    );
  }, [locale]);
}

function CountryCard({ tenantId }: { tenantId: string }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const options = useCountryOptions(locale);
  const settings = useQuery({ queryKey: jobKeys.settings(tenantId), queryFn: () => jobsApi.settings(tenantId) });
  const [value, setValue] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (settings.data) setValue(settings.data.defaultCountry);
  }, [settings.data]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await jobsApi.saveSettings(tenantId, { defaultCountry: value });
      queryClient.setQueryData(jobKeys.settings(tenantId), saved);
      notifications.show({ color: 'green', message: t('settings.saved') });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="lg" radius="md" data-testid="settings-country">
      <Title order={2} size="h4" mb="xs">
        {t('settings.country.title')}
      </Title>
      <QueryState query={settings} loading={<PageLoader rows={1} />}>
        {(saved) => (
          <form onSubmit={(e) => void save(e)} noValidate>
            <Stack gap="sm">
              <FormError message={error} />
              <Select
                label={t('settings.country')}
                description={t('settings.country.hint')}
                placeholder={t('settings.country.none')}
                data={options}
                value={value}
                onChange={setValue}
                searchable
                clearable
                maw={420}
              />
              <Group>
                <Button type="submit" loading={busy} disabled={value === saved.defaultCountry}>
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </QueryState>
    </Card>
  );
}

function GoogleCard({ tenantId }: { tenantId: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: jobKeys.googleKey(tenantId), queryFn: () => jobsApi.googleKey(tenantId) });
  const [key, setKey] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!key.trim()) return setFieldError(t('settings.google.required'));
    setBusy(true);
    setFieldError(null);
    try {
      const saved = await jobsApi.saveGoogleKey(tenantId, key.trim());
      queryClient.setQueryData(jobKeys.googleKey(tenantId), saved);
      setKey('');
      notifications.show({ color: 'green', message: t('settings.google.saved') });
    } catch (err) {
      const fields = (err as { fields?: { message: string }[] }).fields;
      setFieldError(fields?.[0]?.message ?? errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = () =>
    confirmAction({
      title: t('settings.google.removeTitle'),
      message: t('settings.google.removeBody'),
      confirmLabel: t('settings.google.remove'),
      onConfirm: async () => {
        try {
          await jobsApi.removeGoogleKey(tenantId);
          queryClient.setQueryData(jobKeys.googleKey(tenantId), { configured: false, last4: null });
          notifications.show({ color: 'green', message: t('settings.google.removed') });
        } catch (err) {
          notifications.show({ color: 'red', message: errorMessage(err) });
        }
      },
    });

  return (
    <Card withBorder padding="lg" radius="md" data-testid="settings-google">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('settings.google.title')}
        </Title>
        {status.data && (
          <Badge
            color={status.data.configured ? 'green' : 'gray'}
            variant="light"
            data-testid="google-key-status"
            data-configured={status.data.configured}
          >
            {status.data.configured
              ? t('settings.google.configured', { last4: status.data.last4 ?? '' })
              : t('settings.google.notConfigured')}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('settings.google.hint')}
      </Text>
      <QueryState query={status} loading={<PageLoader rows={1} />}>
        {({ configured }) => (
          <form onSubmit={(e) => void save(e)} noValidate>
            <Stack gap="sm">
              <PasswordInput
                label={t('settings.google.key')}
                value={key}
                onChange={(e) => setKey(e.currentTarget.value)}
                error={fieldError}
                autoComplete="off"
                maxLength={200}
                maw={480}
                dir="ltr"
              />
              <Group>
                <Button type="submit" loading={busy}>
                  {configured ? t('settings.google.replace') : t('settings.google.save')}
                </Button>
                {configured && (
                  <Button variant="light" color="red" onClick={remove}>
                    {t('settings.google.remove')}
                  </Button>
                )}
              </Group>
            </Stack>
          </form>
        )}
      </QueryState>
    </Card>
  );
}

type WeightDraft = Record<EvidenceKind, number | string>;
const draftOf = (w: ScoringWeights): WeightDraft =>
  Object.fromEntries(evidenceKinds.map((k) => [k, w.weights[k] ?? w.defaults[k] ?? 0])) as WeightDraft;

function WeightsCard({ tenantId }: { tenantId: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const weights = useQuery({ queryKey: jobKeys.weights(tenantId), queryFn: () => jobsApi.weights(tenantId) });
  const [draft, setDraft] = useState<WeightDraft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (weights.data) setDraft(draftOf(weights.data));
  }, [weights.data]);

  const apply = async (overrides: ScoringWeightOverrides) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await jobsApi.saveWeights(tenantId, overrides);
      queryClient.setQueryData(jobKeys.weights(tenantId), saved);
      setDraft(draftOf(saved));
      void queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
      void queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'evidence'] });
      notifications.show({ color: 'green', message: t('settings.weights.saved') });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    if (!draft || !weights.data) return;
    const overrides: ScoringWeightOverrides = {};
    for (const k of evidenceKinds) {
      const v = draft[k];
      const n = typeof v === 'number' ? v : Number(v);
      if (v === '' || !Number.isInteger(n) || n < -100 || n > 100) return setError(t('settings.weights.invalid'));
      if (n !== weights.data.defaults[k]) overrides[k] = n;
    }
    void apply(overrides);
  };
  const reset = () =>
    confirmAction({
      title: t('settings.weights.resetTitle'),
      message: t('settings.weights.resetBody'),
      confirmLabel: t('settings.weights.reset'),
      onConfirm: () => void apply({}),
    });

  return (
    <Card withBorder padding="lg" radius="md" data-testid="settings-weights">
      <Title order={2} size="h4" mb="xs">
        {t('settings.weights.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('settings.weights.hint')}
      </Text>
      {weights.isPending || (!draft && !weights.isError) ? (
        <PageLoader rows={4} />
      ) : weights.isError || !draft ? (
        <ErrorState error={weights.error} onRetry={() => void weights.refetch()} />
      ) : (
        <form onSubmit={save} noValidate>
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
                        <Text size="xs">{weights.data.explanations[k]}</Text>
                      </Table.Td>
                      <Table.Td>
                        <NumberInput
                          aria-label={t('settings.weights.weight') + ': ' + evidenceKindLabel(k)}
                          value={draft[k]}
                          onChange={(v) => setDraft({ ...draft, [k]: v })}
                          min={-100}
                          max={100}
                          allowDecimal={false}
                          size="xs"
                          description={t('settings.weights.default', { weight: weights.data.defaults[k] })}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group>
              <Button type="submit" loading={busy}>
                {t('settings.weights.save')}
              </Button>
              <Button variant="default" onClick={reset} disabled={busy || Object.keys(weights.data.overrides).length === 0}>
                {t('settings.weights.reset')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}

export function SettingsPage() {
  const { t } = useI18n();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  if (!can(membership.role, 'settings.manage'))
    return (
      <Stack gap="md">
        <PageHeader title={t('settings.title')} />
        <Alert color="red">{t('errors.forbidden')}</Alert>
      </Stack>
    );
  return (
    <Stack gap="md" data-testid="settings-page">
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle', { tenant: membership.name })} />
      <CountryCard tenantId={tenantId} />
      <GoogleCard tenantId={tenantId} />
      <WeightsCard tenantId={tenantId} />
    </Stack>
  );
}
