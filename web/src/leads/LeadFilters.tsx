import { useEffect, useEffectEvent, useState } from 'react';
import {
  Anchor,
  Button,
  Card,
  Collapse,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconFilter, IconSearch, IconX } from '@tabler/icons-react';
import { attentionFlags, leadSources } from '@optarget/shared';
import { tDynamic, useT } from '../i18n';
import { statusOptions } from './hooks';
import { OutreachFilterNote } from './OutreachFilterNote';
import { activeFilterCount, filterKeys, type LeadSearch } from './search';

type Patch = Partial<LeadSearch>;

/** Calls `commit` 300 ms after the user stops changing `local`. */
function useDebouncedCommit<T>(local: T, committed: T, commit: (v: T) => void, same: (a: T, b: T) => boolean) {
  const isCommitted = useEffectEvent((value: T) => same(value, committed));
  const commitNow = useEffectEvent((value: T) => commit(value));
  useEffect(() => {
    if (isCommitted(local)) return;
    const id = setTimeout(() => commitNow(local), 300);
    return () => clearTimeout(id);
  }, [local]);
}

function DebouncedText({
  value,
  onCommit,
  ...props
}: { value: string | undefined; onCommit: (v: string | undefined) => void } & Omit<
  React.ComponentProps<typeof TextInput>,
  'value' | 'onChange'
>) {
  const [local, setLocal] = useState(value ?? '');
  useEffect(() => {
    setLocal((cur) => ((value ?? '') !== cur.trim() ? (value ?? '') : cur));
  }, [value]);
  useDebouncedCommit(
    local,
    value ?? '',
    (v) => onCommit(v.trim() || undefined),
    (a, b) => a.trim() === b,
  );
  return <TextInput {...props} value={local} onChange={(e) => setLocal(e.currentTarget.value)} />;
}

function DebouncedScore({
  value,
  onCommit,
  label,
}: {
  value: number | undefined;
  onCommit: (v: number | undefined) => void;
  label: string;
}) {
  const [local, setLocal] = useState<number | string>(value ?? '');
  useEffect(() => {
    setLocal((cur) => (String(cur) !== String(value ?? '') ? (value ?? '') : cur));
  }, [value]);
  useDebouncedCommit(
    local,
    value ?? '',
    (v) => onCommit(typeof v === 'number' ? v : undefined),
    (a, b) => String(a) === String(b),
  );
  return (
    <NumberInput label={label} min={0} max={100} allowDecimal={false} allowNegative={false} w={110} value={local} onChange={setLocal} />
  );
}

