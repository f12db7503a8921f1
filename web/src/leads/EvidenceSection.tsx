import { useState } from 'react';
import { Anchor, Badge, Button, Card, Code, Collapse, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconExternalLink, IconSparkles } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { findingMessageKey, type EvidenceItem, type Job, type Lead, type LeadEvidence } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { jobKeys, jobsApi } from '../api/jobs';
import { leadKeys } from '../api/leads';
import { AnchorLink } from '../lib/links';
import { tDynamic, useI18n } from '../i18n';
import { PageLoader, QueryState } from '../shell/states';
import { JobProgressBar } from '../jobs/JobProgress';
import { evidenceKindLabel, isActive, jobFailure } from '../jobs/format';
import { useJobLive } from '../jobs/useJobLive';
import { OsmAttribution } from '../prospecting/OsmAttribution';

function safeHref(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** A finding's sentence, in the user's language, from the shared catalogue. */
const findingText = (item: EvidenceItem) => tDynamic(findingMessageKey(item.kind, item.params), item.value ?? item.kind, item.params);

/** What proves a finding: where and when it was read, and the exact text, attribute or header. */
function Proof({ item }: { item: EvidenceItem }) {
  const { t, formatDateTime } = useI18n();
  const href = safeHref(item.sourceUrl);
  const eolSource = typeof item.params.eolSource === 'string' ? safeHref(item.params.eolSource) : null;
  return (
    <Stack gap={4} mt={4} data-testid="evidence-proof" data-proof-kind={item.proofKind ?? ''}>
      <Group gap="xs" wrap="wrap">
        {item.proofKind && (
          <Badge size="xs" variant="light" color="gray">
            {tDynamic(`finding.proof.${item.proofKind}`, item.proofKind)}
          </Badge>
        )}
        {href && (
          <Anchor href={href} target="_blank" rel="noopener noreferrer" size="xs" dir="ltr" aria-label={t('lead.evidence.openSource')}>
            <Group gap={2} wrap="nowrap">
              <span style={{ overflowWrap: 'anywhere' }}>{item.sourceUrl}</span>
              <IconExternalLink size={12} />
            </Group>
          </Anchor>
        )}
        <Text size="xs" c="dimmed">
          {item.fetchedAt
            ? t('lead.evidence.fetched', { at: formatDateTime(item.fetchedAt) })
            : t('lead.evidence.captured', { at: formatDateTime(item.capturedAt) })}
        </Text>
      </Group>
      {item.snippet && (
        <Code block fz="xs" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} dir="auto" data-testid="evidence-snippet">
          {item.snippet}
        </Code>
      )}
      {eolSource && (
        <Text size="xs" c="dimmed">
          {t('lead.evidence.eolSource')}{' '}
          <Anchor href={eolSource} target="_blank" rel="noopener noreferrer" size="xs" dir="ltr">
            {eolSource}
          </Anchor>
        </Text>
      )}
    </Stack>
  );
}

function Finding({ item }: { item: EvidenceItem }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const proofId = `proof-${item.id}`;
  return (
    <div data-testid="evidence-item" data-value={item.value ?? ''}>
      <Group gap="xs" wrap="nowrap" align="flex-start" justify="space-between">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid="evidence-finding">
          {findingText(item)}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
          aria-controls={proofId}
          data-testid="evidence-proof-toggle"
        >
          {open ? t('lead.evidence.hideProof') : t('lead.evidence.proof')}
        </Button>
      </Group>
      <Collapse in={open} id={proofId}>
        {open && <Proof item={item} />}
      </Collapse>
    </div>
  );
}

/** What the score was computed from: never checked, the listing only, or the listing and the pages read. */
function ScoreBasisLine({ data }: { data: LeadEvidence }) {
  const { t, formatDateTime } = useI18n();
  const text = data.basis
    ? tDynamic(`finding.basis.${data.basis.website}`, data.basis.website, {
        pages: data.basis.pagesRead,
        at: formatDateTime(data.basis.checkedAt),
      })
    : data.enrichedAt
      ? t('finding.basis.legacy', { at: formatDateTime(data.enrichedAt) })
      : t('finding.basis.never');
  return (
    <Text size="xs" c="dimmed" mb="sm" data-testid="score-basis" data-basis={data.basis?.website ?? (data.enrichedAt ? 'legacy' : 'never')}>
      {text}
    </Text>
  );
}

