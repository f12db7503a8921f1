import { randomUUID } from 'node:crypto';
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { isUuid, type AttentionFlag, type LeadStatus } from '@optarget/shared';
import { leads } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { countryCodeOf } from './country.js';
import { flagNearDuplicates, markDomainDuplicates } from './duplicates.js';
import { readContact } from './normalise.js';
import { placeKeysOf, recordSources, type SourceSighting } from './sources.js';

export type LeadDraft = {
  name: string;
  category?: string | null;
  address?: string | null;
  city?: string | null;
  country?: string | null;
  lat?: number | null;
  lon?: number | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  tags?: string[];
  notes?: string | null;
  status?: LeadStatus;
  rating?: number | null;
  reviewCount?: number | null;
  source: 'osm' | 'google' | 'csv' | 'manual';
  sourceId?: string | null;
  /** The id of a lead of this tenant the draft describes (as in an export): the strongest match. */
  leadId?: string | null;
};

export type MatchKey = 'id' | 'source' | 'phone' | 'domain';
export type UpsertOutcome = {
  index: number;
  outcome: 'created' | 'updated' | 'skipped' | 'invalid';
  leadId?: string;
  matchedOn?: MatchKey;
  error?: string;
  /** What the lead written from this draft needs a person for (unreadable contact text, a possible duplicate). */
  flags?: AttentionFlag[];
};

type LeadRow = typeof leads.$inferSelect;
/** `duplicateOf`: a lead on the same website with another phone, marked once the new lead is written. */
type NewLead = typeof leads.$inferInsert & { id: string; matchLeadId?: string; duplicateOf?: string };

/** Fields an automatic merge may fill when the lead has no value yet (and nobody edited them by hand). */
const fillable = [
  'category',
  'address',
  'city',
  'country',
  'lat',
  'lon',
  'phone',
  'email',
  'website',
  'notes',
  'rating',
  'reviewCount',
  'tags',
] as const;
type Fillable = (typeof fillable)[number];
/** Contact fields whose unreadable text is kept in a `…Raw` column. */
const contactFields = ['phone', 'email', 'website'] as const;
type RawField = `${(typeof contactFields)[number]}Raw`;
type Patch = Partial<Pick<LeadRow, Fillable | 'domain' | RawField>>;

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const text = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === '' ? null : v.trim());
const num = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const sourceKey = (source: string, sourceId: string) => `s:${source}:${sourceId}`;

/** The lead's dedupe keys, strongest first. */
function keysOf(l: {
  id?: string;
  matchLeadId?: string;
  source?: string | null;
  sourceId?: string | null;
  phone?: string | null;
  domain?: string | null;
}) {
  const keys: [MatchKey, string][] = [];
  const id = l.matchLeadId ?? l.id;
  if (id) keys.push(['id', `i:${id}`]);
  if (l.sourceId) keys.push(['source', sourceKey(l.source ?? 'manual', l.sourceId)]);
  if (l.phone) keys.push(['phone', `p:${l.phone}`]);
  if (l.domain) keys.push(['domain', `d:${l.domain}`]);
  return keys;
}

/**
 * A draft as the row it would insert, or the reason it cannot be stored (only a missing name). Its
 * phone is read in the draft's own country, else `defaultCountry`; contact text that cannot be
 * read is kept in the `…Raw` columns, so the lead is stored and flagged rather than lost.
 */
export function prepareDraft(
  tenantId: string,
  draft: LeadDraft,
  defaultCountry: string | null | undefined,
  actorUserId: string | null,
): NewLead | string {
  const name = text(draft.name);
  if (!name) return 'name: is required';
  const contact = readContact(
    { phone: draft.phone ?? null, email: draft.email ?? null, website: draft.website ?? null },
    countryCodeOf(draft.country) ?? defaultCountry,
  );
  const matchLeadId = draft.leadId && isUuid(draft.leadId.trim()) ? draft.leadId.trim().toLowerCase() : undefined;
  return {
    id: randomUUID(),
    ...(matchLeadId ? { matchLeadId } : {}),
    tenantId,
    name,
    category: text(draft.category),
    address: text(draft.address),
    city: text(draft.city),
    country: text(draft.country),
    lat: num(draft.lat),
    lon: num(draft.lon),
    ...contact,
    tags: [...new Set((draft.tags ?? []).map((t) => t.trim()).filter(Boolean))],
    notes: text(draft.notes),
    status: draft.status ?? 'NEW',
    rating: num(draft.rating),
    reviewCount: num(draft.reviewCount),
    source: draft.source,
    sourceId: text(draft.sourceId),
    createdByUserId: actorUserId,
  };
}

