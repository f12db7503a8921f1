import { useEffect, useEffectEvent, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Grid,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconExternalLink, IconTrash, IconX } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { can, leadStatuses, type Lead, type LeadStatus, type LeadFieldsBody } from '@optarget/shared';
import { errorMessage, isApiError } from '../api/client';
import { listsApi, listKeys } from '../api/lists';
import { leadKeys, leadsApi } from '../api/leads';
import { applyServerErrors } from '../lib/forms';
import { confirmAction } from '../lib/confirm';
import { BackArrow } from '../lib/BackArrow';
import { AnchorLink, ButtonLink } from '../lib/links';
import { tDynamic, useI18n } from '../i18n';
import { ErrorState, FormError, PageLoader, QueryState } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { patchLeadInCache, statusColor, statusLabel, useListOptions, useMemberOptions } from './hooks';
import { toLeadBody, useLeadValidators } from './NewLeadModal';
import { EvidenceSection } from './EvidenceSection';
import { MergesCard } from './MergesCard';
import { ReportsSection } from '../reports/ReportsSection';
import { LeadAttention } from './LeadAttention';
import { ActivityCard } from './ActivityCard';
import { SourcesCard } from './SourcesCard';
import { WhatsappCard } from '../whatsapp/WhatsappCard';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children ?? '—'}
      </Text>
    </div>
  );
}

function useSaveLead(tenantId: string, leadId: string) {
  const queryClient = useQueryClient();
  return async (body: LeadFieldsBody): Promise<Lead> => {
    const saved = await leadsApi.update(tenantId, leadId, body);
    patchLeadInCache(queryClient, tenantId, leadId, () => saved);
    queryClient.setQueryData(leadKeys.lead(tenantId, leadId), saved);
    void queryClient.invalidateQueries({ queryKey: leadKeys.activity(tenantId, leadId) });
    void queryClient.invalidateQueries({ queryKey: leadKeys.dashboard(tenantId) });
    return saved;
  };
}

/** The details form's values; contact text that could not be read is shown in its field, to be fixed there. */
const detailsOf = (lead: Lead) => ({
  name: lead.name,
  category: lead.category ?? '',
  phone: lead.phone ?? lead.phoneRaw ?? '',
  email: lead.email ?? lead.emailRaw ?? '',
  website: lead.website ?? lead.websiteRaw ?? '',
  address: lead.address ?? '',
  city: lead.city ?? '',
  country: lead.country ?? '',
});

