import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { LeadSourceEntry } from '@optarget/shared';
import { leadSources } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { findLeadRow } from './dto.js';

type Source = (typeof leadSources.$inferInsert)['source'];
export type SourceSighting = { leadId: string; source: Source; sourceId: string | null; fields: string[] };

/**
 * Records that each source found or gave its lead: a new source is attached with the fields it
 * filled, a known one has its time renewed and its fields added to. A place already attached to
 * another lead (a race, or an import naming another lead's id) stays where it is.
 */
export async function recordSources(tx: Tx, tenantId: string, sightings: SourceSighting[], jobId: string | null = null) {
  const unique = new Map<string, SourceSighting>();
  for (const s of sightings) {
    const key = `${s.leadId}|${s.source}|${s.sourceId ?? ''}`;
    const known = unique.get(key);
    unique.set(key, known ? { ...known, fields: [...new Set([...known.fields, ...s.fields])] } : s);
  }
  if (!unique.size) return;
  const records = [...unique.values()].map((s) => ({ lead_id: s.leadId, source: s.source, source_id: s.sourceId, fields: s.fields }));
  await tx.execute(sql`
    insert into lead_sources as s (tenant_id, lead_id, source, source_id, fields, job_id)
    select ${tenantId}::uuid, v.lead_id, v.source::lead_source, v.source_id, v.fields, ${jobId}::uuid
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(lead_id uuid, source text, source_id text, fields text[])
    where v.source_id is null or not exists (
      select 1 from lead_sources o
      where o.tenant_id = ${tenantId}::uuid and o.source = v.source::lead_source and o.source_id = v.source_id and o.lead_id <> v.lead_id)
    on conflict (lead_id, source, coalesce(source_id, '')) do update set
      last_seen_at = now(),
      job_id = coalesce(excluded.job_id, s.job_id),
      fields = array(select distinct f from unnest(s.fields || excluded.fields) as f order by f)`);
}

/** For each lead, the dedupe keys (`s:source:id`) of every place attached to it. */
export async function placeKeysOf(tx: Tx, tenantId: string, leadIds: string[], keyOf: (source: string, id: string) => string) {
  const keys = new Map<string, string[]>();
  if (!leadIds.length) return keys;
  const rows = await tx
    .select({ leadId: leadSources.leadId, source: leadSources.source, sourceId: leadSources.sourceId })
    .from(leadSources)
    .where(and(eq(leadSources.tenantId, tenantId), inArray(leadSources.leadId, leadIds), isNotNull(leadSources.sourceId)));
  for (const r of rows) keys.set(r.leadId, [...(keys.get(r.leadId) ?? []), keyOf(r.source, r.sourceId!)]);
  return keys;
}

/** Every source of a lead, oldest first. */
export async function findLeadSources(tx: Tx, tenantId: string, leadId: string): Promise<{ items: LeadSourceEntry[] }> {
  await findLeadRow(tx, tenantId, leadId);
  const rows = await tx
    .select()
    .from(leadSources)
    .where(and(eq(leadSources.tenantId, tenantId), eq(leadSources.leadId, leadId)))
    .orderBy(asc(leadSources.firstSeenAt), asc(leadSources.id));
  return {
    items: rows.map((r) => ({
      source: r.source,
      sourceId: r.sourceId,
      fields: r.fields,
      jobId: r.jobId,
      firstSeenAt: r.firstSeenAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
    })),
  };
}
