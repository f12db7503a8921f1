import { useState } from 'react';
import {
  Button,
  ColorInput,
  FileButton,
  Fieldset,
  Group,
  Image,
  SegmentedControl,
  type SegmentedControlProps,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPhotoUp } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  BRAND_COLOR_PATTERN,
  defaultBrandColor,
  LOGO_MAX_BYTES,
  type BrandingSettings,
  type DigitSystem,
  type ReportLanguage,
} from '@optarget/shared';
import { errorMessage } from '../api/client';
import { confirmAction } from '../lib/confirm';
import { applyServerErrors } from '../lib/forms';
import { useI18n } from '../i18n';
import { useTenantMembership } from '../shell/useTenant';
import { FormError, PageLoader, QueryState } from '../shell/states';
import { settingsApi, settingsKeys } from './api';
import { BrandingPreview } from './BrandingPreview';
import { PrintedCover } from './PrintedCover';
import { SaveBar, SectionCard, type SectionProps } from './SectionCard';

type BrandingValues = { displayName: string; brandColor: string; contactLine: string; reportLanguage: ReportLanguage; digits: DigitSystem };
const valuesOf = (b: BrandingSettings): BrandingValues => ({
  displayName: b.displayName ?? '',
  brandColor: b.brandColor ?? '',
  contactLine: b.contactLine ?? '',
  reportLanguage: b.reportLanguage,
  digits: b.digits,
});

export function BrandingSection({ tenantId, canManage }: SectionProps) {
  const { t } = useI18n();
  const query = useQuery({ queryKey: settingsKeys.section(tenantId, 'branding'), queryFn: () => settingsApi.branding(tenantId) });
  return (
    <SectionCard title={t('settings.branding.title')} description={t('settings.branding.hint')} testId="settings-branding">
      <QueryState query={query} loading={<PageLoader rows={5} />}>
        {(saved) => (
          <>
            <BrandingForm key={JSON.stringify(valuesOf(saved))} tenantId={tenantId} saved={saved} canManage={canManage} />
            <PrintedCover
              tenantId={tenantId}
              defaultLanguage={saved.reportLanguage}
              version={`${JSON.stringify(valuesOf(saved))}${saved.logo?.updatedAt ?? ''}`}
            />
          </>
        )}
      </QueryState>
    </SectionCard>
  );
}

function BrandingForm({ tenantId, saved, canManage }: SectionProps & { saved: BrandingSettings }) {
  const { t } = useI18n();
  const membership = useTenantMembership();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<BrandingValues>({
    mode: 'controlled',
    initialValues: valuesOf(saved),
    validate: {
      displayName: (v) => (v.trim().length <= 100 ? null : t('settings.branding.displayNameInvalid')),
      brandColor: (v) => (v.trim() === '' || BRAND_COLOR_PATTERN.test(v.trim()) ? null : t('settings.branding.colorInvalid')),
      contactLine: (v) => (v.trim().length <= 200 && !/[\r\n]/.test(v) ? null : t('settings.branding.contactInvalid')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      const next = await settingsApi.saveBranding(tenantId, {
        displayName: values.displayName.trim() || null,
        brandColor: values.brandColor.trim() || null,
        contactLine: values.contactLine.trim() || null,
        reportLanguage: values.reportLanguage,
        digits: values.digits,
      });
      queryClient.setQueryData(settingsKeys.section(tenantId, 'branding'), next);
      notifications.show({ color: 'green', message: t('settings.branding.saved') });
    } catch (err) {
      setError(applyServerErrors(form, err));
    } finally {
      setBusy(false);
    }
  });

  const values = form.getValues();
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
      <Stack gap="lg">
        <LogoField tenantId={tenantId} saved={saved} canManage={canManage} />
        <form onSubmit={submit} onReset={form.onReset} noValidate>
          <Fieldset variant="unstyled" disabled={!canManage}>
            <Stack gap="sm">
              <FormError message={error} />
              <TextInput
                label={t('settings.branding.displayName')}
                description={t('settings.branding.displayNameHint', { tenant: membership.name })}
                placeholder={membership.name}
                maxLength={100}
                dir="auto"
                {...form.getInputProps('displayName')}
              />
              <ColorInput
                label={t('settings.branding.color')}
                description={t('settings.branding.colorHint')}
                placeholder={defaultBrandColor}
                format="hex"
                fixOnBlur={false}
                swatches={['#1c7ed6', '#0b7285', '#2b8a3e', '#e8590c', '#c92a2a', '#862e9c', '#212529']}
                maw={260}
                dir="ltr"
                {...form.getInputProps('brandColor')}
              />
              <TextInput
                label={t('settings.branding.contact')}
                description={t('settings.branding.contactHint')}
                placeholder="+966 11 456 7890 · hello@agency.example · agency.example"
                maxLength={200}
                dir="auto"
                {...form.getInputProps('contactLine')}
              />
              <Choice
                id="branding-language"
                label={t('settings.branding.language')}
                data={[
                  { value: 'en', label: t('settings.branding.language.en') },
                  { value: 'ar', label: t('settings.branding.language.ar') },
                ]}
                {...form.getInputProps('reportLanguage')}
              />
              <Choice
                id="branding-digits"
                label={t('settings.branding.digits')}
                data={[
                  { value: 'latin', label: t('settings.branding.digits.latin') },
                  { value: 'arabic-indic', label: t('settings.branding.digits.arabicIndic') },
                ]}
                {...form.getInputProps('digits')}
              />
              <SaveBar busy={busy} dirty={form.isDirty()} label={t('settings.branding.save')} canManage={canManage} />
            </Stack>
          </Fieldset>
        </form>
      </Stack>
      <BrandingPreview
        tenantId={tenantId}
        displayName={values.displayName.trim() || membership.name}
        color={BRAND_COLOR_PATTERN.test(values.brandColor.trim()) ? values.brandColor.trim() : defaultBrandColor}
        contactLine={values.contactLine.trim()}
        language={values.reportLanguage}
        digits={values.digits}
        logo={saved.logo}
      />
    </SimpleGrid>
  );
}

