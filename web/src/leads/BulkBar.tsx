import { useState } from 'react';
import { Anchor, Button, Group, Menu, Modal, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowMerge, IconChevronDown, IconDownload, IconListCheck, IconSparkles, IconTrash } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { Lead, LeadStatus, BulkLeadAction } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { jobKeys, jobsApi, type EnrichBody } from '../api/jobs';
import { listsApi, listKeys } from '../api/lists';
import { leadKeys, leadsApi, type LeadFilterParams, type LeadSelection } from '../api/leads';
import { confirmAction } from '../lib/confirm';
import { useI18n } from '../i18n';
import { FormError } from '../shell/states';
import { downloadText, followBulkJob, leadsToCsv, statusOptions } from './hooks';
import { MergeDialog } from './MergeDialog';

/** The most leads one merge takes (the kept one and nine others). */
const MAX_MERGE = 10;

type Kind = 'addToList' | 'removeFromList' | 'setStatus' | 'addTag' | 'removeTag' | 'assignOwner';

export function BulkBar({
  tenantId,
  selectedIds,
  selectedLeads,
  allMatching,
  filter,
  fixedList,
  listOptions,
  memberOptions,
  loadedCount,
  matchingText,
  hasMore,
  onSelectAllMatching,
  onClear,
}: {
  tenantId: string;
  selectedIds: string[];
  selectedLeads: Lead[];
  allMatching: boolean;
  filter: LeadFilterParams;
  fixedList?: { id: string; name: string };
  listOptions: { value: string; label: string }[];
  memberOptions: { value: string; label: string }[];
  loadedCount: number;
  /** The number of leads the filter matches, formatted ("…" while it loads). */
  matchingText: string;
  hasMore: boolean;
  onSelectAllMatching: () => void;
  onClear: () => void;
}) {
  const { t, formatNumber } = useI18n();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind | null>(null);
  const [value, setValue] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const count = selectedIds.length;
  const selection: LeadSelection = allMatching ? { filter } : { ids: selectedIds };
  const navigate = useNavigate();
  const [enriching, setEnriching] = useState(false);
  const [merging, setMerging] = useState(false);
  const canMerge = !allMatching && count >= 2 && count <= MAX_MERGE;

  const targetText = allMatching ? matchingText : formatNumber(count);
  const confirmEnrich = () =>
    confirmAction({
      title: t('leads.bulk.enrichTitle'),
      message: t('leads.bulk.enrichBody', { count: targetText }),
      confirmLabel: t('leads.bulk.enrich'),
      danger: false,
      onConfirm: () => void enrich(),
    });

  const enrich = async () => {
    const body: EnrichBody = !allMatching
      ? { leadIds: selectedIds }
      : fixedList && Object.keys(filter).length === 1
        ? { listId: fixedList.id }
        : { filter };
    setEnriching(true);
    try {
      const job = await jobsApi.enrich(tenantId, body);
      void queryClient.invalidateQueries({ queryKey: jobKeys.all(tenantId) });
      const href = `/t/${tenantId}/jobs/${job.id}`;
      notifications.show({
        color: 'green',
        autoClose: 8000,
        message: (
          <Stack gap={2} data-testid="enrich-started">
            <Text size="sm">{t('leads.bulk.enrichStarted')}</Text>
            <Anchor
              href={href}
              size="sm"
              onClick={(e) => {
                e.preventDefault();
                void navigate({ to: '/t/$tenantId/jobs/$jobId', params: { tenantId, jobId: job.id } });
              }}
            >
              {t('leads.bulk.enrichOpen')}
            </Anchor>
          </Stack>
        ),
      });
      onClear();
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setEnriching(false);
    }
  };

  const open = (k: Kind) => {
    setKind(k);
    setValue(k === 'removeFromList' && fixedList ? fixedList.id : null);
    setTag('');
    setError(null);
  };
  const close = () => setKind(null);

  const run = async (action: BulkLeadAction, deleting = false) => {
    setBusy(true);
    setError(null);
    try {
      const res = await leadsApi.bulk(tenantId, selection, action);
      if (res.jobId) void followBulkJob(queryClient, tenantId, res.jobId);
      else
        notifications.show({
          color: 'green',
          message: t(deleting ? 'leads.bulk.deleted' : 'leads.bulk.done', { count: res.affected ?? count }),
        });
      onClear();
      close();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) }),
        queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) }),
      ]);
    } catch (e) {
      if (kind) setError(errorMessage(e));
      else notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!kind) return;
    const needValue = kind !== 'addTag' && kind !== 'removeTag' && kind !== 'assignOwner';
    if (needValue && !value) return setError(t('leads.bulk.required'));
    if ((kind === 'addTag' || kind === 'removeTag') && !tag.trim()) return setError(t('leads.bulk.required'));
    const action: BulkLeadAction =
      kind === 'addToList'
        ? { type: 'addToList', listId: value! }
        : kind === 'removeFromList'
          ? { type: 'removeFromList', listId: value! }
          : kind === 'setStatus'
            ? { type: 'setStatus', status: value as LeadStatus }
            : kind === 'addTag'
              ? { type: 'addTag', tag: tag.trim() }
              : kind === 'removeTag'
                ? { type: 'removeTag', tag: tag.trim() }
                : { type: 'assignOwner', ownerUserId: value && value !== 'none' ? value : null };
    void run(action);
  };

  const remove = () =>
    confirmAction({
      title: t('leads.bulk.deleteTitle'),
      message: allMatching ? t('leads.bulk.deleteAllBody', { count: matchingText }) : t('leads.bulk.deleteBody', { count }),
      confirmLabel: t('leads.bulk.delete'),
      onConfirm: () => void run({ type: 'delete' }, true),
    });

  const exportSelection = () => {
    if (allMatching) {
      const a = document.createElement('a');
      a.href =
        fixedList && Object.keys(filter).length === 1
          ? listsApi.listExportUrl(tenantId, fixedList.id)
          : leadsApi.exportUrl(tenantId, filter);
      a.download = '';
      document.body.appendChild(a);
      a.click();
      a.remove();
    } else {
      downloadText(`leads-${new Date().toISOString().slice(0, 10)}.csv`, leadsToCsv(selectedLeads));
    }
  };

  const titles: Record<Kind, string> = {
    addToList: t('leads.bulk.addToList'),
    removeFromList: fixedList ? t('leads.bulk.removeFromThisList') : t('leads.bulk.removeFromList'),
    setStatus: t('leads.bulk.setStatus'),
    addTag: t('leads.bulk.addTag'),
    removeTag: t('leads.bulk.removeTag'),
    assignOwner: t('leads.bulk.assignOwner'),
  };
  const confirmLabel =
    kind === 'addToList'
      ? t('leads.bulk.add')
      : kind === 'removeFromList' || kind === 'removeTag'
        ? t('leads.bulk.remove')
        : t('leads.bulk.apply');

  return (
    <Paper
      withBorder
      shadow="sm"
      p="xs"
      radius="md"
      role="toolbar"
      aria-label={t('leads.bulk.label')}
      data-testid="bulk-bar"
      style={{ position: 'sticky', insetBlockStart: 64, zIndex: 5 }}
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600} data-testid="selection-count">
            {allMatching ? t('leads.selectedAll', { count: matchingText }) : t('leads.selected', { count: formatNumber(count) })}
          </Text>
          {!allMatching && (hasMore || count === loadedCount) && (
            <Anchor component="button" type="button" size="sm" onClick={onSelectAllMatching} data-testid="select-all-matching">
              {t('leads.selectAllMatching', { count: matchingText })}
            </Anchor>
          )}
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onClear}>
            {t('leads.clearSelection')}
          </Anchor>
        </Group>
        <Group gap="xs" wrap="wrap">
          {fixedList ? (
            <Button size="xs" variant="light" onClick={() => open('removeFromList')}>
              {t('leads.bulk.removeFromThisList')}
            </Button>
          ) : null}
          <Button size="xs" variant="light" leftSection={<IconListCheck size={14} />} onClick={() => open('addToList')}>
            {t('leads.bulk.addToList')}
          </Button>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconSparkles size={14} />}
            onClick={confirmEnrich}
            loading={enriching}
            data-testid="bulk-enrich"
          >
            {t('leads.bulk.enrich')}
          </Button>
          <Menu position="bottom-end" shadow="md">
            <Menu.Target>
              <Button size="xs" variant="default" rightSection={<IconChevronDown size={14} />}>
                {t('common.actions')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {!fixedList && <Menu.Item onClick={() => open('removeFromList')}>{t('leads.bulk.removeFromList')}</Menu.Item>}
              <Menu.Item onClick={() => open('setStatus')}>{t('leads.bulk.setStatus')}</Menu.Item>
              <Menu.Item onClick={() => open('addTag')}>{t('leads.bulk.addTag')}</Menu.Item>
              <Menu.Item onClick={() => open('removeTag')}>{t('leads.bulk.removeTag')}</Menu.Item>
              <Menu.Item onClick={() => open('assignOwner')}>{t('leads.bulk.assignOwner')}</Menu.Item>
            </Menu.Dropdown>
          </Menu>
          {canMerge && (
            <Button
              size="xs"
              variant="light"
              color="orange"
              leftSection={<IconArrowMerge size={14} />}
              onClick={() => setMerging(true)}
              data-testid="bulk-merge"
            >
              {t('merge.open')}
            </Button>
          )}
          <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={exportSelection}>
            {t('leads.bulk.export')}
          </Button>
          <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} />} onClick={remove} loading={busy && !kind}>
            {t('leads.bulk.delete')}
          </Button>
        </Group>
      </Group>

      {merging && (
        <MergeDialog
          tenantId={tenantId}
          leadIds={selectedIds}
          opened
          onClose={() => setMerging(false)}
          onMerged={(kept) => {
            setMerging(false);
            onClear();
            void navigate({ to: '/t/$tenantId/leads/$leadId', params: { tenantId, leadId: kept } });
          }}
        />
      )}
      <Modal opened={kind !== null} onClose={close} title={kind ? titles[kind] : ''} centered>
        <form onSubmit={submit} noValidate data-testid="bulk-form">
          <Stack gap="sm">
            <FormError message={error} />
            <Text size="sm" c="dimmed">
              {allMatching ? t('leads.bulk.targetAll', { count: matchingText }) : t('leads.bulk.targetCount', { count })}
            </Text>
            {(kind === 'addToList' || (kind === 'removeFromList' && !fixedList)) && (
              <Select
                label={t('leads.bulk.list')}
                placeholder={t('leads.bulk.listPlaceholder')}
                data={listOptions}
                value={value}
                onChange={setValue}
                searchable
                nothingFoundMessage={t('leads.bulk.noLists')}
                data-autofocus
                comboboxProps={{ withinPortal: true }}
              />
            )}
            {kind === 'addToList' && listOptions.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('leads.bulk.noLists')}
              </Text>
            )}
            {kind === 'setStatus' && (
              <Select label={t('leads.bulk.status')} data={statusOptions()} value={value} onChange={setValue} data-autofocus />
            )}
            {(kind === 'addTag' || kind === 'removeTag') && (
              <TextInput
                label={t('leads.bulk.tag')}
                value={tag}
                onChange={(e) => setTag(e.currentTarget.value)}
                maxLength={50}
                data-autofocus
              />
            )}
            {kind === 'assignOwner' && (
              <Select
                label={t('leads.bulk.owner')}
                data={[{ value: 'none', label: t('lead.unassigned') }, ...memberOptions]}
                value={value}
                onChange={setValue}
                searchable
                data-autofocus
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" type="button" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={busy} color={kind === 'removeFromList' ? 'red' : undefined}>
                {confirmLabel}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}
