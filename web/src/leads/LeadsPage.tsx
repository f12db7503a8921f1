import { Alert, Button, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDownload, IconFileImport, IconPlus } from '@tabler/icons-react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { can } from '@optarget/shared';
import { leadsApi } from '../api/leads';
import { ButtonLink } from '../lib/links';
import { useT } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { useTenantMembership } from '../shell/useTenant';
import { LeadsTable } from './LeadsTable';
import { NewLeadModal } from './NewLeadModal';
import { toFilterParams, validateLeadSearch, type LeadSearch } from './search';

export function LeadsPage() {
  const t = useT();
  const membership = useTenantMembership();
  const { tenantId } = membership;
  const canWrite = can(membership.role, 'data.write');
  const canExport = can(membership.role, 'data.export');
  const search = useSearch({ from: '/_app/t/$tenantId/leads' });
  const navigate = useNavigate({ from: '/t/$tenantId/leads' });
  const [newOpened, newLead] = useDisclosure(false);

  const onSearchChange = (patch: Partial<LeadSearch>) =>
    void navigate({ search: (prev) => validateLeadSearch({ ...prev, ...patch }), replace: true });

  return (
    <Stack gap="md" data-testid="leads-page">
      <PageHeader
        title={t('leads.title')}
        subtitle={t('leads.subtitle', { tenant: membership.name })}
        actions={
          <>
            {canExport && (
              <Button
                component="a"
                href={leadsApi.exportUrl(tenantId, toFilterParams(search))}
                download
                variant="default"
                leftSection={<IconDownload size={16} />}
                data-testid="export-csv"
              >
                {t('leads.export')}
              </Button>
            )}
            {canWrite && (
              <ButtonLink to="/t/$tenantId/leads/import" params={{ tenantId }} variant="default" leftSection={<IconFileImport size={16} />}>
                {t('leads.import')}
              </ButtonLink>
            )}
            {canWrite && (
              <Button leftSection={<IconPlus size={16} />} onClick={newLead.open}>
                {t('leads.new')}
              </Button>
            )}
          </>
        }
      />
      {!canWrite && <Alert color="blue">{t('leads.readOnly')}</Alert>}
      <LeadsTable tenantId={tenantId} search={search} onSearchChange={onSearchChange} canWrite={canWrite} onNewLead={newLead.open} />
      {canWrite && <NewLeadModal tenantId={tenantId} opened={newOpened} onClose={newLead.close} />}
    </Stack>
  );
}
