import { useState } from 'react';
import { ActionIcon, Button, Checkbox, Divider, Group, Modal, Popover, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBookmark, IconDeviceFloppy, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { LeadView, LeadViewLayout } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { leadViewKeys, leadViewsApi } from '../api/lead-views';
import { confirmAction } from '../lib/confirm';
import { useI18n } from '../i18n';
import { FormError } from '../shell/states';
import classes from './SavedViews.module.css';

function SaveViewModal({
  tenantId,
  opened,
  onClose,
  layout,
  canShare,
}: {
  tenantId: string;
  opened: boolean;
  onClose: () => void;
  layout: () => LeadViewLayout;
  canShare: boolean;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const view = await leadViewsApi.save(tenantId, { name, shared, layout: layout() });
      await queryClient.invalidateQueries({ queryKey: leadViewKeys.all(tenantId) });
      notifications.show({ color: 'green', message: t('views.saved', { name: view.name }) });
      setName('');
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('views.saveTitle')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('views.saveHint')}
          </Text>
          <FormError message={error} />
          <TextInput
            label={t('views.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            maxLength={80}
            data-autofocus
            data-testid="view-name"
          />
          {canShare && <Checkbox label={t('views.shared')} checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim()} data-testid="view-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ViewItem({ view, onOpen, onDelete }: { view: LeadView; onOpen: (view: LeadView) => void; onDelete: (view: LeadView) => void }) {
  const { t } = useI18n();
  return (
    <Group gap={4} wrap="nowrap" justify="space-between">
      <UnstyledButton onClick={() => onOpen(view)} data-testid="saved-view" data-view-name={view.name} className={classes.item}>
        <Text size="sm" dir="auto" truncate>
          {view.name}
        </Text>
        {!view.mine && view.author && (
          <Text size="xs" c="dimmed">
            {t('views.by', { name: view.author })}
          </Text>
        )}
      </UnstyledButton>
      {view.mine && (
        <ActionIcon variant="subtle" color="red" aria-label={t('views.delete', { name: view.name })} onClick={() => onDelete(view)}>
          <IconTrash size={14} />
        </ActionIcon>
      )}
    </Group>
  );
}

/** Named filter + sort + columns a person saves and reopens, their own or shared by the team. */
export function SavedViews({
  tenantId,
  current,
  onOpen,
  canShare,
}: {
  tenantId: string;
  current: () => LeadViewLayout;
  onOpen: (view: LeadView) => void;
  canShare: boolean;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);
  const [listOpen, setListOpen] = useState(false);
  const views = useQuery({ queryKey: leadViewKeys.all(tenantId), queryFn: () => leadViewsApi.list(tenantId) });
  const items = views.data?.items ?? [];
  const mine = items.filter((v) => v.mine);
  const team = items.filter((v) => !v.mine);
  const open = (view: LeadView) => {
    setListOpen(false);
    onOpen(view);
    notifications.show({ message: t('views.opened', { name: view.name }) });
  };
  const deleteView = async (view: LeadView) => {
    try {
      await leadViewsApi.remove(tenantId, view.id);
      await queryClient.invalidateQueries({ queryKey: leadViewKeys.all(tenantId) });
      notifications.show({ color: 'green', message: t('views.deleted', { name: view.name }) });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
  };
  const remove = (view: LeadView) => {
    setListOpen(false);
    confirmAction({
      title: t('views.deleteTitle'),
      message: t('views.deleteBody', { name: view.name }),
      confirmLabel: t('views.delete', { name: view.name }),
      onConfirm: () => void deleteView(view),
    });
  };
  return (
    <>
      <Popover position="bottom-start" shadow="md" width={280} opened={listOpen} onChange={setListOpen} trapFocus>
        <Popover.Target>
          <Button
            variant="default"
            size="xs"
            leftSection={<IconBookmark size={14} />}
            onClick={() => setListOpen((o) => !o)}
            data-testid="views-menu"
          >
            {t('views.menu')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap={4}>
            <Button
              variant="subtle"
              size="xs"
              justify="flex-start"
              leftSection={<IconDeviceFloppy size={14} />}
              onClick={() => {
                setListOpen(false);
                setSaving(true);
              }}
              data-testid="view-save-open"
            >
              {t('views.save')}
            </Button>
            <Divider />
            {views.isError && (
              <Text size="xs" c="red">
                {errorMessage(views.error)}
              </Text>
            )}
            {views.isSuccess && items.length === 0 && (
              <Text size="xs" c="dimmed">
                {t('views.none')}
              </Text>
            )}
            {[
              { label: t('views.mine'), list: mine },
              { label: t('views.team'), list: team },
            ]
              .filter((g) => g.list.length > 0)
              .map((g) => (
                <Stack key={g.label} gap={2} role="group" aria-label={g.label}>
                  <Text size="xs" fw={700} c="dimmed">
                    {g.label}
                  </Text>
                  {g.list.map((v) => (
                    <ViewItem key={v.id} view={v} onOpen={open} onDelete={remove} />
                  ))}
                </Stack>
              ))}
          </Stack>
        </Popover.Dropdown>
      </Popover>
      <SaveViewModal tenantId={tenantId} opened={saving} onClose={() => setSaving(false)} layout={current} canShare={canShare} />
    </>
  );
}