const leadColumns = Object.entries(getTableColumns(leads));

/**
 * The tenant's leads matching any of `keys` (a set-returning function over one JSON parameter: a
 * thousand bind parameters cost more to build and parse than the lookup). The LATERAL subquery
 * with OFFSET 0 makes it one probe of the tenant's index per key, where the planner would otherwise
 * read all the tenant's leads and filter them against the whole batch. That holds while the
 * statistics know the tenant's size: with stale ones (a new tenant's first big import) the planner
 * may probe a tenant index that ignores the key, so imports keep them fresh (statistics.ts).
 */
async function leadsMatching(tx: Tx, tenantId: string, keys: SQL, condition: SQL): Promise<LeadRow[]> {
  const selection = sql.join(
    leadColumns.map(([key, col]) => sql`l.${sql.identifier(col.name)} as ${sql.identifier(key)}`),
    sql`, `,
  );
  const { rows } = (await tx.execute(
    sql`select ${selection} from ${keys} cross join lateral (select * from leads where tenant_id = ${tenantId} and ${condition} offset 0) as l`,
  )) as unknown as { rows: Record<string, unknown>[] };
  return rows.map(
    (row) =>
      Object.fromEntries(
        leadColumns.map(([key, col]) => [key, row[key] === null || row[key] === undefined ? null : col.mapFromDriverValue(row[key])]),
      ) as LeadRow,
  );
}

/** Existing leads of the tenant sharing any key with the batch: one query per key type. */
async function findMatchingLeads(tx: Tx, tenantId: string, rows: NewLead[]): Promise<LeadRow[]> {
  const sources = [
    ...new Map(
      rows.flatMap((r) => (r.sourceId ? [[`${r.source}:${r.sourceId}`, { source: r.source, source_id: r.sourceId }]] : [])),
    ).values(),
  ];
  const ids = [...new Set(rows.flatMap((r) => (r.matchLeadId ? [r.matchLeadId] : [])))];
  const phones = [...new Set(rows.flatMap((r) => (r.phone ? [r.phone] : [])))];
  const domains = [...new Set(rows.flatMap((r) => (r.domain ? [r.domain] : [])))];
  const json = (values: unknown[]) => JSON.stringify(values);
  const lookups: [unknown[], SQL, SQL][] = [
    [ids, sql`json_array_elements_text(${json(ids)}::json) as k(v)`, sql`id = k.v::uuid`],
    [
      sources,
      sql`json_to_recordset(${json(sources)}::json) as k(source text, source_id text)`,
      sql`source = k.source::lead_source and source_id = k.source_id`,
    ],
    [
      sources,
      sql`json_to_recordset(${json(sources)}::json) as k(source text, source_id text)`,
      sql`id = (select s.lead_id from lead_sources s where s.tenant_id = ${tenantId} and s.source = k.source::lead_source and s.source_id = k.source_id)`,
    ],
    [phones, sql`json_array_elements_text(${json(phones)}::json) as k(v)`, sql`phone = k.v`],
    [domains, sql`json_array_elements_text(${json(domains)}::json) as k(v)`, sql`domain = k.v`],
  ];
  const found = new Map<string, LeadRow>();
  for (const [values, keys, condition] of lookups) {
    if (!values.length) continue;
    for (const row of await leadsMatching(tx, tenantId, keys, condition)) found.set(row.id, row);
  }
  return [...found.values()];
}

/**
 * Copies into `target` the draft's values for fields the target has empty and nobody edited by hand.
 * A contact field filled with a readable value clears the unreadable text kept for it; unreadable
 * text is copied only where the target has neither a value nor text of its own.
 */
function fillEmpty(target: Patch & { editedFields?: string[] }, from: NewLead): Patch {
  const filled: Patch = {};
  const edited = new Set(target.editedFields ?? []);
  for (const field of fillable) {
    const value = from[field];
    if (edited.has(field) || !isEmpty(target[field]) || isEmpty(value)) continue;
    Object.assign(filled, { [field]: value });
    if (field === 'website') filled.domain = from.domain ?? null;
  }
  for (const field of contactFields) {
    const raw = `${field}Raw` as const;
    if (filled[field] !== undefined) {
      if (!isEmpty(target[raw])) filled[raw] = null;
    } else if (!edited.has(field) && isEmpty(target[field]) && isEmpty(target[raw]) && !isEmpty(from[raw])) filled[raw] = from[raw];
  }
  Object.assign(target, filled);
  return filled;
}