function EvidenceCard({ data, lead, enrichButton }: { data: LeadEvidence; lead: Lead; enrichButton: React.ReactNode }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Card withBorder padding="lg" radius="md" data-testid="lead-evidence" data-count={data.groups.reduce((n, g) => n + g.items.length, 0)}>
      <Group justify="space-between" mb="sm" align="flex-start">
        <Stack gap={2}>
          <Title order={2} size="h4">
            {t('lead.evidence')}
          </Title>
          {data.enrichedAt && (
            <Text size="xs" c="dimmed">
              {t('lead.evidence.enrichedAt', { at: formatDateTime(data.enrichedAt) })}
            </Text>
          )}
        </Stack>
        {enrichButton}
      </Group>
      {data.groups.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="lead-evidence-empty">
          {t('lead.evidence.empty')}
        </Text>
      ) : (
        <Stack gap="md">
          {data.groups.map((g) => (
            <section key={g.kind} data-testid="evidence-group" data-kind={g.kind} aria-labelledby={`evidence-${g.kind}`}>
              <Group gap="xs" mb={4}>
                <Title order={3} size="h5" id={`evidence-${g.kind}`}>
                  {evidenceKindLabel(g.kind)}
                </Title>
                <Badge size="xs" variant="light" color="gray">
                  {g.items.length}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed" mb={6}>
                {tDynamic(`finding.why.${g.kind}`, g.explanation)}
              </Text>
              <Stack gap={6}>
                {g.items.map((item) => (
                  <Finding key={item.id} item={item} />
                ))}
              </Stack>
            </section>
          ))}
        </Stack>
      )}
      {lead.source === 'osm' && (
        <Group mt="md">
          <OsmAttribution />
        </Group>
      )}
    </Card>
  );
}

function ScoreCard({ data }: { data: LeadEvidence }) {
  const { t, formatNumber } = useI18n();
  return (
    <Card withBorder padding="lg" radius="md" data-testid="lead-score" data-score={data.score}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('lead.score')}
        </Title>
        <Badge
          size="xl"
          variant="light"
          color={data.score >= 75 ? 'green' : data.score >= 50 ? 'teal' : data.score >= 25 ? 'yellow' : 'gray'}
        >
          {formatNumber(data.score)}
        </Badge>
      </Group>
      <ScoreBasisLine data={data} />
      {data.breakdown.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('lead.score.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('lead.score.kind')}</Table.Th>
                <Table.Th>{t('lead.score.why')}</Table.Th>
                <Table.Th ta="end">{t('lead.score.weight')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.breakdown.map((line) => (
                <Table.Tr key={line.kind} data-testid="score-line" data-kind={line.kind} data-weight={line.weight}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {evidenceKindLabel(line.kind)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{tDynamic(`finding.why.${line.kind}`, line.explanation)}</Text>
                  </Table.Td>
                  <Table.Td ta="end">
                    <Text size="sm" fw={600} dir="ltr">
                      {line.weight > 0 ? `+${line.weight}` : String(line.weight)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th colSpan={2}>{t('lead.score.total')}</Table.Th>
                <Table.Th ta="end" data-testid="score-total">
                  {formatNumber(data.score)}
                </Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

/** Score breakdown, evidence grouped by kind, and the Enrich action with its progress. */
export function EvidenceSection({ tenantId, lead, canWrite }: { tenantId: string; lead: Lead; canWrite: boolean }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const evidence = useQuery({ queryKey: jobKeys.evidence(tenantId, lead.id), queryFn: () => jobsApi.evidence(tenantId, lead.id) });
  const [started, setStarted] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const live = useJobLive(tenantId, started?.id ?? null, {
    initial: started,
    onEnd: (j) => {
      void queryClient.invalidateQueries({ queryKey: jobKeys.evidence(tenantId, lead.id) });
      void queryClient.invalidateQueries({ queryKey: leadKeys.lead(tenantId, lead.id) });
      void queryClient.invalidateQueries({ queryKey: leadKeys.activity(tenantId, lead.id) });
      void queryClient.invalidateQueries({ queryKey: jobKeys.all(tenantId) });
      if (j.status === 'SUCCEEDED') notifications.show({ color: 'green', message: t('lead.enrich.done') });
      else notifications.show({ color: 'red', message: t('lead.enrich.failed', { error: jobFailure(j) }) });
      setStarted(null);
    },
  });
  const job = live.job ?? started;
  const running = !!job && isActive(job);

  const enrich = async () => {
    setBusy(true);
    try {
      setStarted(await jobsApi.enrich(tenantId, { leadIds: [lead.id] }));
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const enrichButton = canWrite ? (
    <Button
      size="xs"
      variant="light"
      leftSection={<IconSparkles size={14} />}
      onClick={() => void enrich()}
      loading={busy || running}
      loaderProps={{ type: 'dots' }}
      data-testid="lead-enrich"
    >
      {evidence.data?.enrichedAt ? t('lead.enrich.recheck') : t('lead.enrich')}
    </Button>
  ) : null;

  return (
    <Stack gap="md">
      {job && running && (
        <Card withBorder padding="md" radius="md" data-testid="lead-enrich-progress" data-status={job.status}>
          <Group justify="space-between" mb="xs">
            <Text size="sm" fw={600}>
              {t('lead.enrich.running')}
            </Text>
            <AnchorLink to="/t/$tenantId/jobs/$jobId" params={{ tenantId, jobId: job.id }} size="xs" underline="always">
              {t('prospecting.progress.details')}
            </AnchorLink>
          </Group>
          <JobProgressBar job={job} size="sm" />
        </Card>
      )}
      <QueryState query={evidence} loading={<PageLoader rows={3} />}>
        {(data) => (
          <>
            <ScoreCard data={data} />
            <EvidenceCard data={data} lead={lead} enrichButton={enrichButton} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}
