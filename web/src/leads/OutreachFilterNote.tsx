import { Anchor, Group, Text } from '@mantine/core';
import type { OutreachFilter } from '@optarget/shared';
import { useI18n } from '../i18n';

/** Says which outreach leads the table shows (a dashboard number's link), with a way out. */
export function OutreachFilterNote({ filter, from, onClear }: { filter: OutreachFilter; from?: string; onClear: () => void }) {
  const { t, formatDate } = useI18n();
  const what = t(`outreach.filter.${filter}`);
  return (
    <Group gap="sm" wrap="wrap" data-testid="outreach-filter" data-filter={filter}>
      <Text size="sm" fw={600}>
        {from && filter !== 'awaitingReply' ? t('outreach.filter.since', { what, date: formatDate(from) }) : what}
      </Text>
      <Anchor component="button" type="button" size="sm" onClick={onClear}>
        {t('outreach.filter.clear')}
      </Anchor>
    </Group>
  );
}
