import { Alert, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { skipReasons, type CampaignPreview } from '@optarget/shared';
import { useI18n } from '../../i18n';

/** Who will receive the campaign, how many are skipped for each reason, and what it will cost at the tenant's rates. */
export function PreviewPanel({ preview }: { preview: CampaignPreview }) {
  const { t, formatNumber } = useI18n();
  const money = (n: number) => `${formatNumber(n)} ${preview.cost.currency ?? ''}`.trim();
  return (
    <Stack gap="sm" data-testid="campaign-preview-panel">
      <Text fw={600} data-testid="campaign-will-receive">
        {t('campaigns.preview.willReceive', { count: preview.willReceive, total: preview.listSize })}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
        {skipReasons
          .filter((r) => r !== 'CANCELLED')
          .map((r) => (
            <Group key={r} gap={6} data-testid={`campaign-skip-${r}`}>
              <Text size="sm" fw={600}>
                {formatNumber(preview.skipped[r])}
              </Text>
              <Text size="sm" c="dimmed">
                {t(`campaigns.skip.${r}`)}
              </Text>
            </Group>
          ))}
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {t('campaigns.preview.plan', { count: preview.planRemaining })} ·{' '}
        {t('campaigns.preview.duration', { seconds: preview.durationSeconds })}
      </Text>
      {preview.cost.currency ? (
        <Table withTableBorder data-testid="campaign-cost">
          <Table.Tbody>
            {preview.cost.lines.map((l) => (
              <Table.Tr key={`${l.country}`}>
                <Table.Td>{l.country ?? t('common.unknown')}</Table.Td>
                <Table.Td ta="end">{formatNumber(l.recipients)}</Table.Td>
                <Table.Td ta="end">{l.rate === null ? t('campaigns.preview.noRate') : money(l.rate)}</Table.Td>
                <Table.Td ta="end">{l.cost === null ? '—' : money(l.cost)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td colSpan={3} fw={600}>
                {t('campaigns.preview.total')}
              </Table.Td>
              <Table.Td ta="end" fw={600} data-testid="campaign-cost-total">
                {money(preview.cost.total)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      ) : (
        <Alert color="gray">{t('campaigns.preview.noRates')}</Alert>
      )}
      {preview.cost.unpriced > 0 && (
        <Text size="sm" c="orange">
          {t('campaigns.preview.unpriced', { count: preview.cost.unpriced })}
        </Text>
      )}
    </Stack>
  );
}
