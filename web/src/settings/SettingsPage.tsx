import type { ComponentType } from 'react';
import { Alert, Stack, Tabs } from '@mantine/core';
import { IconBrandWhatsapp, IconBrush, IconChartBar, IconCoin, IconSearch, IconWorld } from '@tabler/icons-react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { can, type SettingsSection } from '@optarget/shared';
import { useI18n, type MessageKey } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { useTenantMembership } from '../shell/useTenant';
import { BrandingSection } from './BrandingSection';
import { GeneralSection } from './GeneralSection';
import { ProspectingSection } from './ProspectingSection';
import { ScoringSection } from './ScoringSection';
import { ConnectionSection } from '../whatsapp/ConnectionSection';
import { RatesSection } from '../whatsapp/campaigns/RatesSection';
import type { SectionProps } from './SectionCard';

/** One tab per settings section, in this order. */
const sections: { value: SettingsSection; label: MessageKey; icon: typeof IconWorld; Section: ComponentType<SectionProps> }[] = [
  { value: 'general', label: 'settings.tab.general', icon: IconWorld, Section: GeneralSection },
  { value: 'prospecting', label: 'settings.tab.prospecting', icon: IconSearch, Section: ProspectingSection },
  { value: 'scoring', label: 'settings.tab.scoring', icon: IconChartBar, Section: ScoringSection },
  { value: 'branding', label: 'settings.tab.branding', icon: IconBrush, Section: BrandingSection },
  { value: 'whatsapp', label: 'settings.tab.whatsapp', icon: IconBrandWhatsapp, Section: ConnectionSection },
  { value: 'whatsappRates', label: 'settings.tab.whatsappRates', icon: IconCoin, Section: RatesSection },
];

export function SettingsPage() {
  const { t } = useI18n();
  const membership = useTenantMembership();
  const { section = 'general' } = useSearch({ from: '/_app/t/$tenantId/settings' });
  const navigate = useNavigate({ from: '/t/$tenantId/settings' });
  const canManage = can(membership.role, 'settings.manage');
  return (
    <Stack gap="md" data-testid="settings-page">
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle', { tenant: membership.name })} />
      {!canManage && (
        <Alert color="blue" data-testid="settings-read-only">
          {t('settings.readOnly')}
        </Alert>
      )}
      <Tabs
        value={section}
        onChange={(value) => void navigate({ search: { section: (value as SettingsSection) ?? undefined }, replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          {sections.map(({ value, label, icon: Icon }) => (
            <Tabs.Tab key={value} value={value} leftSection={<Icon size={16} />} data-testid={`settings-tab-${value}`}>
              {t(label)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {sections.map(({ value, Section }) => (
          <Tabs.Panel key={value} value={value}>
            <Section tenantId={membership.tenantId} canManage={canManage} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
