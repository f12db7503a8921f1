import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { LeadMergeEntry } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { leadKeys, leadsApi } from '../api/leads';
import { listKeys } from '../api/lists';
import { useI18n } from '../i18n';
import { confirmAction } from '../lib/confirm';

const names = (entry: LeadMergeEntry) => entry.mergedLeads.map((l) => l.name).join(', ');

/** The merges into a lead, shared by this card and the timeline's undo buttons. */
export function useLeadMerges(tenantId: string, leadId: string) {
  return useQuery({ queryKey: leadKeys.merges(tenantId, leadId), queryFn: () => leadsApi.merges(tenantId, leadId) });
}

/** Asks, then undoes the merge; every lead query is refreshed since leads come back. */
export function useUndoMerge(tenantId: string, leadId: string) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  return (entry: LeadMergeEntry) =>
    confirmAction({
      title: t('merge.undo.title'),
      message: t('merge.undo.body', { names: names(entry) }),
      confirmLabel: t('merge.undo'),
      danger: false,
      onConfirm: async () => {
        try {
          await leadsApi.undoMerge(tenantId, leadId, entry.mergeId);
          notifications.show({ color: 'green', message: t('merge.undo.done', { names: names(entry) }) });
          await queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
          void queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) });
        } catch (e) {
          notifications.show({ color: 'red', message: errorMessage(e) });
        }
      },
    });
}

/** Which leads were merged into this one, and the way back while it is open. */
export function MergesCard({ tenantId, leadId, canWrite }: { tenantId: string; leadId: string; canWrite: boolean }) {
  const { t, formatDate } = useI18n();
  const merges = useLeadMerges(tenantId, leadId);
  const undo = useUndoMerge(tenantId, leadId);
  const items = merges.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Alert color="blue" variant="light" title={t('merge.history.title')} data-testid="lead-merges">
      <Stack gap="xs">
        {items.map((entry) => (
          <Group key={entry.mergeId} justify="space-between" gap="xs" data-testid="lead-merge">
            <Stack gap={0}>
              <Text size="sm">
                <bdi>{t('merge.history.entry', { names: names(entry), date: formatDate(entry.mergedAt) })}</bdi>
              </Text>
              <Text size="xs" c="dimmed">
                {entry.undoable ? t('merge.history.until', { date: formatDate(entry.undoUntil) }) : t('merge.history.closed')}
              </Text>
            </Stack>
            {canWrite && entry.undoable && (
              <Button
                size="compact-sm"
                variant="light"
                leftSection={<IconArrowBackUp size={14} />}
                onClick={() => undo(entry)}
                data-testid="undo-merge"
              >
                {t('merge.undo')}
              </Button>
            )}
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}
