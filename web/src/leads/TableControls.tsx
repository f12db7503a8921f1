import { Button, Checkbox, Popover, SegmentedControl, Stack } from '@mantine/core';
import { IconColumns } from '@tabler/icons-react';
import { leadColumns, type LeadColumn, type TableDensity } from '@optarget/shared';
import { useI18n } from '../i18n';

/** Which columns the lead table shows; the name column is always shown. */
export function ColumnChooser({
  shown,
  labels,
  onToggle,
  onReset,
}: {
  shown: readonly LeadColumn[];
  labels: Record<LeadColumn, string>;
  onToggle: (column: LeadColumn, shown: boolean) => void;
  onReset: () => void;
}) {
  const { t } = useI18n();
  return (
    <Popover position="bottom-end" shadow="md" trapFocus>
      <Popover.Target>
        <Button variant="default" size="xs" leftSection={<IconColumns size={14} />} data-testid="column-chooser">
          {t('table.columns')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" role="group" aria-label={t('table.columns')} data-testid="column-chooser-list">
          {leadColumns.map((c) => (
            <Checkbox
              key={c}
              label={labels[c]}
              checked={shown.includes(c)}
              disabled={c === 'name'}
              onChange={(e) => onToggle(c, e.currentTarget.checked)}
              data-column={c}
            />
          ))}
          <Button variant="subtle" size="xs" onClick={onReset}>
            {t('table.columnsDefault')}
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

export function DensityToggle({ value, onChange }: { value: TableDensity; onChange: (density: TableDensity) => void }) {
  const { t } = useI18n();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('table.density')}
      value={value}
      onChange={(v) => onChange(v === 'comfortable' ? 'comfortable' : 'compact')}
      data={[
        { value: 'compact', label: t('table.density.compact') },
        { value: 'comfortable', label: t('table.density.comfortable') },
      ]}
      data-testid="density-toggle"
    />
  );
}