/** What a lead written from `row` needs a person for. */
const flagsOf = (row: NewLead): AttentionFlag[] => [
  ...contactFields.filter((field) => row[`${field}Raw`]),
  ...(row.duplicateOf ? (['duplicate'] as const) : []),
];

type Target = { kind: 'existing'; row: LeadRow; patch: Patch; placeKeys: string[] } | { kind: 'new'; row: NewLead };

/** A draft normalised for writing: the row it would insert, or the reason it cannot be stored. */
export type PreparedLead = NewLead | string;

/** Normalises drafts for upsertPreparedLeads; pure work, so a caller can do it outside its transaction. */
export const prepareLeads = (
  tenantId: string,
  drafts: LeadDraft[],
  opts: { actorUserId: string | null; defaultCountry?: string | null },
): PreparedLead[] => drafts.map((draft) => prepareDraft(tenantId, draft, opts.defaultCountry, opts.actorUserId));

/**
 * Normalises and dedupes a batch (within the batch too) and writes it with few statements (one
 * multi-row insert, one set-based update), inside the caller's tenant transaction. Matching uses
 * the keys strongest first: (source, sourceId), E.164 phone, registrable domain. With
 * `onMatch: 'update'` a match only gets its empty fields filled, never fields in `edited_fields`.
 */
export const upsertLeads = (
  tx: Tx,
  tenantId: string,
  drafts: LeadDraft[],
  opts: { onMatch: 'skip' | 'update'; actorUserId: string | null; defaultCountry?: string | null; jobId?: string | null },
): Promise<UpsertOutcome[]> => upsertPreparedLeads(tx, tenantId, prepareLeads(tenantId, drafts, opts), opts);

/** upsertLeads for drafts prepared beforehand with prepareLeads (each written at most once). */
export async function upsertPreparedLeads(
  tx: Tx,
  tenantId: string,
  leadsToWrite: PreparedLead[],
  opts: { onMatch: 'skip' | 'update'; jobId?: string | null },
): Promise<UpsertOutcome[]> {
  const outcomes: UpsertOutcome[] = [];
  const prepared: { index: number; row: NewLead }[] = [];
  leadsToWrite.forEach((row, index) => {
    if (typeof row === 'string') outcomes[index] = { index, outcome: 'invalid', error: row };
    else prepared.push({ index, row });
  });

  const byKey = new Map<string, Target>();
  const remember = (target: Target) => {
    const keys = [...keysOf(target.row).map(([, key]) => key), ...(target.kind === 'existing' ? target.placeKeys : [])];
    for (const key of keys) if (!byKey.has(key)) byKey.set(key, target);
  };
  const existing = await findMatchingLeads(
    tx,
    tenantId,
    prepared.map((p) => p.row),
  );
  // A lead is also known by every place attached to it since (another source, a merged lead).
  const placeKeys = await placeKeysOf(
    tx,
    tenantId,
    existing.map((row) => row.id),
    sourceKey,
  );
  for (const row of existing) remember({ kind: 'existing', row, patch: {}, placeKeys: placeKeys.get(row.id) ?? [] });
  const sightings: (SourceSighting & { index: number })[] = [];

  const inserts: Target[] = [];
  for (const { index, row } of prepared) {
    const match = keysOf(row)
      .map(([on, key]) => ({ on, target: byKey.get(key) }))
      .find((m) => m.target);
    // One website domain with two different phones may be two branches or two tenants of one
    // building's site: a person decides, so the draft becomes a new lead marked as a possible duplicate.
    if (match?.target && match.on === 'domain' && phonesDisagree(row, match.target.row)) row.duplicateOf = match.target.row.id;
    if (!match?.target || row.duplicateOf) {
      const target: Target = { kind: 'new', row };
      inserts.push(target);
      remember(target);
      const flags = flagsOf(row);
      outcomes[index] = { index, outcome: 'created', leadId: row.id, ...(flags.length ? { flags } : {}) };
      sightings.push({ index, ...sightingOf(row, row.id, row) });
      continue;
    }
    const { target, on } = match;
    if (opts.onMatch === 'skip') {
      outcomes[index] = { index, outcome: 'skipped', leadId: target.row.id, matchedOn: on };
      sightings.push({ index, ...sightingOf(row, target.row.id, {}) });
      continue;
    }
    const filled = fillEmpty(target.row, row);
    sightings.push({ index, ...sightingOf(row, target.row.id, filled) });
    if (target.kind === 'existing') Object.assign(target.patch, filled);
    remember(target);
    const changed = Object.keys(filled).length > 0;
    const flags = contactFields.filter((field) => filled[`${field}Raw`]);
    outcomes[index] = {
      index,
      outcome: changed ? 'updated' : 'skipped',
      leadId: target.row.id,
      matchedOn: on,
      ...(flags.length ? { flags } : {}),
    };
  }

  const newRows = inserts.flatMap((t) => (t.kind === 'new' ? [t.row] : []));
  if (newRows.length) {
    // A concurrent writer may have taken a source id since the lookup; that row is then left alone.
    const written = await insertNewLeads(tx, newRows);
    for (const o of outcomes) {
      if (o?.outcome === 'created' && !written.has(o.leadId!))
        Object.assign(o, { outcome: 'skipped', leadId: undefined, error: 'written concurrently' });
    }
    await markDomainDuplicates(
      tx,
      tenantId,
      newRows.flatMap((row) => (row.duplicateOf && written.has(row.id) ? [[row.id, row.duplicateOf] as [string, string]] : [])),
    );
    const nearby = await flagNearDuplicates(tx, tenantId, [...written]);
    for (const o of outcomes) {
      if (o?.outcome === 'created' && nearby.has(o.leadId!) && !o.flags?.includes('duplicate')) o.flags = [...(o.flags ?? []), 'duplicate'];
    }
  }
  const updates = [...new Set(byKey.values())].flatMap((t) => (t.kind === 'existing' && Object.keys(t.patch).length ? [t] : []));
  if (updates.length)
    await fillEmptyFields(
      tx,
      tenantId,
      updates.map((t) => ({ id: t.row.id, ...t.patch })),
    );
  await recordSources(
    tx,
    tenantId,
    sightings.filter((s) => outcomes[s.index]?.leadId === s.leadId),
    opts.jobId ?? null,
  );
  return outcomes;
}

