import { useState } from 'react';
import { ActionIcon, Badge, Button, Group, Table, Text } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { WhatsappTemplate } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { useI18n } from '../i18n';
import { SectionCard } from '../settings/SectionCard';
import { EmptyState, PageLoader, QueryState } from '../shell/states';
import { confirmAction } from '../lib/confirm';
import { whatsappApi, whatsappKeys } from './api';
import { TemplateForm } from './TemplateForm';

const statusColor: Record<string, string> = { APPROVED: 'green', PENDING: 'yellow', REJECTED: 'red', PAUSED: 'orange', DISABLED: 'gray' };

/** The business account's message templates as last synced from Meta: sync again, submit a new one, delete one. */
export function TemplatesCard({ tenantId, canManage }: { tenantId: string; canManage: boolean }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const query = useQuery({ queryKey: whatsappKeys.templates(tenantId), queryFn: () => whatsappApi.templates(tenantId) });
  const sync = async () => {
    setBusy(true);
    try {
      const result = await whatsappApi.syncTemplates(tenantId);
      notifications.show({ color: 'green', message: t('whatsapp.templates.synced', { count: result.fetched }) });
      await queryClient.invalidateQueries({ queryKey: whatsappKeys.templates(tenantId) });
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const [creating, setCreating] = useState(false);
  const remove = (tpl: WhatsappTemplate) =>
    confirmAction({
      title: t('whatsapp.templates.delete.title'),
      message: t('whatsapp.templates.delete.body', { name: tpl.name, language: tpl.language }),
      confirmLabel: t('whatsapp.templates.delete'),
      onConfirm: async () => {
        try {
          await whatsappApi.deleteTemplate(tenantId, tpl.id);
          notifications.show({ color: 'green', message: t('whatsapp.templates.deleted', { name: tpl.name }) });
        } catch (err) {
          notifications.show({ color: 'red', message: errorMessage(err) });
        }
        await queryClient.invalidateQueries({ queryKey: whatsappKeys.templates(tenantId) });
      },
    });
  return (
    <SectionCard
      title={t('whatsapp.templates.title')}
      description={t('whatsapp.templates.hint')}
      testId="whatsapp-templates"
      badge={
        canManage && (
          <Group gap="xs">
            <Button
              size="xs"
              variant="light"
              leftSection={<IconPlus size={14} />}
              onClick={() => setCreating(true)}
              data-testid="whatsapp-new-template"
            >
              {t('whatsapp.templates.new')}
            </Button>
            <Button size="xs" onClick={() => void sync()} loading={busy} data-testid="whatsapp-sync-templates">
              {t('whatsapp.templates.sync')}
            </Button>
          </Group>
        )
      }
    >
      <QueryState
        query={query}
        select={(d) => d.items}
        loading={<PageLoader rows={2} />}
        empty={<EmptyState message={t('whatsapp.templates.empty')} />}
      >
        {(items) => (
          <Table.ScrollContainer minWidth={520}>
            <Table data-testid="whatsapp-template-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('whatsapp.templates.name')}</Table.Th>
                  <Table.Th>{t('whatsapp.templates.language')}</Table.Th>
                  <Table.Th>{t('whatsapp.templates.category')}</Table.Th>
                  <Table.Th>{t('whatsapp.templates.status')}</Table.Th>
                  {canManage && <Table.Th aria-label={t('whatsapp.templates.delete')} />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((tpl) => (
                  <Table.Tr key={tpl.id} data-testid="whatsapp-template-row" data-template-name={tpl.name}>
                    <Table.Td dir="ltr">
                      <Text size="sm">{tpl.name}</Text>
                      {tpl.body && (
                        <Text size="xs" c="dimmed" lineClamp={2} dir="auto">
                          {tpl.body}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td dir="ltr">{tpl.language}</Table.Td>
                    <Table.Td>{tpl.category}</Table.Td>
                    <Table.Td>
                      <Badge color={statusColor[tpl.status] ?? 'gray'} variant="light">
                        {tpl.status}
                      </Badge>
                      {tpl.rejectedReason && (
                        <Text size="xs" c="red">
                          {tpl.rejectedReason}
                        </Text>
                      )}
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('whatsapp.templates.deleteOne', { name: tpl.name, language: tpl.language })}
                          onClick={() => remove(tpl)}
                          data-testid="whatsapp-delete-template"
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {canManage && <TemplateForm tenantId={tenantId} opened={creating} onClose={() => setCreating(false)} />}
    </SectionCard>
  );
}
