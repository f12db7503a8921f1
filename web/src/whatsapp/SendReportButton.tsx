import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBrandWhatsapp } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../api/client';
import { tDynamic, useI18n } from '../i18n';
import { FormError } from '../shell/states';
import { whatsappApi, whatsappKeys } from './api';
import { useSend } from './Composer';

/**
 * "Send on WhatsApp" for a finished lead report: the PDF goes as a document, which WhatsApp allows
 * only inside the 24-hour window, so the button says why when it cannot be used.
 */
export function SendReportButton({ tenantId, leadId, reportId }: { tenantId: string; leadId: string; reportId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [caption, setCaption] = useState('');
  const thread = useQuery({ queryKey: whatsappKeys.thread(tenantId, leadId), queryFn: () => whatsappApi.thread(tenantId, leadId) });
  const { busy, error, send } = useSend(tenantId, leadId);
  const blocked = thread.data?.conversation.textBlockedBy ?? null;
  const reason = thread.isError ? errorMessage(thread.error) : blocked ? tDynamic(`whatsapp.blocked.${blocked}`, blocked) : null;
  const submit = async () => {
    const sent = await send({ kind: 'document', reportId, caption: caption.trim() || undefined, idempotencyKey: crypto.randomUUID() });
    if (!sent) return;
    setOpen(false);
    setCaption('');
    notifications.show({ color: 'green', message: t('reports.whatsapp.queued') });
  };
  return (
    <>
      <Tooltip label={reason} disabled={!reason} multiline w={280}>
        <Button
          size="xs"
          variant="light"
          color="green"
          leftSection={<IconBrandWhatsapp size={14} />}
          disabled={!thread.data || blocked !== null}
          loading={thread.isLoading}
          onClick={() => setOpen(true)}
          data-testid="report-send-whatsapp"
          data-blocked={thread.data ? (blocked ?? '') : undefined}
        >
          {t('reports.whatsapp.send')}
        </Button>
      </Tooltip>
      {reason && (
        <Text size="xs" c="dimmed" w="100%" data-testid="report-send-whatsapp-blocked">
          {reason}
        </Text>
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title={t('reports.whatsapp.title')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Stack gap="sm">
            <Text size="sm">{t('reports.whatsapp.body')}</Text>
            <FormError message={error} />
            <Textarea
              label={t('reports.whatsapp.caption')}
              value={caption}
              onChange={(e) => setCaption(e.currentTarget.value)}
              maxLength={1024}
              autosize
              minRows={2}
              dir="auto"
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={busy} data-testid="report-send-whatsapp-confirm">
                {t('reports.whatsapp.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