/** Lead fields as a source's contribution is named (a place's coordinates are one `location`). */
const contributionOf: Partial<Record<keyof Patch | 'name', string>> = {
  name: 'name',
  category: 'category',
  address: 'address',
  city: 'city',
  country: 'country',
  lat: 'location',
  phone: 'phone',
  phoneRaw: 'phone',
  email: 'email',
  emailRaw: 'email',
  website: 'website',
  websiteRaw: 'website',
  rating: 'rating',
  tags: 'tags',
  notes: 'notes',
};

/** The draft's source seen for `leadId`, credited with the fields of `gave` that have a value. */
function sightingOf(row: NewLead, leadId: string, gave: Patch & { name?: string }): SourceSighting {
  const fields = Object.entries(gave).flatMap(([key, value]) => {
    const field = contributionOf[key as keyof typeof contributionOf];
    return field && !isEmpty(value) ? [field] : [];
  });
  return { leadId, source: row.source ?? 'manual', sourceId: row.sourceId ?? null, fields: [...new Set(fields)] };
}

/** Both have a phone, and they differ. */
const phonesDisagree = (a: { phone?: string | null }, b: { phone?: string | null }) => Boolean(a.phone && b.phone && a.phone !== b.phone);

/** `leads` columns a new lead is written with, and their SQL types; the rest take their defaults. */
const insertColumns: [keyof NewLead, string, string][] = [
  ['id', 'id', 'uuid'],
  ['tenantId', 'tenant_id', 'uuid'],
  ['name', 'name', 'text'],
  ['category', 'category', 'text'],
  ['address', 'address', 'text'],
  ['city', 'city', 'text'],
  ['country', 'country', 'text'],
  ['lat', 'lat', 'float8'],
  ['lon', 'lon', 'float8'],
  ['phone', 'phone', 'text'],
  ['email', 'email', 'text'],
  ['website', 'website', 'text'],
  ['domain', 'domain', 'text'],
  ['phoneRaw', 'phone_raw', 'text'],
  ['emailRaw', 'email_raw', 'text'],
  ['websiteRaw', 'website_raw', 'text'],
  ['tags', 'tags', 'text[]'],
  ['notes', 'notes', 'text'],
  ['status', 'status', 'lead_status'],
  ['rating', 'rating', 'real'],
  ['reviewCount', 'review_count', 'int'],
  ['source', 'source', 'lead_source'],
  ['sourceId', 'source_id', 'text'],
  ['createdByUserId', 'created_by_user_id', 'uuid'],
];
const insertList = insertColumns.map(([, column]) => column).join(', ');
const insertRecordType = insertColumns.map(([, column, type]) => `${column} ${type}`).join(', ');

