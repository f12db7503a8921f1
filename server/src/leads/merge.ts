import { and, eq, inArray, sql } from 'drizzle-orm';
import { mergeFields, type MergeLeadsBody } from '@optarget/shared';
import { randomUUID } from 'node:crypto';
import { MERGE_UNDO_DAYS } from '@optarget/shared';
import { evidence, leadMerges, leads, reports, whatsappMessages } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit } from '../audit/record.js';
import type { TenantContext } from '../http/routes.js';
import { findLead, type LeadRow } from './dto.js';
import { columnsOf, countMoves, planMerge } from './merge-plan.js';
import { readKeptLead, readMergedLeads, type KeptLeadRestore } from './merge-snapshot.js';
import { rowsOf } from './restore-rows.js';

/** Columns the server keeps by itself; a person's choice of the field they belong to marks only the others as edited. */
const derived = new Set<keyof LeadRow>(['domain', 'phoneRaw', 'emailRaw', 'websiteRaw', 'reviewCount', 'scoreBasis', 'score']);

/**
 * Conversations are one per lead: the kept lead's absorbs each merged one. An opt-out on either
 * side wins (nobody is messaged who asked not to be); an opt-in fills a kept lead without consent.
 */
const conversationTakesConsent = sql.raw(
  `c.consent <> 'OPTED_OUT' and (excluded.consent = 'OPTED_OUT' or (c.consent = 'NONE' and excluded.consent = 'OPTED_IN'))`,
);
const consentColumns = ['consent', 'consent_source', 'consent_at', 'consent_by_user_id', 'consent_proof', 'opt_out_reason'];

async function moveConversation(tx: Tx, tenantId: string, keepId: string, mergedId: string) {
  const sets = [
    ...consentColumns.map(
      (c) => sql`${sql.raw(c)} = case when ${conversationTakesConsent} then ${sql.raw(`excluded.${c}`)} else ${sql.raw(`c.${c}`)} end`,
    ),
    ...['wa_id', 'profile_name', 'business_user_id', 'assigned_user_id'].map((c) => sql.raw(`${c} = coalesce(c.${c}, excluded.${c})`)),
    ...['last_inbound_at', 'last_message_at'].map((c) => sql.raw(`${c} = greatest(c.${c}, excluded.${c})`)),
    sql.raw('unread_count = c.unread_count + excluded.unread_count'),
    sql.raw('created_at = least(c.created_at, excluded.created_at)'),
    sql.raw('updated_at = now()'),
  ];
  const columns = `${consentColumns.join(', ')}, wa_id, profile_name, business_user_id, assigned_user_id, last_inbound_at, last_message_at, unread_count, created_at`;
  await tx.execute(sql`
    insert into whatsapp_conversations as c (tenant_id, lead_id, ${sql.raw(columns)})
    select tenant_id, ${keepId}::uuid, ${sql.raw(columns)} from whatsapp_conversations where tenant_id = ${tenantId} and lead_id = ${mergedId}
    on conflict (tenant_id, lead_id) do update set ${sql.join(sets, sql`, `)}`);
}

/** Sources without an id (an import, a form) are one per lead and kind: the kept lead's absorbs the merged one's. */
async function moveSources(tx: Tx, tenantId: string, keepId: string, mergedId: string) {
  await tx.execute(
    sql`update lead_sources set lead_id = ${keepId} where tenant_id = ${tenantId} and lead_id = ${mergedId} and source_id is not null`,
  );
  await tx.execute(sql`
    insert into lead_sources as s (tenant_id, lead_id, source, source_id, fields, job_id, first_seen_at, last_seen_at)
    select tenant_id, ${keepId}::uuid, source, null, fields, job_id, first_seen_at, last_seen_at
    from lead_sources where tenant_id = ${tenantId} and lead_id = ${mergedId} and source_id is null
    on conflict (lead_id, source, coalesce(source_id, '')) do update set
      first_seen_at = least(s.first_seen_at, excluded.first_seen_at),
      last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at),
      job_id = coalesce(s.job_id, excluded.job_id),
      fields = array(select distinct f from unnest(s.fields || excluded.fields) as f order by f)`);
}

