import { useEffect, useEffectEvent, useState } from 'react';
import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { LeadList } from '@optarget/shared';
import { listsApi, listKeys } from '../api/lists';
import { applyServerErrors } from '../lib/forms';
import { useT } from '../i18n';
import { FormError } from '../shell/states';

/** Create a list (no `list`) or rename / describe one. */
export function ListFormModal({
  tenantId,
  opened,
  onClose,
  list,
  onSaved,
}: {
  tenantId: string;
  opened: boolean;
  onClose: () => void;
  list?: LeadList | null;
  onSaved?: (list: LeadList) => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', description: '' },
    validate: {
      name: (v: string) =>
        v.trim() === '' ? t('lists.form.nameRequired') : v.trim().length > 120 ? t('leads.validation.tooLong', { max: 120 }) : null,
      description: (v: string) => (v.trim().length > 2000 ? t('leads.validation.tooLong', { max: 2000 }) : null),
    },
  });
  const fill = useEffectEvent(() => {
    form.setValues({ name: list?.name ?? '', description: list?.description ?? '' });
    form.resetDirty();
    setError(null);
  });
  useEffect(() => {
    if (opened) fill();
  }, [opened, list?.id]);

  const submit = form.onSubmit(async (v) => {
    setBusy(true);
    setError(null);
    try {
      const body = { name: v.name.trim(), description: v.description.trim() === '' ? null : v.description.trim() };
      const saved = list ? await listsApi.updateList(tenantId, list.id, body) : await listsApi.createList(tenantId, body);
      notifications.show({ color: 'green', message: list ? t('lists.saved') : t('lists.created', { name: saved.name }) });
      await queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) });
      onSaved?.(saved);
      onClose();
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={list ? t('lists.form.editTitle') : t('lists.form.createTitle')} centered>
      <form onSubmit={submit} noValidate data-testid="list-form">
        <Stack gap="sm">
          <FormError message={error} />
          <TextInput label={t('lists.form.name')} data-autofocus {...form.getInputProps('name')} />
          <Textarea label={t('lists.form.description')} autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
          <Group justify="flex-end">
            <Button variant="default" type="button" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {list ? t('common.save') : t('lists.form.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
