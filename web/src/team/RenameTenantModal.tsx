import { useEffect, useEffectEvent, useState } from 'react';
import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { Membership } from '@optarget/shared';
import { appApi } from '../api/app';
import { keys } from '../api/queries';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';
import { FormError } from '../shell/states';

export function RenameTenantModal({ opened, onClose, membership }: { opened: boolean; onClose: () => void; membership: Membership }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({ mode: 'controlled', initialValues: { name: membership.name }, validate: { name: validators.tenantName } });

  const fill = useEffectEvent(() => form.setValues({ name: membership.name }));
  useEffect(() => {
    if (opened) fill();
  }, [opened, membership.name]);

  const submit = form.onSubmit(async ({ name }) => {
    setError(null);
    setBusy(true);
    try {
      await appApi.renameTenant(membership.tenantId, name.trim());
      await queryClient.invalidateQueries({ queryKey: keys.me });
      notifications.show({ color: 'green', message: t('team.rename.done') });
      onClose();
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('team.rename.title')} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormError message={error} />
          <TextInput label={t('team.rename.name')} data-autofocus {...form.getInputProps('name')} />
          <Group justify="flex-end">
            <Button variant="default" type="button" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
