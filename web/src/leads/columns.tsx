import { Anchor, Badge, Checkbox, Group, NativeSelect, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { leadStatuses, type Lead, type LeadColumn, type LeadStatus } from '@optarget/shared';
import type { DataColumn } from '../lib/table/DataTable';
import { AnchorLink } from '../lib/links';
import type { TFunction } from '../i18n';
import { statusColor, statusLabel } from './hooks';

export interface LeadCellContext {
  t: TFunction;
  tenantId: string;
  canWrite: boolean;
  formatDate: (v: string) => string;
  formatNumber: (n: number) => string;
  onStatus: (lead: Lead, status: LeadStatus) => void;
}

/** Contact text kept as given because it could not be read: shown, marked as needing attention. */
function UnreadText({ raw, label }: { raw: string; label: string }) {
  return (
    <Tooltip label={label}>
      <Group gap={4} wrap="nowrap" data-testid="needs-attention">
        <IconAlertTriangle size={14} color="var(--mantine-color-orange-7)" aria-label={label} role="img" />
        <Text size="sm" truncate dir="ltr">
          {raw}
        </Text>
      </Group>
    </Tooltip>
  );
}

/** One line cut to the column's width; the whole text shows on hover. */
function Clip({ text, ltr }: { text: string | null | undefined; ltr?: boolean }) {
  return (
    <Text size="inherit" truncate title={text ?? undefined} dir={ltr ? 'ltr' : 'auto'}>
      {text ?? ''}
    </Text>
  );
}

export function LeadName({ lead, tenantId, t }: { lead: Lead; tenantId: string; t: TFunction }) {
  return (
    <>
      <AnchorLink
        to="/t/$tenantId/leads/$leadId"
        params={{ tenantId, leadId: lead.id }}
        size="inherit"
        fw={600}
        truncate
        title={lead.name}
        dir="auto"
      >
        {lead.name}
      </AnchorLink>
      {lead.possibleDuplicates > 0 && (
        <Badge
          size="xs"
          variant="default"
          leftSection={<IconAlertTriangle size={10} color="var(--mantine-color-orange-7)" />}
          data-testid="possible-duplicate"
        >
          {t('lead.attention.duplicate')}
        </Badge>
      )}
    </>
  );
}

export function LeadPhone({ lead, t }: { lead: Lead; t: TFunction }) {
  if (!lead.phone && lead.phoneRaw) return <UnreadText raw={lead.phoneRaw} label={t('lead.attention.phone')} />;
  // The cell keeps the column's alignment; the inner span keeps the number's own order.
  return (
    <Text size="inherit" style={{ whiteSpace: 'nowrap' }}>
      <span dir="ltr">{lead.phone ?? ''}</span>
    </Text>
  );
}

export function LeadEmail({ lead, t }: { lead: Lead; t: TFunction }) {
  if (!lead.email && lead.emailRaw) return <UnreadText raw={lead.emailRaw} label={t('lead.attention.email')} />;
  return <Clip text={lead.email} ltr />;
}

export function LeadStatusControl({ lead, ctx }: { lead: Lead; ctx: LeadCellContext }) {
  return ctx.canWrite ? (
    <NativeSelect
      size="xs"
      aria-label={ctx.t('leads.statusOf', { name: lead.name })}
      value={lead.status}
      onChange={(e) => ctx.onStatus(lead, e.currentTarget.value as LeadStatus)}
      data={leadStatuses.map((s) => ({ value: s, label: statusLabel(s) }))}
      data-testid="lead-status"
      miw={110}
    />
  ) : (
    <Badge color={statusColor[lead.status]} variant="light">
      {statusLabel(lead.status)}
    </Badge>
  );
}

function Website({ lead, t }: { lead: Lead; t: TFunction }) {
  const site = lead.domain ?? lead.website;
  if (site && lead.website)
    return (
      <Anchor
        href={lead.website}
        target="_blank"
        rel="noopener noreferrer"
        size="inherit"
        dir="ltr"
        truncate
        title={lead.website}
        display="block"
      >
        {site}
      </Anchor>
    );
  if (!site && lead.websiteRaw) return <UnreadText raw={lead.websiteRaw} label={t('lead.attention.website')} />;
  return <Clip text={site} ltr />;
}

function Tags({ tags }: { tags: string[] }) {
  return (
    <Group gap={4} wrap="nowrap" title={tags.join(', ')}>
      {tags.slice(0, 2).map((tag) => (
        <Badge key={tag} size="xs" variant="outline" color="gray" maw={90}>
          {tag}
        </Badge>
      ))}
      {tags.length > 2 && (
        <Text size="xs" c="dimmed">
          +{tags.length - 2}
        </Text>
      )}
    </Group>
  );
}

/** The lead table's columns by key, in the order the layout lists them. */
export function leadTableColumns(shown: readonly LeadColumn[], ctx: LeadCellContext): DataColumn<Lead>[] {
  const { t } = ctx;
  const all: Record<LeadColumn, DataColumn<Lead>> = {
    name: { key: 'name', label: t('lead.field.name'), sortable: true, cell: (l) => <LeadName lead={l} tenantId={ctx.tenantId} t={t} /> },
    category: { key: 'category', label: t('lead.field.category'), cell: (l) => <Clip text={l.category} /> },
    city: { key: 'city', label: t('lead.field.city'), cell: (l) => <Clip text={l.city} /> },
    phone: { key: 'phone', label: t('lead.field.phone'), cell: (l) => <LeadPhone lead={l} t={t} /> },
    email: { key: 'email', label: t('lead.field.email'), cell: (l) => <LeadEmail lead={l} t={t} /> },
    website: { key: 'website', label: t('lead.field.website'), cell: (l) => <Website lead={l} t={t} /> },
    status: { key: 'status', label: t('lead.field.status'), cell: (l) => <LeadStatusControl lead={l} ctx={ctx} /> },
    score: {
      key: 'score',
      label: t('lead.field.score'),
      sortable: true,
      firstDesc: true,
      align: 'end',
      cell: (l) => (
        <Text size="inherit" fw={600}>
          {ctx.formatNumber(l.score)}
        </Text>
      ),
    },
    owner: { key: 'owner', label: t('lead.field.owner'), cell: (l) => <Clip text={l.owner?.name ?? '—'} /> },
    tags: { key: 'tags', label: t('lead.field.tags'), cell: (l) => <Tags tags={l.tags} /> },
    createdAt: {
      key: 'createdAt',
      label: t('lead.field.created'),
      sortable: true,
      firstDesc: true,
      cell: (l) => <span style={{ whiteSpace: 'nowrap' }}>{ctx.formatDate(l.createdAt)}</span>,
    },
  };
  return shown.map((c) => all[c]);
}

/** The selection column: a box per row and one for every loaded row. */
export function selectColumn(opts: {
  t: TFunction;
  allChecked: boolean;
  someChecked: boolean;
  onAll: (checked: boolean) => void;
  isChecked: (lead: Lead) => boolean;
  onToggle: (id: string, checked: boolean) => void;
}): DataColumn<Lead> {
  return {
    key: 'select',
    label: opts.t('leads.col.select'),
    width: 44,
    header: (
      <Checkbox
        aria-label={opts.t('leads.selectPage')}
        checked={opts.allChecked}
        indeterminate={opts.someChecked}
        onChange={(e) => opts.onAll(e.currentTarget.checked)}
      />
    ),
    cell: (l) => (
      <Checkbox
        aria-label={opts.t('leads.selectRow', { name: l.name })}
        checked={opts.isChecked(l)}
        onChange={(e) => opts.onToggle(l.id, e.currentTarget.checked)}
      />
    ),
  };
}
