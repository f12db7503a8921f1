import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { t } from '../i18n';

interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  /** May be async; it reports its own failures, since the modal has closed by then. */
  onConfirm: () => void | Promise<void>;
}

/** A confirmation modal for destructive actions. */
export function confirmAction({ title, message, confirmLabel, danger = true, onConfirm }: ConfirmOptions) {
  modals.openConfirmModal({
    title,
    centered: true,
    children: <Text size="sm">{message}</Text>,
    labels: { confirm: confirmLabel, cancel: t('common.cancel') },
    confirmProps: { color: danger ? 'red' : undefined, 'data-testid': 'confirm-button' } as Record<string, unknown>,
    cancelProps: { 'data-testid': 'cancel-button' } as Record<string, unknown>,
    onConfirm: () => void onConfirm(),
  });
}