/** A labelled choice between a few options, shown as a segmented control. */
function Choice({ id, label, ...control }: { id: string; label: string } & SegmentedControlProps) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        {label}
      </Text>
      <SegmentedControl aria-labelledby={id} {...control} />
    </Stack>
  );
}

const LOGO_TYPES = 'image/png,image/jpeg,image/svg+xml';

/** Upload, replace or remove the logo; each is saved at once. The server decides by the file's content. */
function LogoField({ tenantId, saved, canManage }: SectionProps & { saved: BrandingSettings }) {
  const { t, formatNumber } = useI18n();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const store = (next: BrandingSettings) => queryClient.setQueryData(settingsKeys.section(tenantId, 'branding'), next);

  const upload = async (file: File | null) => {
    if (!file) return;
    setError(null);
    if (file.size > LOGO_MAX_BYTES) return setError(t('settings.logo.tooLarge'));
    setBusy(true);
    try {
      store(await settingsApi.uploadLogo(tenantId, file));
      notifications.show({ color: 'green', message: t('settings.logo.uploaded') });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = () =>
    confirmAction({
      title: t('settings.logo.removeTitle'),
      message: t('settings.logo.removeBody'),
      confirmLabel: t('settings.logo.remove'),
      onConfirm: () =>
        void settingsApi.removeLogo(tenantId).then(
          (next) => {
            store(next);
            notifications.show({ color: 'green', message: t('settings.logo.removed') });
          },
          (err) => setError(errorMessage(err)),
        ),
    });

  return (
    <Stack gap="xs" data-testid="logo-field">
      <Text size="sm" fw={500}>
        {t('settings.logo.title')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('settings.logo.hint')}
      </Text>
      <FormError message={error} />
      <Group gap="md" align="center">
        {saved.logo ? (
          <Image
            src={settingsApi.logoUrl(tenantId, saved.logo)}
            alt={t('settings.logo.alt')}
            h={56}
            w="auto"
            maw={200}
            fit="contain"
            data-testid="logo-image"
          />
        ) : (
          <Text size="sm" c="dimmed" data-testid="logo-empty">
            {t('settings.logo.none')}
          </Text>
        )}
        {saved.logo && (
          <Text size="xs" c="dimmed">
            {t('settings.logo.size', { kb: formatNumber(Math.ceil(saved.logo.sizeBytes / 1024)) })}
          </Text>
        )}
      </Group>
      {canManage && (
        <Group gap="sm">
          <FileButton onChange={(file) => void upload(file)} accept={LOGO_TYPES} disabled={busy}>
            {(props) => (
              <Button {...props} variant="light" leftSection={<IconPhotoUp size={16} />} loading={busy} data-testid="logo-upload">
                {saved.logo ? t('settings.logo.replace') : t('settings.logo.upload')}
              </Button>
            )}
          </FileButton>
          {saved.logo && (
            <Button variant="subtle" color="red" onClick={remove} disabled={busy}>
              {t('settings.logo.remove')}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}