export function LeadFilters({
  search,
  onChange,
  listOptions,
  memberOptions,
  hideList,
}: {
  search: LeadSearch;
  onChange: (patch: Patch) => void;
  listOptions: { value: string; label: string }[];
  memberOptions: { value: string; label: string }[];
  hideList?: boolean;
}) {
  const t = useT();
  const advancedCount = activeFilterCount({ ...search, q: undefined, status: undefined }, hideList);
  const [more, setMore] = useState(advancedCount > 0);
  const total = activeFilterCount(search, hideList);
  const split = (v: string | undefined) => (v ? v.split(',') : []);
  const join = (v: string[]) => (v.length > 0 ? v.join(',') : undefined);
  const boolOptions = [
    { value: 'true', label: t('leads.filters.yes') },
    { value: 'false', label: t('leads.filters.no') },
  ];
  const boolSelect = (key: 'hasWebsite' | 'hasPhone' | 'hasEmail', label: string) => (
    <Select
      label={label}
      placeholder={t('leads.filters.any')}
      data={boolOptions}
      value={search[key] ?? null}
      onChange={(v) => onChange({ [key]: (v as 'true' | 'false' | null) ?? undefined })}
      clearable
      w={130}
    />
  );

  return (
    <Card withBorder padding="sm" radius="md" component="section" aria-label={t('leads.filters.label')} data-testid="lead-filters">
      <Stack gap="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <DebouncedText
            label={t('leads.search')}
            placeholder={t('leads.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={search.q}
            onCommit={(q) => onChange({ q })}
            style={{ flex: '1 1 260px' }}
            type="search"
            data-testid="lead-search"
          />
          <MultiSelect
            label={t('leads.filters.status')}
            placeholder={split(search.status).length ? undefined : t('leads.filters.statusPlaceholder')}
            data={statusOptions()}
            value={split(search.status)}
            onChange={(v) => onChange({ status: join(v) })}
            clearable
            w={260}
            data-testid="status-filter"
          />
          <Button variant="subtle" leftSection={<IconFilter size={16} />} onClick={() => setMore((m) => !m)} aria-expanded={more}>
            {more
              ? t('leads.filters.fewer')
              : advancedCount > 0
                ? t('leads.filters.moreCount', { count: advancedCount })
                : t('leads.filters.more')}
          </Button>
          {total > 0 && (
            <Button
              variant="subtle"
              color="gray"
              leftSection={<IconX size={16} />}
              onClick={() => onChange(Object.fromEntries(filterKeys.map((key) => [key, undefined])))}
            >
              {t('leads.filters.clear')}
            </Button>
          )}
        </Group>
        {search.jobId && (
          <Group gap="sm" wrap="wrap" data-testid="job-filter">
            <Text size="sm" fw={600}>
              {t('leads.filters.fromSearch')}
            </Text>
            <SegmentedControl
              size="xs"
              aria-label={t('leads.filters.fromSearch')}
              value={search.jobOutcome ?? 'all'}
              onChange={(v) => onChange({ jobOutcome: v === 'new' || v === 'merged' ? v : undefined })}
              data={[
                { value: 'all', label: t('leads.filters.fromSearchAll') },
                { value: 'new', label: t('leads.filters.fromSearchNew') },
                { value: 'merged', label: t('leads.filters.fromSearchMerged') },
              ]}
            />
            <Anchor component="button" type="button" size="sm" onClick={() => onChange({ jobId: undefined, jobOutcome: undefined })}>
              {t('leads.filters.fromSearchClear')}
            </Anchor>
          </Group>
        )}
        {search.outreach && (
          <OutreachFilterNote
            filter={search.outreach}
            from={search.outreachFrom}
            onClear={() => onChange({ outreach: undefined, outreachFrom: undefined })}
          />
        )}
        <Collapse in={more}>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <DebouncedScore label={t('leads.filters.scoreMin')} value={search.scoreMin} onCommit={(scoreMin) => onChange({ scoreMin })} />
            <DebouncedScore label={t('leads.filters.scoreMax')} value={search.scoreMax} onCommit={(scoreMax) => onChange({ scoreMax })} />
            <DebouncedText
              label={t('leads.filters.category')}
              value={search.category}
              onCommit={(category) => onChange({ category })}
              w={160}
            />
            <DebouncedText label={t('leads.filters.city')} value={search.city} onCommit={(city) => onChange({ city })} w={150} />
            <DebouncedText
              label={t('leads.filters.country')}
              value={search.country}
              onCommit={(country) => onChange({ country })}
              w={130}
            />
            <MultiSelect
              label={t('leads.filters.source')}
              placeholder={split(search.source).length ? undefined : t('leads.filters.sourcePlaceholder')}
              data={leadSources.map((s) => ({ value: s, label: tDynamic(`lead.source.${s}`, s) }))}
              value={split(search.source)}
              onChange={(v) => onChange({ source: join(v) })}
              clearable
              w={220}
            />
            {boolSelect('hasWebsite', t('leads.filters.hasWebsite'))}
            {boolSelect('hasPhone', t('leads.filters.hasPhone'))}
            {boolSelect('hasEmail', t('leads.filters.hasEmail'))}
            <MultiSelect
              label={t('leads.filters.attention')}
              placeholder={split(search.attention).length ? undefined : t('leads.filters.attentionPlaceholder')}
              data={attentionFlags.map((flag) => ({ value: flag, label: tDynamic(`lead.attention.${flag}`, flag) }))}
              value={split(search.attention)}
              onChange={(v) => onChange({ attention: join(v) })}
              clearable
              w={240}
              data-testid="attention-filter"
            />
            <DebouncedText label={t('leads.filters.tag')} value={search.tag} onCommit={(tag) => onChange({ tag })} w={130} />
            {!hideList && (
              <Select
                label={t('leads.filters.list')}
                placeholder={t('leads.filters.anyList')}
                data={listOptions}
                value={search.listId ?? null}
                onChange={(v) => onChange({ listId: v ?? undefined })}
                clearable
                searchable
                w={200}
              />
            )}
            <Select
              label={t('leads.filters.owner')}
              placeholder={t('leads.filters.anyOwner')}
              data={[{ value: 'none', label: t('lead.unassigned') }, ...memberOptions]}
              value={search.ownerUserId ?? null}
              onChange={(v) => onChange({ ownerUserId: v ?? undefined })}
              clearable
              searchable
              w={200}
            />
          </Group>
        </Collapse>
      </Stack>
    </Card>
  );
}
