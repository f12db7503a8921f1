import { and, count, eq, inArray, sql, type AnyColumn } from 'drizzle-orm';
import {
  mergeFieldValue,
  mergeFields,
  type Lead,
  type MergeField,
  type MergeLeadsBody,
  type MergeMoves,
  type MergePreview,
} from '@optarget/shared';
import { evidence, jobLeads, leadLists, leadSources, leads, reports, whatsappMessages } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import { selectLeadsWithOwner, toLeadDto, type LeadRow } from './dto.js';

/** The lead columns each merge field carries together (a phone with its unreadable text, a website with its domain…). */
export const columnsOf: Record<MergeField, (keyof LeadRow)[]> = {
  name: ['name'],
  category: ['category'],
  address: ['address'],
  city: ['city'],
  country: ['country'],
  location: ['lat', 'lon'],
  phone: ['phone', 'phoneRaw'],
  email: ['email', 'emailRaw'],
  website: ['website', 'domain', 'websiteRaw'],
  rating: ['rating', 'reviewCount'],
  status: ['status'],
  owner: ['ownerUserId'],
  score: ['score', 'scoreBasis'],
};

const filled = (v: unknown) => v !== null && v !== undefined && v !== '';

/** Whether a lead has something for the field: a score counts once evidence has been weighed. */
function hasValue(row: LeadRow, field: MergeField): boolean {
  if (field === 'score') return row.scoreBasis !== null || row.score > 0;
  if (field === 'location') return row.lat !== null && row.lon !== null;
  return columnsOf[field].some((c) => filled(row[c]));
}

export type MergePlan = {
  keep: LeadRow;
  merged: LeadRow[];
  leads: Lead[];
  /** For each field, the lead whose value the kept lead ends with (null: no lead has one). */
  from: Record<MergeField, string | null>;
  tags: string[];
  notes: string | null;
};

/**
 * Checks a merge request and works out what the kept lead ends with. A lead named twice or merged
 * into itself is a 400; a lead that is not the tenant's is a 404. `lock` holds the leads until the
 * transaction ends, so nothing changes them between the plan and the merge.
 */
export async function planMerge(tx: Tx, tenantId: string, body: MergeLeadsBody, lock: boolean): Promise<MergePlan> {
  const ids = [body.keepId, ...body.mergeIds];
  if (body.mergeIds.includes(body.keepId))
    throw new AppError('VALIDATION_FAILED', 'A lead cannot be merged into itself.', {
      fields: [{ field: 'mergeIds', message: 'must not include the kept lead', rule: 'mergeSelf' }],
    });
  if (new Set(ids).size !== ids.length)
    throw new AppError('VALIDATION_FAILED', 'mergeIds: names a lead twice', {
      fields: [{ field: 'mergeIds', message: 'names a lead twice', rule: 'mergeTwice' }],
    });
  const query = selectLeadsWithOwner(tx).where(and(eq(leads.tenantId, tenantId), inArray(leads.id, ids)));
  const found = lock ? await query.for('update', { of: leads }) : await query;
  const byId = new Map(found.map((r) => [r.lead.id, r]));
  if (byId.size !== ids.length) throw new AppError('NOT_FOUND', 'No such lead.');
  const rows = ids.map((id) => byId.get(id)!);
  const from = {} as Record<MergeField, string | null>;
  for (const field of mergeFields) {
    const chosen = body.fields?.[field];
    if (chosen && !byId.has(chosen))
      throw new AppError('VALIDATION_FAILED', `fields.${field}: is not one of the merged leads`, {
        fields: [{ field: `fields.${field}`, message: 'is not one of the merged leads', rule: 'mergeChoice' }],
      });
    from[field] = chosen ?? rows.find((r) => hasValue(r.lead, field))?.lead.id ?? null;
  }
  const notes = rows.flatMap((r) => (r.lead.notes?.trim() ? [r.lead.notes.trim()] : []));
  return {
    keep: rows[0].lead,
    merged: rows.slice(1).map((r) => r.lead),
    leads: rows.map((r) => toLeadDto({ ...r.lead, possibleDuplicates: r.possibleDuplicates }, r.ownerName)),
    from,
    tags: [...new Set(rows.flatMap((r) => r.lead.tags))],
    notes: notes.length ? [...new Set(notes)].join('\n\n') : null,
  };
}

/** How many rows of each kind would move to the kept lead. */
export async function countMoves(tx: Tx, tenantId: string, keepId: string, mergedIds: string[]): Promise<MergeMoves> {
  const n = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0);
  const ofMerged = (t: { tenantId: AnyColumn; leadId: AnyColumn }) => and(eq(t.tenantId, tenantId), inArray(t.leadId, mergedIds));
  return {
    evidence: await n(tx.select({ n: count() }).from(evidence).where(ofMerged(evidence))),
    lists: await n(
      tx
        .select({ n: sql<number>`count(distinct ${leadLists.listId})::int` })
        .from(leadLists)
        .where(
          and(
            ofMerged(leadLists),
            sql`not exists (select 1 from lead_lists k where k.list_id = ${leadLists.listId} and k.lead_id = ${keepId})`,
          ),
        ),
    ),
    reports: await n(tx.select({ n: count() }).from(reports).where(ofMerged(reports))),
    messages: await n(tx.select({ n: count() }).from(whatsappMessages).where(ofMerged(whatsappMessages))),
    sources: await n(tx.select({ n: count() }).from(leadSources).where(ofMerged(leadSources))),
    jobs: await n(
      tx
        .select({ n: sql<number>`count(distinct ${jobLeads.jobId})::int` })
        .from(jobLeads)
        .where(
          and(ofMerged(jobLeads), sql`not exists (select 1 from job_leads k where k.job_id = ${jobLeads.jobId} and k.lead_id = ${keepId})`),
        ),
    ),
  };
}

export async function previewMerge(tx: Tx, tenantId: string, body: MergeLeadsBody): Promise<MergePreview> {
  const plan = await planMerge(tx, tenantId, body, false);
  const byId = new Map(plan.leads.map((l) => [l.id, l]));
  return {
    leads: plan.leads,
    fields: mergeFields.map((field) => {
      const fromLeadId = plan.from[field];
      return { field, fromLeadId, value: fromLeadId ? mergeFieldValue(byId.get(fromLeadId)!, field) : null };
    }),
    tags: plan.tags,
    notes: plan.notes,
    moves: await countMoves(
      tx,
      tenantId,
      body.keepId,
      plan.merged.map((m) => m.id),
    ),
  };
}
