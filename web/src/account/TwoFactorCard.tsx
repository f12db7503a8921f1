import { useEffect, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Image,
  Modal,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { authApi } from '../api/auth';
import { keys } from '../api/queries';
import { applyServerErrors, validators } from '../lib/forms';
import { useT } from '../i18n';
import { FormError } from '../shell/states';

type Purpose = 'enable' | 'disable' | 'regenerate';
type Step =
  | { kind: 'closed' }
  | { kind: 'password'; purpose: Purpose }
  | { kind: 'scan'; totpURI: string; backupCodes: string[] }
  | { kind: 'backup'; backupCodes: string[] };

export function TwoFactorCard({ enabled }: { enabled: boolean }) {
  const t = useT();
  const [step, setStep] = useState<Step>({ kind: 'closed' });
  const close = () => setStep({ kind: 'closed' });

  const title =
    step.kind === 'password'
      ? step.purpose === 'disable'
        ? t('account.twoFactor.disableConfirm.title')
        : step.purpose === 'regenerate'
          ? t('account.twoFactor.regenerate')
          : t('account.twoFactor.enable')
      : step.kind === 'scan'
        ? t('account.twoFactor.enable')
        : t('account.twoFactor.backupTitle');

  return (
    <Card withBorder padding="lg" radius="md" data-testid="two-factor-card">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('account.twoFactor.title')}
        </Title>
        <Badge color={enabled ? 'green' : 'gray'} variant="light">
          {enabled ? t('account.twoFactor.badgeOn') : t('account.twoFactor.badgeOff')}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {enabled ? t('account.twoFactor.enabled') : t('account.twoFactor.disabled')}
      </Text>
      <Group>
        {enabled ? (
          <>
            <Button variant="default" onClick={() => setStep({ kind: 'password', purpose: 'regenerate' })}>
              {t('account.twoFactor.regenerate')}
            </Button>
            <Button color="red" variant="light" onClick={() => setStep({ kind: 'password', purpose: 'disable' })}>
              {t('account.twoFactor.disable')}
            </Button>
          </>
        ) : (
          <Button onClick={() => setStep({ kind: 'password', purpose: 'enable' })}>{t('account.twoFactor.enable')}</Button>
        )}
      </Group>
      <Modal opened={step.kind !== 'closed'} onClose={close} title={title} centered size="md" closeOnClickOutside={step.kind !== 'backup'}>
        {step.kind === 'password' && <PasswordStep purpose={step.purpose} onCancel={close} onDone={(next) => setStep(next)} />}
        {step.kind === 'scan' && (
          <ScanStep totpURI={step.totpURI} onVerified={() => setStep({ kind: 'backup', backupCodes: step.backupCodes })} />
        )}
        {step.kind === 'backup' && <BackupCodes codes={step.backupCodes} onDone={close} />}
      </Modal>
    </Card>
  );
}

function PasswordStep({ purpose, onCancel, onDone }: { purpose: Purpose; onCancel: () => void; onDone: (next: Step) => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({ mode: 'controlled', initialValues: { password: '' }, validate: { password: validators.passwordRequired } });

  const submit = form.onSubmit(async ({ password }) => {
    setError(null);
    setBusy(true);
    try {
      if (purpose === 'enable') {
        const res = await authApi.enableTwoFactor(password);
        onDone({ kind: 'scan', totpURI: res.totpURI, backupCodes: res.backupCodes });
      } else if (purpose === 'regenerate') {
        const res = await authApi.generateBackupCodes(password);
        onDone({ kind: 'backup', backupCodes: res.backupCodes });
      } else {
        await authApi.disableTwoFactor(password);
        await queryClient.invalidateQueries({ queryKey: keys.me });
        notifications.show({ color: 'green', message: t('account.twoFactor.nowOff') });
        onDone({ kind: 'closed' });
      }
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{purpose === 'disable' ? t('account.twoFactor.disableConfirm.body') : t('account.twoFactor.passwordPrompt')}</Text>
        <FormError message={error} />
        <PasswordInput
          label={t('account.twoFactor.password')}
          autoComplete="current-password"
          data-autofocus
          {...form.getInputProps('password')}
        />
        <Group justify="flex-end">
          <Button variant="default" type="button" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} color={purpose === 'disable' ? 'red' : undefined}>
            {purpose === 'disable' ? t('account.twoFactor.disable') : t('account.twoFactor.continue')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ScanStep({ totpURI, onVerified }: { totpURI: string; onVerified: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [qr, setQr] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({ mode: 'controlled', initialValues: { code: '' }, validate: { code: validators.code } });

  useEffect(() => {
    let live = true;
    QRCode.toDataURL(totpURI, { width: 208, margin: 1 })
      .then((url) => live && setQr(url))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [totpURI]);

  let secret = totpURI;
  try {
    secret = new URL(totpURI).searchParams.get('secret') ?? totpURI;
  } catch {
    /* keep the raw URI */
  }

  const submit = form.onSubmit(async ({ code }) => {
    setError(null);
    setBusy(true);
    try {
      await authApi.verifyTotp({ code: code.replace(/\s+/g, '') });
      await queryClient.invalidateQueries({ queryKey: keys.me });
      notifications.show({ color: 'green', message: t('account.twoFactor.nowOn') });
      onVerified();
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t('account.twoFactor.scan')}</Text>
        {qr && <Image src={qr} alt={t('account.twoFactor.qrAlt')} w={208} h={208} mx="auto" data-testid="totp-qr" />}
        <Text size="xs" c="dimmed">
          {t('account.twoFactor.uri')}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Code data-testid="totp-secret" data-uri={totpURI} style={{ overflowWrap: 'anywhere', flex: 1, minWidth: 0 }}>
            {secret}
          </Code>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button size="compact-xs" variant="subtle" onClick={copy} type="button" style={{ flexShrink: 0 }}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <FormError message={error} />
        <TextInput
          label={t('account.twoFactor.code')}
          autoComplete="one-time-code"
          inputMode="numeric"
          data-autofocus
          {...form.getInputProps('code')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {t('account.twoFactor.verify')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function BackupCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const t = useT();
  return (
    <Stack gap="sm">
      <Alert color="yellow">{t('account.twoFactor.backupBody')}</Alert>
      <SimpleGrid cols={2} spacing="xs" data-testid="backup-codes">
        {codes.map((c) => (
          <Code key={c} ta="center" fz="sm">
            {c}
          </Code>
        ))}
      </SimpleGrid>
      <Group justify="flex-end">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>{t('common.done')}</Button>
      </Group>
    </Stack>
  );
}
