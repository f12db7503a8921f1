import { Anchor, Card, Checkbox, Group, Stack, Text } from '@mantine/core';
import { IconMail, IconPhone } from '@tabler/icons-react';
import type { Lead } from '@optarget/shared';
import { LeadName, LeadStatusControl, type LeadCellContext } from './columns';

/** A lead on a phone: everything the table row has that a person acts on, stacked to fit the width. */
export function LeadCard({
  lead,
  ctx,
  selected,
  onToggle,
}: {
  lead: Lead;
  ctx: LeadCellContext;
  selected: boolean;
  onToggle?: (id: string, checked: boolean) => void;
}) {
  const { t } = ctx;
  const place = [lead.category, lead.city].filter(Boolean).join(' · ');
  return (
    <Card withBorder padding="sm" radius="md" data-testid="lead-card" bg={selected ? 'var(--mantine-color-blue-light)' : undefined}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
          <Group gap="xs" wrap="nowrap" miw={0} style={{ flex: 1 }}>
            {onToggle && (
              <Checkbox
                aria-label={t('leads.selectRow', { name: lead.name })}
                checked={selected}
                onChange={(e) => onToggle(lead.id, e.currentTarget.checked)}
              />
            )}
            <Stack gap={0} miw={0}>
              <LeadName lead={lead} tenantId={ctx.tenantId} t={t} />
              {place && (
                <Text size="xs" c="dimmed" truncate dir="auto">
                  {place}
                </Text>
              )}
            </Stack>
          </Group>
          <Text size="sm" fw={700} aria-label={`${t('lead.field.score')}: ${ctx.formatNumber(lead.score)}`}>
            {ctx.formatNumber(lead.score)}
          </Text>
        </Group>
        {lead.phone && (
          <Anchor href={`tel:${lead.phone}`} size="sm">
            <Group gap={6} wrap="nowrap">
              <IconPhone size={14} aria-hidden />
              <span dir="ltr">{lead.phone}</span>
            </Group>
          </Anchor>
        )}
        {!lead.phone && lead.phoneRaw && (
          <Text size="sm" dir="ltr" data-testid="needs-attention">
            {lead.phoneRaw}
          </Text>
        )}
        {lead.email && (
          <Anchor href={`mailto:${lead.email}`} size="sm" truncate>
            <Group gap={6} wrap="nowrap">
              <IconMail size={14} aria-hidden />
              <span dir="ltr">{lead.email}</span>
            </Group>
          </Anchor>
        )}
        <LeadStatusControl lead={lead} ctx={ctx} />
      </Stack>
    </Card>
  );
}