/**
 * One INSERT for the batch with the rows as a single JSON parameter (rather than a multi-row VALUES
 * of some 20,000 bind parameters, which costs more to build in JS and to parse than to write).
 * Returns the ids written; a row losing a race on the source-id key is left out. Only rows with a
 * source id can meet a conflict (ids are fresh), so a batch without any skips the conflict check.
 */
async function insertNewLeads(tx: Tx, rows: NewLead[]): Promise<Set<string>> {
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const [field, column] of insertColumns) if (row[field] !== null && row[field] !== undefined) record[column] = row[field];
    return record;
  });
  const result = await tx.execute(
    sql`insert into leads (${sql.raw(insertList)})
      select ${sql.raw(insertList)} from json_to_recordset(${JSON.stringify(records)}::json) as v(${sql.raw(insertRecordType)})
      ${rows.some((row) => row.sourceId) ? sql`on conflict do nothing` : sql``} returning id`,
  );
  return new Set((result as unknown as { rows: { id: string }[] }).rows.map((r) => r.id));
}

const columnOf: Record<Fillable, { column: string; type: string }> = {
  category: { column: 'category', type: 'text' },
  address: { column: 'address', type: 'text' },
  city: { column: 'city', type: 'text' },
  country: { column: 'country', type: 'text' },
  lat: { column: 'lat', type: 'float8' },
  lon: { column: 'lon', type: 'float8' },
  phone: { column: 'phone', type: 'text' },
  email: { column: 'email', type: 'text' },
  website: { column: 'website', type: 'text' },
  notes: { column: 'notes', type: 'text' },
  rating: { column: 'rating', type: 'real' },
  reviewCount: { column: 'review_count', type: 'int' },
  tags: { column: 'tags', type: 'text[]' },
};

/**
 * One UPDATE for the whole batch. The emptiness and edited-fields checks are repeated in SQL so a
 * person's edit committed after the lookup still wins over the merge.
 */
async function fillEmptyFields(tx: Tx, tenantId: string, patches: (Patch & { id: string })[]) {
  const canFill = (field: Fillable) => {
    const c = `l.${columnOf[field].column}`;
    const empty = field === 'tags' ? `cardinality(${c}) = 0` : columnOf[field].type === 'text' ? `coalesce(${c}, '') = ''` : `${c} is null`;
    return `${empty} and not ('${field}' = any(l.edited_fields)) and v.${columnOf[field].column} is not null`;
  };
  const sets = fillable.map(
    (f) => `${columnOf[f].column} = case when ${canFill(f)} then v.${columnOf[f].column} else l.${columnOf[f].column} end`,
  );
  for (const field of contactFields) {
    const raw = `${field}_raw`;
    const canFillRaw = `l.${field} is null and l.${raw} is null and not ('${field}' = any(l.edited_fields)) and v.${raw} is not null`;
    sets.push(`${raw} = case when ${canFill(field)} then null when ${canFillRaw} then v.${raw} else l.${raw} end`);
  }
  sets.push(`domain = case when ${canFill('website')} then v.domain else l.domain end`, 'updated_at = now()');
  const recordType = [
    'id uuid',
    'domain text',
    ...contactFields.map((field) => `${field}_raw text`),
    ...fillable.map((f) => `${columnOf[f].column} ${columnOf[f].type}`),
  ].join(', ');
  const records = patches.map(({ id, reviewCount, phoneRaw, emailRaw, websiteRaw, ...rest }) => ({
    id,
    review_count: reviewCount,
    phone_raw: phoneRaw,
    email_raw: emailRaw,
    website_raw: websiteRaw,
    ...rest,
  }));
  await tx.execute(
    sql`update leads l set ${sql.raw(sets.join(', '))} from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(${sql.raw(recordType)}) where l.id = v.id and l.tenant_id = ${tenantId}`,
  );
}
