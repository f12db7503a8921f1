import { useState } from 'react';
import { Alert, Button, Group, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useNavigate } from '@tanstack/react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { DismissedDuplicate, DuplicateCandidate, Lead } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { leadKeys, leadsApi } from '../api/leads';
import { AnchorLink } from '../lib/links';
import { useI18n } from '../i18n';
import { MergeDialog } from './MergeDialog';

function PossibleDuplicate({
  tenantId,
  leadId,
  candidate,
  canWrite,
}: {
  tenantId: string;
  leadId: string;
  candidate: DuplicateCandidate;
  canWrite: boolean;
}) {
  const { t, formatNumber } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [merging, setMerging] = useState(false);
  const [busy, setBusy] = useState(false);
  const other = candidate.lead;
  const dismiss = async () => {
    setBusy(true);
    try {
      await leadsApi.dismissDuplicate(tenantId, leadId, other.id);
      notifications.show({ color: 'green', message: t('lead.attention.notDuplicateDone', { name: other.name }) });
      await queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <List.Item data-testid="attention-duplicate">
      <Group gap="xs" wrap="wrap">
        <Text size="sm" span>
          {candidate.reason === 'domain'
            ? t('lead.attention.duplicateOf')
            : candidate.distanceM !== null
              ? t('lead.attention.similarNameNear', { metres: formatNumber(Math.round(candidate.distanceM)) })
              : t('lead.attention.sameNameCity')}{' '}
          <AnchorLink to="/t/$tenantId/leads/$leadId" params={{ tenantId, leadId: other.id }}>
            <bdi>{other.name}</bdi>
          </AnchorLink>
        </Text>
        {canWrite && (
          <Button size="compact-xs" variant="light" color="orange" onClick={() => setMerging(true)} data-testid="open-merge">
            {t('merge.open')}
          </Button>
        )}
        {canWrite && (
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            onClick={() => void dismiss()}
            loading={busy}
            data-testid="dismiss-duplicate"
          >
            {t('lead.attention.notDuplicate')}
          </Button>
        )}
      </Group>
      {merging && (
        <MergeDialog
          tenantId={tenantId}
          leadIds={[leadId, other.id]}
          opened
          onClose={() => setMerging(false)}
          onMerged={(kept) => {
            setMerging(false);
            if (kept !== leadId) void navigate({ to: '/t/$tenantId/leads/$leadId', params: { tenantId, leadId: kept } });
          }}
        />
      )}
    </List.Item>
  );
}

/** Leads a person said are other businesses, each with the way to flag it again. */
function DismissedDuplicates({
  tenantId,
  leadId,
  dismissed,
  canWrite,
}: {
  tenantId: string;
  leadId: string;
  dismissed: DismissedDuplicate[];
  canWrite: boolean;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const restore = async (otherId: string) => {
    try {
      await leadsApi.restoreDuplicate(tenantId, leadId, otherId);
      await queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
  };
  return (
    <Group gap="xs" data-testid="dismissed-duplicates">
      <Text size="sm" c="dimmed" span>
        {t('lead.attention.dismissedAs')}
      </Text>
      {dismissed.map((d) => (
        <Group key={d.lead.id} gap={4} data-testid="dismissed-duplicate">
          <AnchorLink to="/t/$tenantId/leads/$leadId" params={{ tenantId, leadId: d.lead.id }} size="sm">
            <bdi>{d.lead.name}</bdi>
          </AnchorLink>
          {canWrite && (
            <Button size="compact-xs" variant="subtle" onClick={() => void restore(d.lead.id)} data-testid="restore-duplicate">
              {t('lead.attention.flagAgain')}
            </Button>
          )}
        </Group>
      ))}
    </Group>
  );
}

/** What on the lead needs a person: contact text that could not be read (fixed in the details below), possible duplicates. */
export function LeadAttention({ tenantId, lead, canWrite }: { tenantId: string; lead: Lead; canWrite: boolean }) {
  const { t } = useI18n();
  const duplicates = useQuery({
    queryKey: leadKeys.duplicates(tenantId, lead.id),
    queryFn: () => leadsApi.duplicates(tenantId, lead.id),
  });
  const unread = (
    [
      ['phone', lead.phone ? null : lead.phoneRaw],
      ['email', lead.email ? null : lead.emailRaw],
      ['website', lead.website ? null : lead.websiteRaw],
    ] as const
  ).filter((entry): entry is readonly ['phone' | 'email' | 'website', string] => !!entry[1]);
  const candidates = lead.possibleDuplicates > 0 ? (duplicates.data?.items ?? []) : [];
  const dismissed = duplicates.data?.dismissed ?? [];
  const dismissedLine = dismissed.length > 0 && (
    <DismissedDuplicates tenantId={tenantId} leadId={lead.id} dismissed={dismissed} canWrite={canWrite} />
  );
  if (!unread.length && !candidates.length) return dismissedLine || null;
  return (
    <>
      <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={t('lead.attention.title')} data-testid="lead-attention">
        <List size="sm" spacing={4}>
          {unread.map(([field, raw]) => (
            <List.Item key={field} data-testid={`attention-${field}`}>
              {t(`lead.attention.unread.${field}`)}{' '}
              <Text span fw={600} dir="ltr">
                <bdi>{raw}</bdi>
              </Text>
            </List.Item>
          ))}
          {candidates.map((candidate) => (
            <PossibleDuplicate key={candidate.lead.id} tenantId={tenantId} leadId={lead.id} candidate={candidate} canWrite={canWrite} />
          ))}
        </List>
        {unread.length > 0 && (
          <Text size="sm" mt="xs">
            {t('lead.attention.fix')}
          </Text>
        )}
      </Alert>
      {dismissedLine}
    </>
  );
}
