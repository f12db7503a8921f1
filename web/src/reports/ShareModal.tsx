import { useState } from 'react';
import { Button, CopyButton, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { DEFAULT_SHARE_DAYS, type CreatedShare, type Report } from '@optarget/shared';
import { errorMessage, isApiError } from '../api/client';
import { FormError } from '../shell/states';
import { useI18n } from '../i18n';
import { reportKeys, reportsApi } from './api';

/** Makes a share link and shows it once (only its hash is kept), ready to copy. */
export function ShareModal({ tenantId, report, onClose }: { tenantId: string; report: Report | null; onClose: () => void }) {
  const { t, formatDate } = useI18n();
  const queryClient = useQueryClient();
  const [days, setDays] = useState<number | string>(DEFAULT_SHARE_DAYS);
  const [created, setCreated] = useState<CreatedShare | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setCreated(null);
    setError(null);
    setDays(DEFAULT_SHARE_DAYS);
    onClose();
  };
  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!report) return;
    setBusy(true);
    setError(null);
    try {
      setCreated(await reportsApi.share(tenantId, report.id, Number(days)));
      await queryClient.invalidateQueries({ queryKey: reportKeys.all(tenantId) });
    } catch (err) {
      setError(isApiError(err, 400) ? (err.fields[0]?.message ?? errorMessage(err)) : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={report !== null} onClose={close} title={t('reports.share.title')} centered>
      {created ? (
        <Stack gap="sm">
          <Text size="sm">{t('reports.share.created', { expires: formatDate(created.expiresAt) })}</Text>
          <TextInput
            readOnly
            value={created.url}
            dir="ltr"
            aria-label={t('reports.share.link')}
            data-testid="share-url"
            onFocus={(e) => e.currentTarget.select()}
          />
          <Group justify="flex-end">
            <CopyButton value={created.url}>
              {({ copied, copy }) => (
                <Button onClick={copy} color={copied ? 'green' : undefined}>
                  {copied ? t('reports.share.copied') : t('reports.share.copy')}
                </Button>
              )}
            </CopyButton>
            <Button variant="default" onClick={close}>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={(e) => void create(e)}>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('reports.share.explain')}
            </Text>
            <NumberInput label={t('reports.share.days')} min={1} max={365} value={days} onChange={setDays} required data-autofocus />
            <FormError message={error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={busy} data-testid="share-create">
                {t('reports.share.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
