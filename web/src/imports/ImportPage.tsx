import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Paper,
  Progress,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconDownload, IconUpload } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import {
  can,
  importFields,
  type ImportField,
  importRefusalReasons,
  ImportLeadsResult,
  type AttentionFlag,
  type ImportUpload,
  type Job,
  type Role,
} from '@optarget/shared';
import { errorMessage } from '../api/client';
import { listKeys } from '../api/lists';
import { leadKeys } from '../api/leads';
import { importsApi } from '../api/imports';
import { AnchorLink, ButtonLink } from '../lib/links';
import { tDynamic, useI18n } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { FormError } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { formatBytes, isJobDone, useJobPolling, useListOptions } from '../leads/hooks';
import { settingsApi, settingsKeys } from '../settings/api';
import { guessCountryFromBrowser, useCountryOptions } from '../settings/countries';
import { jobFailure } from '../jobs/format';

const MAX_BYTES = 50 * 1024 * 1024;
const IGNORE = '';
const isImportField = (v: string): v is ImportField => (importFields as readonly string[]).includes(v);

const fieldLabel = (f: string) => tDynamic(`import.field.${f}`, f);

function UploadStep({ tenantId, onUploaded }: { tenantId: string; onUploaded: (u: ImportUpload) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const choose = (f: File | null | undefined) => {
    setError(null);
    if (!f) return setFile(null);
    if (f.size > MAX_BYTES) {
      setFile(null);
      return setError(t('import.tooLarge', { size: formatBytes(f.size) }));
    }
    if (f.size === 0) {
      setFile(null);
      return setError(t('import.empty'));
    }
    if (!/\.(csv|txt|tsv)$/i.test(f.name) && f.type && !/csv|text|excel/.test(f.type)) {
      setFile(null);
      return setError(t('import.notCsv'));
    }
    setFile(f);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) return setError(t('import.noFile'));
    setBusy(true);
    setError(null);
    try {
      onUploaded(await importsApi.upload(tenantId, file));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="import-upload">
      <Stack gap="md">
        <FormError message={error} />
        <Paper
          withBorder
          p="xl"
          radius="md"
          style={{
            borderStyle: 'dashed',
            borderWidth: 2,
            borderColor: dragging ? 'var(--mantine-color-blue-6)' : undefined,
            background: dragging ? 'var(--mantine-color-blue-light)' : undefined,
          }}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            choose(e.dataTransfer.files?.[0]);
          }}
          data-testid="import-dropzone"
        >
          <Stack align="center" gap="xs">
            <ThemeIcon size={48} radius="xl" variant="light">
              <IconUpload size={26} />
            </ThemeIcon>
            <Text fw={600}>{t('import.drop')}</Text>
            <Text size="sm" c="dimmed" ta="center" maw={520}>
              {t('import.limit')}
            </Text>
            <Group gap="xs" mt="xs">
              <label htmlFor="import-file">
                <Text size="sm" fw={600} component="span">
                  {t('import.file')}
                </Text>
              </label>
              <input
                id="import-file"
                ref={input}
                type="file"
                accept=".csv,.txt,.tsv,text/csv,text/plain"
                onChange={(e) => choose(e.currentTarget.files?.[0])}
                data-testid="import-file"
              />
            </Group>
            {file && (
              <Text size="sm" data-testid="import-chosen">
                {t('import.chosen', { name: file.name, size: formatBytes(file.size) })}
              </Text>
            )}
          </Stack>
        </Paper>
        <Group justify="flex-end">
          <Button type="submit" loading={busy} disabled={!file}>
            {t('import.continue')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The country phones without a country code are read in, for rows that name none: the organization's
 * default, else (the first time) a guess from the browser's languages, offered as the new default
 * to those who may set it.
 */
function PhoneCountry({
  tenantId,
  role,
  value,
  onChange,
  saveAsDefault,
  onSaveAsDefault,
}: {
  tenantId: string;
  role: Role;
  value: string | null;
  onChange: (country: string | null) => void;
  saveAsDefault: boolean;
  onSaveAsDefault: (save: boolean) => void;
}) {
  const { t, locale } = useI18n();
  const options = useCountryOptions(locale);
  const settings = useQuery({ queryKey: settingsKeys.section(tenantId, 'general'), queryFn: () => settingsApi.general(tenantId) });
  const tenantDefault = settings.data?.defaultCountry ?? null;
  const applyDefault = useEffectEvent((defaultCountry: string | null | undefined) => onChange(defaultCountry ?? guessCountryFromBrowser()));
  useEffect(() => {
    if (settings.data) applyDefault(settings.data.defaultCountry);
  }, [settings.data]);
  return (
    <Stack gap={6}>
      <Select
        label={t('import.country')}
        description={t('import.country.hint')}
        placeholder={t('import.country.none')}
        data={options}
        value={value}
        onChange={onChange}
        searchable
        clearable
        disabled={!settings.data && !settings.isError}
        data-testid="import-country"
      />
      {settings.data && !tenantDefault && value && can(role, 'settings.manage') && (
        <Checkbox
          label={t('import.country.saveDefault')}
          checked={saveAsDefault}
          onChange={(e) => onSaveAsDefault(e.currentTarget.checked)}
        />
      )}
      {settings.data && !tenantDefault && !can(role, 'settings.manage') && (
        <Text size="xs" c="dimmed">
          {t('import.country.askAdmin')}
        </Text>
      )}
    </Stack>
  );
}

function MappingStep({
  tenantId,
  role,
  upload,
  initialListId,
  onBack,
  onStarted,
}: {
  tenantId: string;
  role: Role;
  upload: ImportUpload;
  initialListId?: string;
  onBack: () => void;
  onStarted: (job: Job, listId: string | null) => void;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const lists = useListOptions(tenantId);
  const [country, setCountry] = useState<string | null>(null);
  const [saveAsDefault, setSaveAsDefault] = useState(true);
  const [mapping, setMapping] = useState<Record<string, string>>(() =>
    Object.fromEntries(upload.headers.map((_, i) => [String(i), upload.suggestedMapping[String(i)] ?? IGNORE])),
  );
  const [onMatch, setOnMatch] = useState<'skip' | 'update'>('skip');
  const [listId, setListId] = useState<string | null>(initialListId ?? null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);

  const fieldOptions = useMemo(
    () => [{ value: IGNORE, label: t('import.ignore') }, ...importFields.map((f) => ({ value: f, label: fieldLabel(f) }))],
    [t],
  );
  const used = Object.values(mapping).filter((v) => v !== IGNORE);
  const duplicates = [...new Set(used.filter((v, i) => used.indexOf(v) !== i))];
  const problems = [
    ...(used.includes('name') ? [] : [t('import.needName')]),
    ...duplicates.map((f) => t('import.duplicateField', { field: fieldLabel(f) })),
  ];

  const start = async () => {
    setTried(true);
    if (problems.length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const clean = Object.fromEntries(Object.entries(mapping).flatMap(([k, v]) => (isImportField(v) ? [[k, v] as const] : [])));
      const settings = queryClient.getQueryData<{ defaultCountry: string | null }>(settingsKeys.section(tenantId, 'general'));
      if (country && saveAsDefault && settings && !settings.defaultCountry && can(role, 'settings.manage'))
        queryClient.setQueryData(
          settingsKeys.section(tenantId, 'general'),
          await settingsApi.saveGeneral(tenantId, { defaultCountry: country }),
        );
      const job = await importsApi.startImport(tenantId, upload.id, {
        mapping: clean,
        onMatch,
        ...(listId ? { listId } : {}),
        ...(country ? { defaultCountry: country } : {}),
      });
      onStarted(job, listId);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const delimiterName = upload.delimiter === '\t' ? 'tab' : upload.delimiter;
  return (
    <Stack gap="md" data-testid="import-mapping">
      <Text size="sm" c="dimmed" data-testid="import-file-info">
        {t('import.fileInfo', {
          name: upload.fileName,
          size: formatBytes(upload.sizeBytes),
          encoding: upload.encoding.toUpperCase(),
          delimiter: delimiterName,
          columns: upload.headers.length,
        })}
      </Text>
      <FormError message={error} />
      <Card withBorder padding="md" radius="md">
        <Title order={2} size="h4" mb={4}>
          {t('import.mapping')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('import.mapping.help')}
        </Text>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('import.col.column')}</Table.Th>
                <Table.Th>{t('import.col.sample')}</Table.Th>
                <Table.Th w={240}>{t('import.col.field')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {upload.headers.map((h, i) => {
                const sample = upload.preview
                  .map((r) => r[i] ?? '')
                  .filter(Boolean)
                  .slice(0, 2)
                  .join(' · ');
                return (
                  <Table.Tr key={i} data-testid="mapping-row" data-column={h}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {h || `#${i + 1}`}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={320}>
                      <Text size="sm" c="dimmed" truncate>
                        {sample}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={t('import.fieldFor', { column: h || `#${i + 1}` })}
                        data={fieldOptions}
                        value={mapping[String(i)] ?? IGNORE}
                        onChange={(v) => setMapping((m) => ({ ...m, [String(i)]: v ?? IGNORE }))}
                        allowDeselect={false}
                        size="xs"
                        error={mapping[String(i)] && duplicates.includes(mapping[String(i)]) ? true : undefined}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>

      <Card withBorder padding="md" radius="md">
        <Title order={2} size="h4" mb="sm">
          {t('import.preview')}
        </Title>
        {upload.preview.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('import.preview.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={Math.max(560, upload.headers.length * 140)}>
            <Table verticalSpacing={4} striped withTableBorder data-testid="import-preview">
              <Table.Thead>
                <Table.Tr>
                  {upload.headers.map((h, i) => (
                    <Table.Th key={i}>
                      <Text size="xs" fw={700}>
                        {h}
                      </Text>
                      <Text size="xs" c={mapping[String(i)] ? 'blue' : 'dimmed'}>
                        {mapping[String(i)] ? fieldLabel(mapping[String(i)]) : t('import.ignore')}
                      </Text>
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {upload.preview.slice(0, 5).map((row, r) => (
                  <Table.Tr key={r}>
                    {upload.headers.map((_, i) => (
                      <Table.Td key={i}>
                        <Text size="xs" lineClamp={2}>
                          {row[i] ?? ''}
                        </Text>
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>

      <Card withBorder padding="md" radius="md">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Radio.Group label={t('import.onMatch')} value={onMatch} onChange={(v) => setOnMatch(v as 'skip' | 'update')}>
            <Stack gap={6} mt="xs">
              <Radio value="skip" label={t('import.onMatch.skip')} />
              <Radio value="update" label={t('import.onMatch.update')} />
            </Stack>
          </Radio.Group>
          <Select
            label={t('import.list')}
            placeholder={t('import.list.placeholder')}
            data={lists.options}
            value={listId}
            onChange={setListId}
            clearable
            searchable
          />
          <PhoneCountry
            tenantId={tenantId}
            role={role}
            value={country}
            onChange={setCountry}
            saveAsDefault={saveAsDefault}
            onSaveAsDefault={setSaveAsDefault}
          />
        </SimpleGrid>
      </Card>

      {tried && problems.length > 0 && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert" data-testid="mapping-errors">
          <Stack gap={2}>
            {problems.map((p) => (
              <Text size="sm" key={p}>
                {p}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          {t('import.back')}
        </Button>
        <Button onClick={() => void start()} loading={busy}>
          {t('import.start')}
        </Button>
      </Group>
    </Stack>
  );
}

function ProgressStep({ job }: { job: Job | undefined }) {
  const { t, formatNumber } = useI18n();
  const done = job?.progress.done ?? 0;
  const total = job?.progress.total ?? null;
  const pct = total && total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <Stack gap="sm" data-testid="import-progress">
      <Text fw={600}>
        {!job || job.status === 'PENDING'
          ? t('import.pending')
          : total !== null
            ? t('import.running', { done: formatNumber(done), total })
            : t('import.runningUnknown', { done: formatNumber(done) })}
      </Text>
      <Progress
        value={pct ?? 100}
        animated={pct === null || pct < 100}
        striped={pct === null}
        size="lg"
        aria-label={t('import.progressLabel')}
        data-testid="import-progress-bar"
      />
      <Text size="sm" c="dimmed">
        {t('import.stayOrLeave')}
      </Text>
    </Stack>
  );
}

/** The job's result as the import writes it; null for a job that ended before writing one. */
function readResult(job: Job): ImportLeadsResult | null {
  const parsed = ImportLeadsResult.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

const countsOf = <K extends string>(keys: readonly K[], counts: Partial<Record<K, number>>) =>
  keys.flatMap((key) => (counts[key] ? [[key, counts[key]] as const] : []));

const flagOrder: readonly AttentionFlag[] = ['phone', 'email', 'website', 'duplicate'];

function ResultStep({ tenantId, job, listId, onRestart }: { tenantId: string; job: Job; listId: string | null; onRestart: () => void }) {
  const { t, formatNumber, locale } = useI18n();
  const r = readResult(job);
  const ok = job.status === 'SUCCEEDED';
  const kept = r ? r.created + r.updated + r.skipped : 0;
  // Green only when every row became a lead as it was; yellow when some need attention or were refused; red when nothing was kept.
  const color =
    !ok || !r || (kept === 0 && r.invalid > 0) ? 'red' : r.flagged > 0 || r.invalid > 0 || r.stoppedAtPlanLimit ? 'yellow' : 'green';
  const title = !ok
    ? job.status === 'CANCELLED'
      ? t('import.result.cancelled')
      : t('import.result.failed')
    : color === 'green'
      ? t('import.result.title')
      : color === 'yellow'
        ? t('import.result.titleAttention')
        : t('import.result.titleNothing');
  const stats: [string, number | null, string][] = [
    ['created', r?.created ?? null, t('import.result.created')],
    ['merged', r ? r.updated + r.skipped : null, t('import.result.merged')],
    ['flagged', r?.flagged ?? null, t('import.result.flagged')],
    ['invalid', r?.invalid ?? null, t('import.result.invalid')],
  ];
  return (
    <Stack gap="md" data-testid="import-result" data-status={job.status} data-color={color}>
      <Group gap="sm">
        <ThemeIcon color={color} radius="xl" size={32}>
          {color === 'green' ? <IconCheck size={18} /> : <IconAlertTriangle size={18} />}
        </ThemeIcon>
        <Title order={2} size="h3">
          {title}
        </Title>
      </Group>
      {!ok && job.error && (
        <Alert color="red" role="alert">
          {jobFailure(job)}
        </Alert>
      )}
      {r && (
        <Alert color={color} data-testid="import-summary" role="status">
          {t('import.result.summary', {
            rows: formatNumber(r.rows),
            created: formatNumber(r.created),
            merged: formatNumber(r.updated + r.skipped),
            flagged: formatNumber(r.flagged),
            refused: formatNumber(r.invalid),
          })}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {stats.map(([key, value, label]) => (
          <Paper withBorder p="md" radius="md" key={key} data-testid={`import-${key}`} data-count={value ?? ''}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              {label}
            </Text>
            <Text size="xl" fw={800}>
              {value === null ? '—' : formatNumber(value)}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      {r && r.updated + r.skipped > 0 && (
        <Text size="sm" c="dimmed" data-testid="import-merged-detail">
          {t('import.result.mergedDetail', { updated: formatNumber(r.updated), unchanged: formatNumber(r.skipped) })}
        </Text>
      )}
      {r && r.flagged > 0 && (
        <Stack gap={4} data-testid="import-flags">
          <Text size="sm" fw={600}>
            {t('import.result.flagsTitle')}
          </Text>
          {countsOf(flagOrder, r.flags).map(([flag, n]) => (
            <Group gap="xs" key={flag} data-testid={`import-flag-${flag}`} data-count={n}>
              <Text size="sm">{tDynamic(`import.result.flag.${flag}`, flag, { count: formatNumber(n) })}</Text>
              <AnchorLink to="/t/$tenantId/leads" params={{ tenantId }} search={{ attention: flag }} size="sm">
                {t('import.result.showFlagged')}
              </AnchorLink>
            </Group>
          ))}
        </Stack>
      )}
      {r && r.invalid > 0 && (
        <Stack gap={4} data-testid="import-refusals">
          <Text size="sm" fw={600}>
            {t('import.result.refusedTitle')}
          </Text>
          {countsOf(importRefusalReasons, r.refusedReasons).map(([reason, n]) => (
            <Text size="sm" key={reason} data-testid={`import-refused-${reason}`} data-count={n}>
              {tDynamic(`import.result.refused.${reason}`, reason, { count: formatNumber(n) })}
            </Text>
          ))}
        </Stack>
      )}
      {r?.stoppedAtPlanLimit && (
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />} data-testid="import-plan-limit">
          {t('import.result.planLimit', { count: r.rows })}{' '}
          <AnchorLink to="/t/$tenantId/plan" params={{ tenantId }}>
            {t('leads.create.planLink')}
          </AnchorLink>
        </Alert>
      )}
      <Group gap="md">
        {(!r || r.invalid > 0 || !ok) && (
          <Anchor href={importsApi.importErrorsUrl(tenantId, job.id, locale)} download data-testid="import-errors-link">
            <Group gap={4}>
              <IconDownload size={16} />
              {r && r.invalid > 0
                ? t('import.result.refusedDownload', { count: r.invalid, shown: formatNumber(r.invalid) })
                : t('import.result.errors')}
            </Group>
          </Anchor>
        )}
      </Group>
      <Group>
        <ButtonLink to="/t/$tenantId/leads" params={{ tenantId }} search={{}}>
          {t('import.result.leads')}
        </ButtonLink>
        {listId && (
          <ButtonLink to="/t/$tenantId/lists/$listId" params={{ tenantId, listId }} search={{}} variant="light">
            {t('import.result.list')}
          </ButtonLink>
        )}
        <Button variant="default" onClick={onRestart}>
          {t('import.restart')}
        </Button>
      </Group>
    </Stack>
  );
}

export function ImportPage() {
  const { t } = useI18n();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const { listId: initialListId } = useSearch({ from: '/_app/t/$tenantId/leads/import' });
  const queryClient = useQueryClient();
  const [upload, setUpload] = useState<ImportUpload | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [startedJob, setStartedJob] = useState<Job | null>(null);
  const [listId, setListId] = useState<string | null>(null);
  const polled = useJobPolling(tenantId, jobId);
  const job = polled.data ?? startedJob ?? undefined;
  const finished = isJobDone(job);

  useEffect(() => {
    if (finished) {
      void queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
      void queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) });
    }
  }, [finished, queryClient, tenantId]);

  const step = !upload ? 0 : !jobId ? 1 : !finished ? 2 : 3;
  const restart = () => {
    setUpload(null);
    setJobId(null);
    setStartedJob(null);
    setListId(null);
  };

  if (!can(membership.role, 'data.write')) {
    return (
      <Stack>
        <PageHeader title={t('import.title')} />
        <Alert color="yellow">{t('leads.readOnly')}</Alert>
      </Stack>
    );
  }

  return (
    <Stack gap="lg" data-testid="import-page">
      <PageHeader title={t('import.title')} subtitle={t('import.subtitle')} />
      <Stepper active={step} allowNextStepsSelect={false} size="sm">
        <Stepper.Step label={t('import.step.upload')} />
        <Stepper.Step label={t('import.step.mapping')} />
        <Stepper.Step label={t('import.step.progress')} />
        <Stepper.Step label={t('import.step.result')} />
      </Stepper>
      <Card withBorder padding="lg" radius="md">
        {step === 0 && <UploadStep tenantId={tenantId} onUploaded={setUpload} />}
        {step === 1 && upload && (
          <MappingStep
            tenantId={tenantId}
            role={membership.role}
            upload={upload}
            initialListId={initialListId}
            onBack={() => setUpload(null)}
            onStarted={(j, l) => {
              setStartedJob(j);
              setListId(l);
              setJobId(j.id);
            }}
          />
        )}
        {step === 2 && (
          <Stack>
            <ProgressStep job={job} />
            {polled.isError && <FormError message={errorMessage(polled.error)} />}
          </Stack>
        )}
        {step === 3 && job && <ResultStep tenantId={tenantId} job={job} listId={listId} onRestart={restart} />}
      </Card>
    </Stack>
  );
}