function DetailsForm({ tenantId, lead, canWrite }: { tenantId: string; lead: Lead; canWrite: boolean }) {
  const { t } = useI18n();
  const save = useSaveLead(tenantId, lead.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const initial = detailsOf(lead);
  const form = useForm({ mode: 'controlled', initialValues: initial, validate: useLeadValidators() });
  const takeSaved = useEffectEvent(() => {
    form.setInitialValues(initial);
    if (!form.isDirty()) form.setValues(initial);
  });
  useEffect(() => takeSaved(), [lead.updatedAt]);

  const submit = form.onSubmit(async (v) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await save(toLeadBody(v));
      const next = detailsOf(saved);
      form.setInitialValues(next);
      form.setValues(next);
      notifications.show({ color: 'green', message: t('lead.saved') });
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Card withBorder padding="lg" radius="md">
      <Title order={2} size="h4" mb="sm">
        {t('lead.details')}
      </Title>
      <form onSubmit={submit} noValidate data-testid="lead-form">
        <Stack gap="sm">
          <FormError message={error} />
          <TextInput label={t('lead.field.name')} readOnly={!canWrite} {...form.getInputProps('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label={t('lead.field.category')} readOnly={!canWrite} {...form.getInputProps('category')} />
            <TextInput label={t('lead.field.phone')} dir="ltr" type="tel" readOnly={!canWrite} {...form.getInputProps('phone')} />
            <TextInput label={t('lead.field.email')} dir="ltr" type="email" readOnly={!canWrite} {...form.getInputProps('email')} />
            <TextInput label={t('lead.field.website')} dir="ltr" readOnly={!canWrite} {...form.getInputProps('website')} />
            <TextInput label={t('lead.field.address')} readOnly={!canWrite} {...form.getInputProps('address')} />
            <TextInput label={t('lead.field.city')} readOnly={!canWrite} {...form.getInputProps('city')} />
            <TextInput label={t('lead.field.country')} readOnly={!canWrite} {...form.getInputProps('country')} />
          </SimpleGrid>
          {canWrite && (
            <Group justify="flex-end">
              <Button type="submit" loading={busy} disabled={!form.isDirty()}>
                {t('common.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}

function NotesCard({ tenantId, lead, canWrite }: { tenantId: string; lead: Lead; canWrite: boolean }) {
  const { t } = useI18n();
  const save = useSaveLead(tenantId, lead.id);
  const [notes, setNotes] = useState(lead.notes ?? '');
  const [busy, setBusy] = useState(false);
  useEffect(() => setNotes(lead.notes ?? ''), [lead.notes]);
  const submit = async () => {
    setBusy(true);
    try {
      await save({ notes: notes.trim() === '' ? null : notes });
      notifications.show({ color: 'green', message: t('lead.saved') });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="lg" radius="md">
      <Stack gap="sm">
        <Textarea
          label={t('lead.field.notes')}
          placeholder={t('lead.notesPlaceholder')}
          autosize
          minRows={3}
          maxRows={12}
          value={notes}
          readOnly={!canWrite}
          onChange={(e) => setNotes(e.currentTarget.value)}
          maxLength={20000}
        />
        {canWrite && (
          <Group justify="flex-end">
            <Button variant="light" onClick={() => void submit()} loading={busy} disabled={notes === (lead.notes ?? '')}>
              {t('lead.saveNotes')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function PipelineCard({ tenantId, lead, canWrite }: { tenantId: string; lead: Lead; canWrite: boolean }) {
  const { t } = useI18n();
  const save = useSaveLead(tenantId, lead.id);
  const queryClient = useQueryClient();
  const members = useMemberOptions(tenantId);

  const change = async (body: LeadFieldsBody, optimistic: (l: Lead) => Lead) => {
    const before = lead;
    patchLeadInCache(queryClient, tenantId, lead.id, optimistic);
    try {
      await save(body);
    } catch (e) {
      patchLeadInCache(queryClient, tenantId, lead.id, () => before);
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
  };

  return (
    <Card withBorder padding="lg" radius="md">
      <Stack gap="md">
        <div>
          <Text size="sm" fw={600} mb={6} id="lead-status-label">
            {t('lead.pipeline')}
          </Text>
          <SegmentedControl
            fullWidth
            aria-labelledby="lead-status-label"
            disabled={!canWrite}
            value={lead.status}
            color={statusColor[lead.status]}
            data={leadStatuses.map((s) => ({ value: s, label: statusLabel(s) }))}
            onChange={(v) => void change({ status: v as LeadStatus }, (l) => ({ ...l, status: v as LeadStatus }))}
            data-testid="lead-pipeline"
          />
        </div>
        <Select
          label={t('lead.field.owner')}
          placeholder={t('lead.unassigned')}
          data={members.options}
          value={lead.owner?.id ?? null}
          disabled={!canWrite}
          clearable
          searchable
          onChange={(v) =>
            void change({ ownerUserId: v }, (l) => ({
              ...l,
              owner: v ? { id: v, name: members.options.find((o) => o.value === v)?.label ?? '' } : null,
            }))
          }
        />
        <TagsInput
          label={t('lead.field.tags')}
          placeholder={canWrite ? t('lead.tagsPlaceholder') : undefined}
          value={lead.tags}
          disabled={!canWrite}
          maxTags={50}
          clearable
          onChange={(tags) => void change({ tags }, (l) => ({ ...l, tags }))}
        />
      </Stack>
    </Card>
  );
}

function ListsCard({ tenantId, leadId, canWrite }: { tenantId: string; leadId: string; canWrite: boolean }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const memberOf = useQuery({ queryKey: leadKeys.leadLists(tenantId, leadId), queryFn: () => leadsApi.leadLists(tenantId, leadId) });
  const all = useListOptions(tenantId, canWrite);
  const [pick, setPick] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inIds = new Set(memberOf.data?.items.map((l) => l.id));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: leadKeys.leadLists(tenantId, leadId) }),
      queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) }),
      queryClient.invalidateQueries({ queryKey: leadKeys.activity(tenantId, leadId) }),
    ]);
  const add = async () => {
    if (!pick) return;
    setBusy(true);
    try {
      await listsApi.addToList(tenantId, pick, [leadId]);
      setPick(null);
      await refresh();
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (listId: string) => {
    try {
      await listsApi.removeFromList(tenantId, listId, [leadId]);
      await refresh();
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
  };
  return (
    <Card withBorder padding="lg" radius="md" data-testid="lead-lists">
      <Title order={2} size="h4" mb="sm">
        {t('lead.lists')}
      </Title>
      <QueryState
        query={memberOf}
        select={(d) => d.items}
        loading={<PageLoader rows={1} />}
        empty={
          <Text size="sm" c="dimmed">
            {t('lead.lists.empty')}
          </Text>
        }
      >
        {(lists) => (
          <Group gap="xs">
            {lists.map((l) => (
              <Badge
                key={l.id}
                variant="light"
                size="lg"
                rightSection={
                  canWrite && (
                    <ActionIcon
                      size="xs"
                      variant="transparent"
                      aria-label={t('lead.lists.remove', { name: l.name })}
                      onClick={() => void remove(l.id)}
                    >
                      <IconX size={12} />
                    </ActionIcon>
                  )
                }
              >
                <AnchorLink
                  to="/t/$tenantId/lists/$listId"
                  params={{ tenantId, listId: l.id }}
                  search={{}}
                  size="xs"
                  inherit
                  underline="always"
                >
                  {l.name}
                </AnchorLink>
              </Badge>
            ))}
          </Group>
        )}
      </QueryState>
      {canWrite && (
        <Group mt="sm" gap="xs" align="flex-end">
          <Select
            aria-label={t('lead.lists.choose')}
            placeholder={t('lead.lists.choose')}
            data={all.options.filter((o) => !inIds.has(o.value))}
            value={pick}
            onChange={setPick}
            searchable
            style={{ flex: 1 }}
            size="xs"
          />
          <Button size="xs" onClick={() => void add()} loading={busy} disabled={!pick}>
            {t('lead.lists.add')}
          </Button>
        </Group>
      )}
    </Card>
  );
}

/** A merged lead's id answers 404 naming the lead it was merged into. */
function mergedIntoOf(error: unknown): string | null {
  if (!isApiError(error, 404)) return null;
  const into = (error.body as { mergedInto?: unknown } | null)?.mergedInto;
  return typeof into === 'string' ? into : null;
}

export function LeadPage() {
  const { t, formatDateTime, formatNumber } = useI18n();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const { leadId } = useParams({ from: '/_app/t/$tenantId/leads/$leadId' });
  const canWrite = can(membership.role, 'data.write');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { mergedFrom } = useSearch({ from: '/_app/t/$tenantId/leads/$leadId' });
  const lead = useQuery({ queryKey: leadKeys.lead(tenantId, leadId), queryFn: () => leadsApi.get(tenantId, leadId) });
  const mergedInto = mergedIntoOf(lead.error);
  useEffect(() => {
    if (mergedInto)
      void navigate({
        to: '/t/$tenantId/leads/$leadId',
        params: { tenantId, leadId: mergedInto },
        search: { mergedFrom: leadId },
        replace: true,
      });
  }, [mergedInto, navigate, tenantId, leadId]);

  if (lead.isPending || mergedInto) return <PageLoader rows={6} />;
  if (lead.isError) {
    if (isApiError(lead.error, 404) || isApiError(lead.error, 400)) {
      return (
        <Center mih="50vh">
          <Stack align="center" gap="sm" data-testid="lead-not-found">
            <Title order={1} size="h2">
              {t('lead.notFound.title')}
            </Title>
            <Text c="dimmed" ta="center" maw={420}>
              {t('lead.notFound.body')}
            </Text>
            <ButtonLink to="/t/$tenantId/leads" params={{ tenantId }} search={{}}>
              {t('lead.back')}
            </ButtonLink>
          </Stack>
        </Center>
      );
    }
    return <ErrorState error={lead.error} onRetry={() => void lead.refetch()} />;
  }
  const l = lead.data;

  const remove = () =>
    confirmAction({
      title: t('lead.delete.title'),
      message: t('lead.delete.body', { name: l.name }),
      confirmLabel: t('lead.delete'),
      onConfirm: async () => {
        try {
          await leadsApi.remove(tenantId, l.id);
          notifications.show({ color: 'green', message: t('lead.deleted', { name: l.name }) });
          queryClient.removeQueries({ queryKey: leadKeys.lead(tenantId, l.id) });
          void queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
          void queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) });
          await navigate({ to: '/t/$tenantId/leads', params: { tenantId }, search: {} });
        } catch (e) {
          notifications.show({ color: 'red', message: errorMessage(e) });
        }
      },
    });

  return (
    <Stack gap="md" data-testid="lead-page" data-lead-id={l.id}>
      <AnchorLink to="/t/$tenantId/leads" params={{ tenantId }} search={{}} size="sm">
        <Group gap={4}>
          <BackArrow size={14} />
          {t('lead.back')}
        </Group>
      </AnchorLink>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} size="h2" data-testid="lead-name">
              {l.name}
            </Title>
            <Badge color={statusColor[l.status]} variant="light">
              {statusLabel(l.status)}
            </Badge>
          </Group>
          <Text c="dimmed" size="sm">
            {[l.category, l.city, l.country].filter(Boolean).join(' · ')}
          </Text>
        </Stack>
        {canWrite && (
          <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={remove}>
            {t('lead.delete')}
          </Button>
        )}
      </Group>
      {mergedFrom && (
        <Alert color="blue" variant="light" data-testid="merged-redirect-note">
          {t('merge.redirected')}
        </Alert>
      )}
      <MergesCard tenantId={tenantId} leadId={l.id} canWrite={canWrite} />
      <LeadAttention tenantId={tenantId} lead={l} canWrite={canWrite} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <PipelineCard tenantId={tenantId} lead={l} canWrite={canWrite} />
            <WhatsappCard tenantId={tenantId} lead={l} canWrite={canWrite} />
            <EvidenceSection tenantId={tenantId} lead={l} canWrite={canWrite} />
            <ReportsSection tenantId={tenantId} target={{ leadId: l.id }} canWrite={canWrite} />
            <DetailsForm tenantId={tenantId} lead={l} canWrite={canWrite} />
            <NotesCard tenantId={tenantId} lead={l} canWrite={canWrite} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Card withBorder padding="lg" radius="md" data-testid="lead-facts">
              <Title order={2} size="h4" mb="sm">
                {t('lead.facts')}
              </Title>
              <SimpleGrid cols={2} spacing="sm">
                <Fact label={t('lead.field.score')}>{formatNumber(l.score)}</Fact>
                <Fact label={t('lead.field.source')}>{tDynamic(`lead.source.${l.source}`, l.source)}</Fact>
                <Fact label={t('lead.field.domain')}>
                  {l.website ? (
                    <Anchor href={l.website} target="_blank" rel="noopener noreferrer" size="sm" dir="ltr">
                      <Group gap={4} wrap="nowrap">
                        {l.domain ?? l.website}
                        <IconExternalLink size={12} aria-label={t('lead.openWebsite')} />
                      </Group>
                    </Anchor>
                  ) : (
                    (l.domain ?? '—')
                  )}
                </Fact>
                <Fact label={t('lead.field.phone')}>
                  <span dir="ltr">{l.phone ?? '—'}</span>
                </Fact>
                <Fact label={t('lead.field.rating')}>
                  {l.rating !== null ? `${l.rating}${l.reviewCount !== null ? ` (${formatNumber(l.reviewCount)})` : ''}` : '—'}
                </Fact>
                <Fact label={t('lead.field.sourceId')}>{l.sourceId ?? '—'}</Fact>
                <Fact label={t('lead.field.created')}>{formatDateTime(l.createdAt)}</Fact>
                <Fact label={t('lead.field.updated')}>{formatDateTime(l.updatedAt)}</Fact>
                {l.lat !== null && l.lon !== null && (
                  <Fact label={`${t('lead.field.lat')} / ${t('lead.field.lon')}`}>
                    <span dir="ltr">
                      {l.lat.toFixed(5)}, {l.lon.toFixed(5)}
                    </span>
                  </Fact>
                )}
              </SimpleGrid>
              {l.whatsappOptOut && (
                <Badge mt="sm" color="orange" variant="light">
                  {t('lead.whatsappOptOut')}
                </Badge>
              )}
            </Card>
            <SourcesCard tenantId={tenantId} leadId={l.id} />
            <ListsCard tenantId={tenantId} leadId={l.id} canWrite={canWrite} />
            <ActivityCard tenantId={tenantId} leadId={l.id} canWrite={canWrite} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
