import { Button, Card, Group, Stack, Text, Timeline, Title } from '@mantine/core';
import type { LeadActivityItem } from '@optarget/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { leadKeys, leadsApi } from '../api/leads';
import { auditActionLabel } from '../audit/labels';
import { t, tDynamic, useI18n } from '../i18n';
import { AnchorLink } from '../lib/links';
import { PageLoader, QueryState, pageItems } from '../shell/states';
import { statusLabel } from './hooks';
import { useLeadMerges, useUndoMerge } from './MergesCard';
import { failureOf } from '../whatsapp/failure';

/** Fields whose values are too long or too private to repeat in a timeline line: only that they changed. */
const CHANGED_ONLY = new Set(['notes', 'address', 'phoneRaw', 'emailRaw', 'websiteRaw']);

const shown = (field: string, value: unknown): string => {
  if (value === null || value === undefined || value === '') return t('lead.activity.empty.value');
  if (field === 'status' && typeof value === 'string') return statusLabel(value as Parameters<typeof statusLabel>[0]);
  if (Array.isArray(value)) return value.join(', ') || t('lead.activity.empty.value');
  return plain(value);
};

/** Audit metadata is JSON: a scalar as written, anything else as its JSON. */
const plain = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/** What happened, as sentences a person reads: one per changed field of an edit. */
export function describeActivity(entry: LeadActivityItem): string[] {
  const m = entry.metadata;
  switch (entry.action) {
    case 'lead.created':
      return [t('lead.activity.created')];
    case 'lead.updated': {
      const before = (m.before ?? {}) as Record<string, unknown>;
      const after = (m.after ?? {}) as Record<string, unknown>;
      return Object.keys(after)
        .filter((field) => field !== 'editedFields')
        .map((field) => {
          const name = tDynamic(`lead.field.${field}`, field);
          return CHANGED_ONLY.has(field)
            ? t('lead.activity.changed', { field: name })
            : t('lead.activity.changedFromTo', { field: name, from: shown(field, before[field]), to: shown(field, after[field]) });
        });
    }
    case 'list.leads_added':
      return [t('lead.activity.addedToList', { list: plain(m.listName) })];
    case 'list.leads_removed':
      return [t('lead.activity.removedFromList', { list: plain(m.listName) })];
    case 'lead.merged':
      return [t('lead.activity.merged', { names: (m.mergedNames as string[] | undefined)?.join(', ') ?? '' })];
    case 'lead.merge_undone':
      return [t('lead.activity.mergeUndone', { names: (m.restoredNames as string[] | undefined)?.join(', ') ?? '' })];
    case 'report.viewed':
      return [t('lead.activity.reportViewed', { device: tDynamic(`reports.device.${plain(m.device)}`, plain(m.device)) })];
    case 'report.made':
      return [
        t('lead.activity.reportMade', {
          language: tDynamic(`reports.language.${plain(m.language)}`, plain(m.language)),
          pages: typeof m.pages === 'number' ? m.pages : 0,
        }),
      ];
    case 'report.failed':
      return [t('lead.activity.reportFailed')];
    case 'enrichment.visited':
      return [enrichmentLine(m)];
    case 'import.created_lead':
      return [t('lead.activity.importCreated', { file: plain(m.fileName) || t('lead.activity.importNoFile') })];
    case 'import.found_lead':
      return [t('lead.activity.importFound', { file: plain(m.fileName) || t('lead.activity.importNoFile') })];
    case 'whatsapp.message':
    case 'whatsapp.message_received':
      return messageLines(entry.action, m);
    default:
      return [auditActionLabel(entry.action)];
  }
}

/** What an enrichment run made of the lead's website. */
function enrichmentLine(m: Record<string, unknown>): string {
  const website = plain(m.website) || t('lead.activity.enrichment.noWebsite');
  switch (m.outcome) {
    case 'read':
      return t('lead.activity.enrichment.read', { website, pages: Number(m.pagesRead) || 0, findings: Number(m.findings) || 0 });
    case 'not-read':
      return t('lead.activity.enrichment.notRead', { website });
    case 'failed':
      return t('lead.activity.enrichment.failed', { website });
    default:
      return t('lead.activity.enrichment.unreachable', { website, findings: Number(m.findings) || 0 });
  }
}

