import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { can, type WhatsappConversation } from '@optarget/shared';
import { applyServerErrors } from '../lib/forms';
import { useI18n } from '../i18n';
import { FormError } from '../shell/states';
import { useTenantMembership } from '../shell/useTenant';
import { whatsappApi, whatsappKeys } from './api';

type Recording = 'OPTED_IN' | 'OPTED_OUT';

/** Recording consent by hand: an opt-in with its proof, an opt-out with its reason. A new opt-in after an opt-out is for admins. */
export function ConsentActions({
  tenantId,
  conversation: c,
  canWrite,
}: {
  tenantId: string;
  conversation: WhatsappConversation;
  canWrite: boolean;
}) {
  const { t } = useI18n();
  const membership = useTenantMembership();
  const [recording, setRecording] = useState<Recording | null>(null);
  if (!canWrite) return null;
  const mayOptIn = c.consent.state === 'NONE' || (c.consent.state === 'OPTED_OUT' && can(membership.role, 'whatsapp.consent.override'));
  return (
    <>
      <Group gap="xs">
        {mayOptIn && (
          <Button size="xs" variant="light" color="green" onClick={() => setRecording('OPTED_IN')} data-testid="whatsapp-record-opt-in">
            {t('whatsapp.consent.recordOptIn')}
          </Button>
        )}
        {c.consent.state !== 'OPTED_OUT' && (
          <Button size="xs" variant="subtle" color="red" onClick={() => setRecording('OPTED_OUT')} data-testid="whatsapp-record-opt-out">
            {t('whatsapp.consent.recordOptOut')}
          </Button>
        )}
        {c.consent.state === 'OPTED_OUT' && !mayOptIn && (
          <Text size="xs" c="dimmed">
            {t('whatsapp.consent.adminOnly')}
          </Text>
        )}
      </Group>
      <Modal
        opened={recording !== null}
        onClose={() => setRecording(null)}
        title={recording === 'OPTED_IN' ? t('whatsapp.consent.recordOptIn') : t('whatsapp.consent.recordOptOut')}
      >
        {recording && <ConsentForm tenantId={tenantId} leadId={c.leadId} state={recording} onDone={() => setRecording(null)} />}
      </Modal>
    </>
  );
}

function ConsentForm({ tenantId, leadId, state, onDone }: { tenantId: string; leadId: string; state: Recording; onDone: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const max = state === 'OPTED_IN' ? 500 : 300;
  const form = useForm({
    mode: 'controlled',
    initialValues: { note: '' },
    validate: { note: (v) => (v.trim().length >= 3 ? null : t('whatsapp.consent.noteRequired')) },
  });
  const submit = form.onSubmit(async ({ note }) => {
    setBusy(true);
    setError(null);
    try {
      await whatsappApi.recordConsent(
        tenantId,
        leadId,
        state === 'OPTED_IN' ? { state, proof: note.trim() } : { state, reason: note.trim() },
      );
      await queryClient.invalidateQueries({ queryKey: whatsappKeys.all(tenantId) });
      onDone();
    } catch (err) {
      setError(applyServerErrors(form, err, { proof: 'note', reason: 'note' }));
    } finally {
      setBusy(false);
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError message={error} />
        <Textarea
          label={state === 'OPTED_IN' ? t('whatsapp.consent.proof') : t('whatsapp.consent.reason')}
          description={state === 'OPTED_IN' ? t('whatsapp.consent.proofHint') : undefined}
          autosize
          minRows={2}
          maxLength={max}
          data-autofocus
          data-testid="whatsapp-consent-note"
          {...form.getInputProps('note')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} color={state === 'OPTED_IN' ? 'green' : 'red'} data-testid="whatsapp-consent-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
