import { useMemo, useState } from 'react';
import {
  Alert,
  Autocomplete,
  Button,
  Card,
  Checkbox,
  Group,
  Input,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { can, type Job, type ProspectSource, type ProspectSearchBody } from '@optarget/shared';
import { isApiError } from '../api/client';
import { jobKeys, jobsApi } from '../api/jobs';
import { leadKeys } from '../api/leads';
import { listKeys } from '../api/lists';
import { appApi } from '../api/app';
import { keys } from '../api/queries';
import { applyServerErrors } from '../lib/forms';
import { AnchorLink, ButtonLink } from '../lib/links';
import { useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { FormError } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { useListOptions } from '../leads/hooks';
import { JobLivePanel } from '../jobs/JobProgress';
import { isFinished } from '../jobs/format';
import { useJobLive } from '../jobs/useJobLive';
import { settingsApi, settingsKeys } from '../settings/api';
import { OsmAttribution } from './OsmAttribution';

type FormValues = {
  query: string;
  mode: 'place' | 'point';
  location: string;
  lat: number | string;
  lon: number | string;
  radiusKm: number | string;
  limit: number | string;
  sources: string[];
  listId: string | null;
  enrich: boolean;
};

const num = (v: number | string): number => (typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v));
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function CategoryAutocomplete({ tenantId, ...props }: { tenantId: string } & Record<string, unknown>) {
  const { t } = useI18n();
  const value = typeof props.value === 'string' ? props.value : '';
  const [q] = useDebouncedValue(value.trim(), 200);
  const cats = useQuery({
    queryKey: jobKeys.categories(tenantId, q),
    queryFn: ({ signal }) => jobsApi.categories(tenantId, q, signal),
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => cats.data?.items ?? [], [cats.data]);
  const data = useMemo(() => [...new Set(items.map((c) => c.en))], [items]);
  const arabic = useMemo(() => new Map(items.map((c) => [c.en, c.ar])), [items]);
  return (
    // The label is rendered apart from the Autocomplete so its suggestion list is not labelled the same
    // (tests and screen readers find exactly one field called "What are you looking for?").
    <Stack gap={0}>
      <Input.Label htmlFor="search-query">{t('prospecting.query')}</Input.Label>
      <Autocomplete
        id="search-query"
        placeholder={t('prospecting.query.placeholder')}
        description={t('prospecting.query.hint')}
        data={data}
        filter={({ options }) => options}
        limit={12}
        maxLength={120}
        data-autofocus
        renderOption={({ option }) => (
          <Group justify="space-between" gap="md" wrap="nowrap" w="100%">
            <Text size="sm">{option.value}</Text>
            {arabic.get(option.value) && (
              <Text size="sm" c="dimmed" dir="rtl" lang="ar">
                {arabic.get(option.value)}
              </Text>
            )}
          </Group>
        )}
        {...props}
      />
    </Stack>
  );
}

function SearchResult({ tenantId, job }: { tenantId: string; job: Job }) {
  const { t, formatNumber } = useI18n();
  const r = job.result ?? {};
  const listId = typeof job.input.listId === 'string' ? job.input.listId : null;
  const cells: { key: 'found' | 'new' | 'merged' | 'skipped'; label: string }[] = [
    { key: 'found', label: t('prospecting.result.found') },
    { key: 'new', label: t('prospecting.result.new') },
    { key: 'merged', label: t('prospecting.result.merged') },
    { key: 'skipped', label: t('prospecting.result.skipped') },
  ];
  return (
    <Stack
      gap="sm"
      data-testid="search-result"
      data-found={count(r.found)}
      data-new={count(r.new)}
      data-merged={count(r.merged)}
      data-skipped={count(r.skipped)}
    >
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {cells.map((c) => (
          <Paper key={c.key} withBorder p="sm" radius="md" data-testid={`search-result-${c.key}`}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              {c.label}
            </Text>
            <Text size="xl" fw={800}>
              {formatNumber(count(r[c.key]))}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Group>
        <ButtonLink to="/t/$tenantId/leads" params={{ tenantId }} search={{ jobId: job.id }} data-testid="search-view-leads">
          {t('prospecting.viewLeads')}
        </ButtonLink>
        {count(r.new) > 0 && count(r.merged) > 0 && (
          <>
            <ButtonLink to="/t/$tenantId/leads" params={{ tenantId }} search={{ jobId: job.id, jobOutcome: 'new' }} variant="default">
              {t('prospecting.viewNew', { count: formatNumber(count(r.new)) })}
            </ButtonLink>
            <ButtonLink to="/t/$tenantId/leads" params={{ tenantId }} search={{ jobId: job.id, jobOutcome: 'merged' }} variant="default">
              {t('prospecting.viewMerged', { count: formatNumber(count(r.merged)) })}
            </ButtonLink>
          </>
        )}
        {listId && (
          <ButtonLink to="/t/$tenantId/lists/$listId" params={{ tenantId, listId }} search={{}} variant="default">
            {t('prospecting.viewList')}
          </ButtonLink>
        )}
      </Group>
    </Stack>
  );
}

export function ProspectingPage() {
  const { t } = useI18n();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const canWrite = can(membership.role, 'data.write');
  const queryClient = useQueryClient();
  const navigate = useNavigate({ from: '/t/$tenantId/prospecting' });
  const { jobId } = useSearch({ from: '/_app/t/$tenantId/prospecting' });
  const [started, setStarted] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lists = useListOptions(tenantId, canWrite);
  const plan = useQuery({ queryKey: keys.plan(tenantId), queryFn: () => appApi.plan(tenantId), staleTime: 60_000 });
  const canManageSettings = can(membership.role, 'settings.manage');
  const prospectingSettings = useQuery({
    queryKey: settingsKeys.section(tenantId, 'prospecting'),
    queryFn: () => settingsApi.prospecting(tenantId),
    retry: false,
  });
  // Until the key's status is known Google stays selectable, and the server decides.
  const googleConfigured = prospectingSettings.data ? prospectingSettings.data.googlePlacesKey.configured : null;
  // The plan cap is shown as a hint; asking for more gets the server's 402 with a link to the plan.
  const maxResults = 10_000;

  const live = useJobLive(tenantId, jobId ?? null, {
    initial: started,
    onEnd: () => {
      void queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
      void queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) });
      void queryClient.invalidateQueries({ queryKey: jobKeys.all(tenantId) });
      void queryClient.invalidateQueries({ queryKey: keys.usage(tenantId) });
    },
  });
  const job = live.job;

  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: {
      query: '',
      mode: 'place',
      location: '',
      lat: '',
      lon: '',
      radiusKm: 5,
      limit: 100,
      sources: ['osm'],
      listId: null,
      enrich: false,
    },
    validate: {
      query: (v) => (v.trim().length >= 2 ? null : t('prospecting.validation.query')),
      location: (v, values) => (values.mode !== 'place' || v.trim().length >= 2 ? null : t('prospecting.validation.location')),
      lat: (v, values) => {
        if (values.mode !== 'point') return null;
        const n = num(v);
        return Number.isFinite(n) && n >= -90 && n <= 90 ? null : t('prospecting.validation.lat');
      },
      lon: (v, values) => {
        if (values.mode !== 'point') return null;
        const n = num(v);
        return Number.isFinite(n) && n >= -180 && n <= 180 ? null : t('prospecting.validation.lon');
      },
      radiusKm: (v, values) => {
        if (values.mode !== 'point') return null;
        const n = num(v);
        return Number.isFinite(n) && n >= 0.1 && n <= 50 ? null : t('prospecting.validation.radius');
      },
      limit: (v) => {
        const n = num(v);
        return Number.isInteger(n) && n >= 1 && n <= maxResults ? null : t('prospecting.validation.limit', { max: maxResults });
      },
      sources: (v) => (v.length > 0 ? null : t('prospecting.validation.sources')),
    },
  });

  const submit = form.onSubmit(async (v) => {
    setBusy(true);
    setError(null);
    setPlanError(null);
    const body: ProspectSearchBody = {
      query: v.query.trim(),
      limit: num(v.limit),
      sources: v.sources as ProspectSource[],
      ...(v.mode === 'place'
        ? { location: v.location.trim() }
        : { point: { lat: num(v.lat), lon: num(v.lon), radiusMeters: Math.round(num(v.radiusKm) * 1000) } }),
      ...(v.listId ? { listId: v.listId } : {}),
      ...(v.enrich ? { enrich: true } : {}),
    };
    try {
      const j = await jobsApi.search(tenantId, body);
      setStarted(j);
      await navigate({ search: { jobId: j.id } });
      void queryClient.invalidateQueries({ queryKey: jobKeys.all(tenantId) });
    } catch (e) {
      if (isApiError(e, 402)) setPlanError(e.message);
      else
        setError(
          applyServerErrors(form, e, {
            point: 'lat',
            radiusMeters: 'radiusKm',
            'point.radiusMeters': 'radiusKm',
            'body.point.radiusMeters': 'radiusKm',
          }),
        );
    } finally {
      setBusy(false);
    }
  });

  const newSearch = () => {
    setStarted(null);
    void navigate({ search: {} });
  };

  const osmInvolved = form.values.sources.includes('osm');
  const jobUsesOsm = Array.isArray(job?.input.sources) ? (job.input.sources as unknown[]).includes('osm') : true;
  const running = !!jobId && !!job && !isFinished(job);

  return (
    <Stack gap="md" data-testid="prospecting-page">
      <PageHeader title={t('prospecting.title')} subtitle={t('prospecting.subtitle')} />
      {!canWrite && <Alert color="blue">{t('prospecting.readOnly')}</Alert>}

      <Card withBorder padding="lg" radius="md">
        <form onSubmit={submit} noValidate data-testid="search-form" aria-label={t('prospecting.form')}>
          <Stack gap="md">
            <FormError message={error} />
            {planError && (
              <Alert color="orange" icon={<IconAlertTriangle size={18} />} role="alert" data-testid="plan-limit">
                <Stack gap={4} align="flex-start">
                  <Text size="sm">{planError}</Text>
                  <AnchorLink to="/t/$tenantId/plan" params={{ tenantId }} size="sm">
                    {t('prospecting.planLink')}
                  </AnchorLink>
                </Stack>
              </Alert>
            )}
            <CategoryAutocomplete tenantId={tenantId} {...form.getInputProps('query')} disabled={!canWrite} />

            <Stack gap={6}>
              <Text size="sm" fw={500} id="search-where-label">
                {t('prospecting.where')}
              </Text>
              <SegmentedControl
                aria-labelledby="search-where-label"
                data={[
                  { value: 'place', label: t('prospecting.mode.place') },
                  { value: 'point', label: t('prospecting.mode.point') },
                ]}
                disabled={!canWrite}
                style={{ alignSelf: 'flex-start' }}
                data-testid="search-mode"
                {...form.getInputProps('mode')}
              />
            </Stack>
            {form.values.mode === 'place' ? (
              <TextInput
                label={t('prospecting.place')}
                placeholder={t('prospecting.place.placeholder')}
                maxLength={200}
                disabled={!canWrite}
                {...form.getInputProps('location')}
              />
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                <NumberInput
                  label={t('prospecting.lat')}
                  placeholder="24.7136"
                  decimalScale={6}
                  min={-90}
                  max={90}
                  hideControls
                  dir="ltr"
                  disabled={!canWrite}
                  {...form.getInputProps('lat')}
                />
                <NumberInput
                  label={t('prospecting.lon')}
                  placeholder="46.6753"
                  decimalScale={6}
                  min={-180}
                  max={180}
                  hideControls
                  dir="ltr"
                  disabled={!canWrite}
                  {...form.getInputProps('lon')}
                />
                <NumberInput
                  label={t('prospecting.radius')}
                  decimalScale={1}
                  min={0.1}
                  max={50}
                  step={1}
                  disabled={!canWrite}
                  {...form.getInputProps('radiusKm')}
                />
              </SimpleGrid>
            )}

            <Checkbox.Group label={t('prospecting.sources')} {...form.getInputProps('sources')}>
              <Stack gap="xs" mt={6}>
                <Checkbox value="osm" label={t('prospecting.source.osm')} disabled={!canWrite} />
                <Checkbox
                  value="google"
                  label={t('prospecting.source.google')}
                  disabled={!canWrite || googleConfigured === false}
                  description={
                    googleConfigured === false && !canManageSettings ? (
                      t('prospecting.source.googleAdmin')
                    ) : googleConfigured === false ? (
                      <>
                        {t('prospecting.source.googleMissing')}{' '}
                        <AnchorLink
                          to="/t/$tenantId/settings"
                          params={{ tenantId }}
                          search={{ section: 'prospecting' }}
                          size="xs"
                          underline="always"
                        >
                          {t('prospecting.source.googleSettings')}
                        </AnchorLink>
                      </>
                    ) : undefined
                  }
                />
              </Stack>
            </Checkbox.Group>

            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <NumberInput
                label={t('prospecting.limit')}
                description={plan.data ? t('prospecting.limit.hint', { max: plan.data.limits.resultsPerSearch }) : undefined}
                min={1}
                max={maxResults}
                allowDecimal={false}
                disabled={!canWrite}
                {...form.getInputProps('limit')}
              />
              <Select
                label={t('prospecting.list')}
                placeholder={t('prospecting.list.none')}
                data={lists.options}
                clearable
                searchable
                nothingFoundMessage={t('leads.bulk.noLists')}
                disabled={!canWrite}
                {...form.getInputProps('listId')}
              />
            </SimpleGrid>
            <Checkbox
              label={t('prospecting.enrich')}
              description={t('prospecting.enrich.hint')}
              disabled={!canWrite}
              {...form.getInputProps('enrich', { type: 'checkbox' })}
            />

            <Group justify="space-between" align="flex-end">
              {osmInvolved ? <OsmAttribution /> : <span />}
              {canWrite && (
                <Button type="submit" loading={busy} disabled={running} leftSection={<IconSearch size={16} />} data-testid="search-submit">
                  {t('prospecting.submit')}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      </Card>

      {jobId && (
        <Card withBorder padding="lg" radius="md" aria-live="polite">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              {job && typeof job.input.query === 'string'
                ? t('prospecting.progress.titleFor', { query: job.input.query })
                : t('prospecting.progress.title')}
            </Title>
            <Group gap="xs">
              <AnchorLink to="/t/$tenantId/jobs/$jobId" params={{ tenantId, jobId }} size="sm">
                {t('prospecting.progress.details')}
              </AnchorLink>
              {job && isFinished(job) && (
                <Button size="xs" variant="default" onClick={newSearch}>
                  {t('prospecting.newSearch')}
                </Button>
              )}
            </Group>
          </Group>
          {job ? (
            <Stack gap="md">
              <JobLivePanel
                tenantId={tenantId}
                job={job}
                logs={live.logs}
                canWrite={canWrite}
                testId="search-progress"
                live={live.mode !== 'idle'}
              />
              {job.status === 'SUCCEEDED' && <SearchResult tenantId={tenantId} job={job} />}
              {job.status === 'CANCELLED' && job.result && <SearchResult tenantId={tenantId} job={job} />}
              {jobUsesOsm && <OsmAttribution />}
            </Stack>
          ) : (
            <Stack gap="sm" data-testid="search-progress" data-status="LOADING">
              <Text size="sm" c="dimmed">
                {t('common.loading')}
              </Text>
            </Stack>
          )}
        </Card>
      )}
    </Stack>
  );
}
