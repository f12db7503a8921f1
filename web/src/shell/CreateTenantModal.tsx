import { useState } from 'react';
import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { appApi } from '../api/app';
import { keys, rememberTenant } from '../api/queries';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';
import { FormError } from './states';

export function CreateTenantModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({ mode: 'controlled', initialValues: { name: '' }, validate: { name: validators.tenantName } });

  const close = () => {
    form.reset();
    setError(null);
    onClose();
  };

  const submit = form.onSubmit(async ({ name }) => {
    setError(null);
    setBusy(true);
    try {
      const tenant = await appApi.createTenant(name.trim());
      await queryClient.invalidateQueries({ queryKey: keys.me });
      notifications.show({ color: 'green', message: t('shell.createTenant.created', { name: tenant.name }) });
      rememberTenant(tenant.id);
      close();
      await navigate({ to: '/t/$tenantId/team', params: { tenantId: tenant.id } });
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Modal opened={opened} onClose={close} title={t('shell.createTenant')} centered>
      <form onSubmit={submit} noValidate data-testid="create-tenant-form">
        <Stack gap="sm">
          <FormError message={error} />
          <TextInput label={t('shell.createTenant.name')} autoFocus data-autofocus {...form.getInputProps('name')} />
          <Group justify="flex-end">
            <Button variant="default" type="button" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('shell.createTenant.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