/**
 * Moves every row that names a merged lead to the kept one: evidence, list memberships, the
 * searches and imports that found it, reports, WhatsApp messages, conversation and campaign recipients, sources,
 * duplicate marks and earlier merges. What the merged lead's deletion would otherwise cascade away
 * is copied first; a list or job the kept lead is already in keeps the kept lead's row.
 */
async function moveRows(tx: Tx, tenantId: string, keepId: string, mergedIds: string[]) {
  const merged = sql`${`{${mergedIds.join(',')}}`}::uuid[]`;
  await tx
    .update(evidence)
    .set({ leadId: keepId })
    .where(and(eq(evidence.tenantId, tenantId), inArray(evidence.leadId, mergedIds)));
  const addedLists = await rowsOf<{ list_id: string; added_at: string }>(
    tx,
    sql`
    insert into lead_lists (tenant_id, list_id, lead_id, added_by_user_id, added_at)
    select distinct on (list_id) tenant_id, list_id, ${keepId}::uuid, added_by_user_id, added_at
    from lead_lists where tenant_id = ${tenantId} and lead_id = any(${merged}) order by list_id, added_at
    on conflict do nothing returning list_id, to_jsonb(added_at) as added_at`,
  );
  const addedJobs = await rowsOf<{ job_id: string }>(
    tx,
    sql`
    insert into job_leads (tenant_id, job_id, lead_id, outcome)
    select distinct on (job_id) tenant_id, job_id, ${keepId}::uuid, outcome
    from job_leads where tenant_id = ${tenantId} and lead_id = any(${merged}) order by job_id, outcome desc
    on conflict do nothing returning job_id`,
  );
  await tx
    .update(reports)
    .set({ leadId: keepId })
    .where(and(eq(reports.tenantId, tenantId), inArray(reports.leadId, mergedIds)));
  await tx
    .update(whatsappMessages)
    .set({ leadId: keepId })
    .where(and(eq(whatsappMessages.tenantId, tenantId), inArray(whatsappMessages.leadId, mergedIds)));
  // One recipient per campaign and lead: where the kept lead is already one, the merged lead's row loses its lead as on deletion.
  await tx.execute(sql`
    update whatsapp_campaign_recipients set lead_id = ${keepId}
    where id in (
      select distinct on (campaign_id) id from whatsapp_campaign_recipients r
      where r.tenant_id = ${tenantId} and r.lead_id = any(${merged})
        and not exists (select 1 from whatsapp_campaign_recipients k where k.campaign_id = r.campaign_id and k.lead_id = ${keepId})
      order by campaign_id, position)`);
  for (const mergedId of mergedIds) {
    await moveConversation(tx, tenantId, keepId, mergedId);
    await moveSources(tx, tenantId, keepId, mergedId);
  }
  const notDismissed = sql.raw(
    'not exists (select 1 from lead_duplicate_dismissals s where s.lead_id = least(d.lead_id, d.other_lead_id) and s.other_lead_id = greatest(d.lead_id, d.other_lead_id))',
  );
  const addedDuplicates = await rowsOf<{ lead_id: string; other_lead_id: string }>(
    tx,
    sql`
    insert into lead_duplicates (tenant_id, lead_id, other_lead_id, reason, similarity, distance_m, created_at)
    select * from (
      select tenant_id, ${keepId}::uuid as lead_id, other_lead_id, reason, similarity, distance_m, created_at from lead_duplicates
      where tenant_id = ${tenantId} and lead_id = any(${merged}) and other_lead_id <> ${keepId} and not other_lead_id = any(${merged})
      union all
      select tenant_id, lead_id, ${keepId}::uuid, reason, similarity, distance_m, created_at from lead_duplicates
      where tenant_id = ${tenantId} and other_lead_id = any(${merged}) and lead_id <> ${keepId} and not lead_id = any(${merged})
    ) d where ${notDismissed}
    on conflict do nothing returning lead_id, other_lead_id`,
  );
  await tx.execute(
    sql`delete from lead_duplicates where tenant_id = ${tenantId} and ((lead_id = ${keepId} and other_lead_id = any(${merged})) or (other_lead_id = ${keepId} and lead_id = any(${merged})))`,
  );
  await tx.execute(
    sql`update lead_merges set kept_lead_id = ${keepId} where tenant_id = ${tenantId} and kept_lead_id = any(${merged}) and undone_at is null`,
  );
  return { addedLists, addedJobs: addedJobs.map((j) => j.job_id), addedDuplicates };
}