/** A WhatsApp message: what was sent (a template by name, a report, a text) or received, and where it stands. */
function messageLines(action: string, m: Record<string, unknown>): string[] {
  if (action === 'whatsapp.message_received') return [t('lead.activity.messageReceived'), ...(m.text ? [plain(m.text)] : [])];
  const status = tDynamic(`whatsapp.status.${plain(m.status)}`, plain(m.status));
  const first = m.template
    ? t('lead.activity.messageTemplate', { template: plain(m.template), status })
    : m.type === 'document'
      ? t('lead.activity.messageReport', { status })
      : t('lead.activity.messageText', { status });
  return [first, ...(m.text && !m.template ? [plain(m.text)] : []), ...(m.error ? failureLines(m) : [])];
}

/** Why the message failed in the user's language, then Meta's own words in their own direction. */
function failureLines(m: Record<string, unknown>): string[] {
  const failure = failureOf({ errorCode: typeof m.errorCode === 'number' ? m.errorCode : null, errorTitle: plain(m.error) });
  return [
    t('lead.activity.messageError', { error: failure.text }),
    ...(failure.upstream ? [`${t('whatsapp.failure.upstream')} \u2068${failure.upstream}\u2069`] : []),
  ];
}

/** The run or import an entry came from, as a link to its job page. */
function JobLink({ tenantId, entry }: { tenantId: string; entry: LeadActivityItem }) {
  const jobId = entry.metadata.jobId;
  if (typeof jobId !== 'string' || !['enrichment.visited', 'import.created_lead', 'import.found_lead'].includes(entry.action)) return null;
  return (
    <AnchorLink to="/t/$tenantId/jobs/$jobId" params={{ tenantId, jobId }} size="xs" data-testid="activity-job-link">
      {entry.action === 'enrichment.visited' ? t('lead.activity.openRun') : t('lead.activity.openImport')}
    </AnchorLink>
  );
}

export function ActivityCard({ tenantId, leadId, canWrite }: { tenantId: string; leadId: string; canWrite: boolean }) {
  const { formatDateTime } = useI18n();
  const activity = useInfiniteQuery({
    queryKey: leadKeys.activity(tenantId, leadId),
    queryFn: ({ pageParam }) => leadsApi.activity(tenantId, leadId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const merges = useLeadMerges(tenantId, leadId);
  const undo = useUndoMerge(tenantId, leadId);
  // A merge entry offers its undo while the merge can still be undone.
  const undoable = (a: LeadActivityItem) =>
    canWrite && a.action === 'lead.merged' ? merges.data?.items.find((m) => m.undoable && m.mergeId === a.metadata.mergeId) : undefined;
  return (
    <Card withBorder padding="lg" radius="md" data-testid="lead-activity">
      <Title order={2} size="h4" mb="sm">
        {t('lead.activity')}
      </Title>
      <QueryState
        query={activity}
        select={(d) => pageItems(d)}
        loading={<PageLoader rows={2} />}
        empty={
          <Text size="sm" c="dimmed">
            {t('lead.activity.empty')}
          </Text>
        }
      >
        {(entries) => (
          <Stack gap="sm">
            <Timeline bulletSize={12} lineWidth={2}>
              {entries.map((a) => (
                <Timeline.Item key={a.id} data-testid="activity-entry" data-action={a.action}>
                  <Stack gap={2}>
                    {describeActivity(a).map((line, i) => (
                      <Text key={i} size="sm" dir="auto">
                        {line}
                      </Text>
                    ))}
                    <Text size="xs" c="dimmed">
                      <bdi>{a.actorName ?? t('lead.activity.system')}</bdi> · <bdi>{formatDateTime(a.createdAt)}</bdi>{' '}
                      <JobLink tenantId={tenantId} entry={a} />
                    </Text>
                    {undoable(a) && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        w="fit-content"
                        onClick={() => undo(undoable(a)!)}
                        data-testid="activity-undo-merge"
                      >
                        {t('merge.undo')}
                      </Button>
                    )}
                  </Stack>
                </Timeline.Item>
              ))}
            </Timeline>
            {activity.hasNextPage && (
              <Group justify="center">
                <Button
                  variant="default"
                  size="xs"
                  onClick={() => void activity.fetchNextPage()}
                  loading={activity.isFetchingNextPage}
                  data-testid="activity-load-more"
                >
                  {t('common.loadMore')}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}
