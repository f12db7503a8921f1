import { useState } from 'react';
import { Alert, Button, Group, Modal, Radio, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MERGE_UNDO_DAYS, mergeFieldValue, type Lead, type MergeField, type MergePreview } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { leadKeys, leadsApi } from '../api/leads';
import { listKeys } from '../api/lists';
import { tDynamic, useI18n } from '../i18n';
import { ErrorState, FormError, PageLoader } from '../shell/states';
import { statusLabel } from './hooks';

/** A lead's value for a merge field, with the status in the reader's language. */
const valueOf = (lead: Lead, field: MergeField) => (field === 'status' ? statusLabel(lead.status) : mergeFieldValue(lead, field));

/** Values written left to right whatever the page's direction (a phone's plus sign, coordinates, addresses). */
const LTR_FIELDS = new Set<MergeField>(['location', 'phone', 'email', 'website', 'rating', 'score']);

function FieldTable({
  preview,
  choices,
  onChoose,
}: {
  preview: MergePreview;
  /** The person's choices, shown at once while the preview catches up. */
  choices: Partial<Record<MergeField, string>>;
  onChoose: (field: MergeField, leadId: string) => void;
}) {
  const { t } = useI18n();
  return (
    <ScrollArea type="auto">
      <Table withTableBorder withColumnBorders fz="sm" data-testid="merge-fields">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('merge.field')}</Table.Th>
            {preview.leads.map((lead) => (
              <Table.Th key={lead.id}>
                <bdi>{lead.name}</bdi>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.fields.map(({ field, fromLeadId: fromPreview }) => {
            const fromLeadId = choices[field] ?? fromPreview;
            return (
              <Table.Tr key={field} data-field={field}>
                <Table.Td fw={600}>{tDynamic(`merge.fields.${field}`, field)}</Table.Td>
                {preview.leads.map((lead) => {
                  const value = valueOf(lead, field);
                  return (
                    <Table.Td key={lead.id} bg={fromLeadId === lead.id ? 'var(--mantine-color-green-light)' : undefined}>
                      {value === null ? (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      ) : (
                        <Radio
                          name={`merge-${field}`}
                          checked={fromLeadId === lead.id}
                          onChange={() => onChoose(field, lead.id)}
                          label={<bdi dir={LTR_FIELDS.has(field) ? 'ltr' : undefined}>{value}</bdi>}
                          aria-label={t('merge.keepValue', { field: tDynamic(`merge.fields.${field}`, field), value })}
                        />
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

/**
 * Merging two or more leads: the person picks the lead to keep and, field by field, whose value it
 * keeps; the server's preview shows the result and how much history moves before anything changes.
 */
export function MergeDialog({
  tenantId,
  leadIds,
  opened,
  onClose,
  onMerged,
}: {
  tenantId: string;
  leadIds: string[];
  opened: boolean;
  onClose: () => void;
  onMerged: (keptLeadId: string) => void;
}) {
  const { t, formatNumber } = useI18n();
  const queryClient = useQueryClient();
  const [keepId, setKeepId] = useState(leadIds[0]);
  const [fields, setFields] = useState<Partial<Record<MergeField, string>>>({});
  const kept = leadIds.includes(keepId) ? keepId : leadIds[0];
  const body = { keepId: kept, mergeIds: leadIds.filter((id) => id !== kept), fields };
  const preview = useQuery({
    queryKey: leadKeys.mergePreview(tenantId, body),
    queryFn: () => leadsApi.mergePreview(tenantId, body),
    enabled: opened && leadIds.length > 1,
    placeholderData: (previous) => previous,
  });
  const merge = useMutation({
    mutationFn: () => leadsApi.merge(tenantId, body),
    onSuccess: (result) => {
      for (const id of result.mergedLeadIds) queryClient.removeQueries({ queryKey: leadKeys.lead(tenantId, id) });
      void queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
      void queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) });
      notifications.show({ color: 'green', message: t('merge.done', { name: result.lead.name, count: result.mergedLeadIds.length }) });
      onMerged(result.lead.id);
    },
  });
  const moves = preview.data?.moves;
  const others = body.mergeIds.length;

  return (
    <Modal opened={opened} onClose={onClose} title={t('merge.title', { count: leadIds.length })} size="xl" centered>
      <Stack gap="sm" data-testid="merge-dialog">
        {preview.isPending ? (
          <PageLoader rows={3} />
        ) : preview.isError && !preview.data ? (
          <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
        ) : preview.data ? (
          <>
            <Radio.Group label={t('merge.keep')} value={kept} onChange={(id) => setKeepId(id)}>
              <Stack gap={4} mt={4}>
                {preview.data.leads.map((lead) => (
                  <Radio
                    key={lead.id}
                    value={lead.id}
                    data-testid="merge-keep"
                    label={
                      <>
                        <bdi>{lead.name}</bdi>
                        {lead.city ? ` · ${lead.city}` : ''} · {tDynamic(`lead.source.${lead.source}`, lead.source)}
                      </>
                    }
                  />
                ))}
              </Stack>
            </Radio.Group>
            <Text size="sm" c="dimmed">
              {t('merge.choose')}
            </Text>
            <FieldTable preview={preview.data} choices={fields} onChoose={(field, id) => setFields((f) => ({ ...f, [field]: id }))} />
            {preview.data.tags.length > 0 && (
              <Text size="sm">
                {t('merge.tags')} <bdi>{preview.data.tags.join(', ')}</bdi>
              </Text>
            )}
            {preview.data.notes && (
              <Text size="sm" lineClamp={3} style={{ whiteSpace: 'pre-line' }} dir="auto">
                {t('merge.notes')} {preview.data.notes}
              </Text>
            )}
            {moves && (
              <Alert color="orange" data-testid="merge-summary">
                <Text size="sm">
                  {t('merge.moves', {
                    evidence: formatNumber(moves.evidence),
                    lists: formatNumber(moves.lists),
                    reports: formatNumber(moves.reports),
                    messages: formatNumber(moves.messages),
                    sources: formatNumber(moves.sources),
                    jobs: formatNumber(moves.jobs),
                  })}
                </Text>
                <Text size="sm" fw={600} mt={4}>
                  {t('merge.deleted', { count: others, days: MERGE_UNDO_DAYS })}
                </Text>
              </Alert>
            )}
          </>
        ) : null}
        <FormError message={merge.isError ? errorMessage(merge.error) : null} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="orange"
            onClick={() => merge.mutate()}
            loading={merge.isPending}
            disabled={!preview.data || preview.isFetching}
            data-testid="merge-confirm"
          >
            {t('merge.confirm', { count: leadIds.length })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