/**
 * Merges leads into one, in the caller's transaction: the kept lead takes each field from the lead
 * chosen for it, every tag and note, and every row that named the others; the others are deleted
 * (their ids answer 404 naming the kept lead from then on) and recorded in `lead_merges` with what
 * undoing the merge needs for `MERGE_UNDO_DAYS` (merge-undo.ts). One audit entry.
 */
export async function mergeLeads(ctx: TenantContext, body: MergeLeadsBody) {
  const { tx, tenantId } = ctx;
  const plan = await planMerge(tx, tenantId, body, true);
  const mergedIds = plan.merged.map((m) => m.id);
  const moves = await countMoves(tx, tenantId, plan.keep.id, mergedIds);
  const rows = new Map([plan.keep, ...plan.merged].map((r) => [r.id, r]));
  const patch: Partial<LeadRow> = {};
  for (const field of mergeFields) {
    const from = plan.from[field];
    if (!from || from === plan.keep.id) continue;
    for (const column of columnsOf[field]) Object.assign(patch, { [column]: rows.get(from)![column] });
  }
  const chosen = mergeFields.filter((f) => body.fields?.[f]).flatMap((f) => columnsOf[f].filter((c) => !derived.has(c)));
  const all = [plan.keep, ...plan.merged];
  const restores = await readMergedLeads(tx, tenantId, mergedIds);
  const keptBefore = await readKeptLead(tx, tenantId, plan.keep.id);
  const added = await moveRows(tx, tenantId, plan.keep.id, mergedIds);
  await tx.delete(leads).where(and(eq(leads.tenantId, tenantId), inArray(leads.id, mergedIds)));
  await tx
    .update(leads)
    .set({
      ...patch,
      tags: plan.tags,
      notes: plan.notes,
      whatsappOptOut: all.some((r) => r.whatsappOptOut),
      whatsappOptOutAt: all.find((r) => r.whatsappOptOut)?.whatsappOptOutAt ?? plan.keep.whatsappOptOutAt,
      editedFields: [...new Set([...all.flatMap((r) => r.editedFields), ...chosen])],
    })
    .where(and(eq(leads.tenantId, tenantId), eq(leads.id, plan.keep.id)));
  const keptAfter = await readKeptLead(tx, tenantId, plan.keep.id);
  const keptRestore: KeptLeadRestore = {
    before: keptBefore.lead,
    after: keptAfter.lead,
    conversationBefore: keptBefore.conversation,
    conversationAfter: keptAfter.conversation,
    sourcesBefore: keptBefore.sources,
    sourcesAfter: keptAfter.sources,
    ...added,
  };
  const mergeId = randomUUID();
  const [{ mergedAt }] = await tx
    .insert(leadMerges)
    .values(
      plan.merged.map((m) => ({
        tenantId,
        mergeId,
        mergedLeadId: m.id,
        keptLeadId: plan.keep.id,
        snapshot: JSON.parse(JSON.stringify(m)) as Record<string, unknown>,
        restore: restores.get(m.id)!,
        keptRestore,
        mergedByUserId: ctx.actor.userId,
      })),
    )
    .returning({ mergedAt: leadMerges.mergedAt });
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'lead.merged',
    targetType: 'lead',
    targetId: plan.keep.id,
    metadata: {
      keptLeadId: plan.keep.id,
      mergedLeadIds: mergedIds,
      mergedNames: plan.merged.map((m) => m.name),
      fields: plan.from,
      moves,
      mergeId,
    },
  });
  const undoUntil = new Date(mergedAt.getTime() + MERGE_UNDO_DAYS * 86_400_000).toISOString();
  return { lead: await findLead(tx, tenantId, plan.keep.id), mergedLeadIds: mergedIds, moves, mergeId, undoUntil };
}
