import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { MERGE_UNDO_DAYS, type LeadMergeEntry } from '@optarget/shared';
import { leadMerges, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit } from '../audit/record.js';
import { AppError } from '../errors/catalogue.js';
import type { TenantContext } from '../http/routes.js';
import { findLead, findLeadRow } from './dto.js';
import type { KeptLeadRestore, MergedLeadRestore } from './merge-snapshot.js';
import { insertRows, restoreColumns } from './restore-rows.js';

const DAY_MS = 86_400_000;
/** Lead columns the database or the merge itself keeps; undoing never sets them back. */
const keptBySystem = ['id', 'tenant_id', 'created_at', 'updated_at', 'search_text', 'name_key'];
const generated = ['search_text', 'name_key'];

const undoUntil = (mergedAt: Date) => new Date(mergedAt.getTime() + MERGE_UNDO_DAYS * DAY_MS);
const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** The lead a merged lead's id now leads to (the last kept lead of a chain), or null when it was not merged. */
export async function findMergedInto(tx: Tx, tenantId: string, leadId: string): Promise<string | null> {
  const [row] = await tx
    .select({ keptLeadId: leadMerges.keptLeadId })
    .from(leadMerges)
    .where(and(eq(leadMerges.tenantId, tenantId), eq(leadMerges.mergedLeadId, leadId), isNull(leadMerges.undoneAt)));
  return row?.keptLeadId ?? null;
}

/** One lead; a merged lead's id answers 404 with `mergedInto`, the lead it was merged into. */
export async function findLeadOrMergedInto(tx: Tx, tenantId: string, leadId: string) {
  const mergedInto = await findMergedInto(tx, tenantId, leadId);
  if (mergedInto) throw new AppError('NOT_FOUND', 'This lead was merged into another.', { mergedInto });
  return findLead(tx, tenantId, leadId);
}

/** The merges into a lead not undone, newest first, each with whether and until when it can be undone. */
export async function findLeadMerges(tx: Tx, tenantId: string, leadId: string): Promise<{ items: LeadMergeEntry[] }> {
  await findLeadRow(tx, tenantId, leadId);
  const rows = await tx
    .select({ merge: leadMerges, byName: users.name })
    .from(leadMerges)
    .leftJoin(users, eq(users.id, leadMerges.mergedByUserId))
    .where(and(eq(leadMerges.tenantId, tenantId), eq(leadMerges.keptLeadId, leadId), isNull(leadMerges.undoneAt)))
    .orderBy(asc(leadMerges.mergedAt), asc(leadMerges.id));
  const byMerge = new Map<string, LeadMergeEntry>();
  const now = Date.now();
  for (const { merge, byName } of rows) {
    const name = typeof merge.snapshot.name === 'string' ? merge.snapshot.name : '';
    const entry = byMerge.get(merge.mergeId);
    if (entry) {
      entry.mergedLeads.push({ id: merge.mergedLeadId, name });
      continue;
    }
    const kept = merge.keptRestore as KeptLeadRestore | null;
    byMerge.set(merge.mergeId, {
      mergeId: merge.mergeId,
      mergedLeads: [{ id: merge.mergedLeadId, name }],
      mergedAt: merge.mergedAt.toISOString(),
      mergedByName: byName,
      undoUntil: undoUntil(merge.mergedAt).toISOString(),
      undoable: !!merge.restore && kept?.before.id === leadId && undoUntil(merge.mergedAt).getTime() > now,
    });
  }
  return { items: [...byMerge.values()].reverse() };
}

/** Finds a merge into the lead and says why it cannot be undone, if it cannot. */
async function lockUndoableMerge(tx: Tx, tenantId: string, keptLeadId: string, mergeId: string) {
  const rows = await tx
    .select()
    .from(leadMerges)
    .where(and(eq(leadMerges.tenantId, tenantId), eq(leadMerges.mergeId, mergeId)))
    .orderBy(asc(leadMerges.id))
    .for('update');
  if (!rows.length || rows.some((r) => r.keptLeadId !== keptLeadId)) throw new AppError('NOT_FOUND', 'No such merge into this lead.');
  if (rows.some((r) => r.undoneAt)) throw new AppError('MERGE_ALREADY_UNDONE', 'This merge was already undone.');
  if (rows.some((r) => !r.restore || !r.keptRestore) || undoUntil(rows[0].mergedAt).getTime() <= Date.now())
    throw new AppError('MERGE_UNDO_EXPIRED', `A merge can be undone for ${MERGE_UNDO_DAYS} days.`, { days: MERGE_UNDO_DAYS });
  const kept = rows[0].keptRestore as KeptLeadRestore;
  if (kept.before.id !== keptLeadId)
    throw new AppError('MERGE_UNDO_BLOCKED', 'The lead this merge kept was merged into this one since: undo that merge first.', {
      reason: 'keptMerged',
    });
  return { rows, kept, merged: rows.map((r) => r.restore as MergedLeadRestore) };
}

/** Its sources without an id go back as they were before; one the merge created is removed unless a source found it again since. */
async function restoreKeptSources(tx: Tx, tenantId: string, kept: KeptLeadRestore) {
  for (const after of kept.sourcesAfter) {
    const before = kept.sourcesBefore.find((b) => b.source === after.source);
    if (before) {
      await restoreColumns(tx, 'lead_sources', sql`x.tenant_id = ${tenantId} and x.id = ${after.id}`, before, after, ['id', 'lead_id']);
    } else {
      await tx.execute(
        sql`delete from lead_sources where tenant_id = ${tenantId} and id = ${after.id} and last_seen_at = ${after.last_seen_at}::timestamptz`,
      );
    }
  }
}

/** The kept lead's conversation goes back to what it was; one the merge created goes once none of its messages remain. */
async function restoreKeptConversation(tx: Tx, tenantId: string, keptId: string, kept: KeptLeadRestore) {
  if (!kept.conversationAfter) return;
  if (kept.conversationBefore) {
    await restoreColumns(
      tx,
      'whatsapp_conversations',
      sql`x.tenant_id = ${tenantId} and x.lead_id = ${keptId}`,
      kept.conversationBefore,
      kept.conversationAfter,
      ['tenant_id', 'lead_id', 'updated_at'],
    );
    return;
  }
  await tx.execute(sql`
    delete from whatsapp_conversations c where c.tenant_id = ${tenantId} and c.lead_id = ${keptId}
      and not exists (select 1 from whatsapp_messages w where w.tenant_id = ${tenantId} and w.lead_id = ${keptId})`);
}

/** Moves rows back by id, only those still on the kept lead (one deleted since stays deleted). */
async function moveBack(tx: Tx, tenantId: string, table: string, ids: string[], keptId: string, mergedId: string) {
  if (!ids.length) return;
  await tx.execute(sql`
    update ${sql.identifier(table)} set lead_id = ${mergedId}
    where tenant_id = ${tenantId} and lead_id = ${keptId} and id = any(${uuidArray(ids)})`);
}

async function restoreMergedLead(tx: Tx, tenantId: string, keptId: string, m: MergedLeadRestore) {
  const id = m.lead.id as string;
  for (const [table, ids] of [
    ['evidence', m.evidence],
    ['reports', m.reports],
    ['whatsapp_messages', m.messages],
    ['lead_sources', m.sources],
  ] as const)
    await moveBack(tx, tenantId, table, ids, keptId, id);
  if (m.recipients?.length)
    await tx.execute(sql`
      update whatsapp_campaign_recipients set lead_id = ${id}
      where tenant_id = ${tenantId} and (lead_id = ${keptId} or lead_id is null) and id = any(${uuidArray(m.recipients)})`);
  if (m.merges.length)
    await tx.execute(
      sql`update lead_merges set kept_lead_id = ${id} where tenant_id = ${tenantId} and kept_lead_id = ${keptId} and id = any(${uuidArray(m.merges)})`,
    );
  const { rows } = m;
  await insertRows(tx, 'lead_lists', rows.lead_lists, { required: { list_id: 'lists' }, nullable: { added_by_user_id: 'users' } });
  await insertRows(tx, 'job_leads', rows.job_leads, { required: { job_id: 'jobs' } });
  await insertRows(tx, 'lead_sources', rows.lead_sources, { nullable: { job_id: 'jobs' } });
  await insertRows(tx, 'whatsapp_conversations', rows.whatsapp_conversations, {
    nullable: { consent_by_user_id: 'users', assigned_user_id: 'users' },
  });
  const bothLeads = { lead_id: 'leads', other_lead_id: 'leads' };
  await insertRows(tx, 'lead_duplicates', rows.lead_duplicates, { required: bothLeads });
  await insertRows(tx, 'lead_duplicate_dismissals', rows.lead_duplicate_dismissals, {
    required: bothLeads,
    nullable: { dismissed_by_user_id: 'users' },
  });
}

/**
 * Undoes a merge into `keptLeadId` within `MERGE_UNDO_DAYS`, in the caller's transaction: the
 * merged leads come back with their own ids, fields and rows; the kept lead's fields the merge
 * changed go back unless changed since; what reached the kept lead after the merge stays on it.
 * A merged lead whose place another lead has taken since blocks the undo (409), as does a kept
 * lead merged away. One audit entry.
 */
export async function undoMerge(ctx: TenantContext, keptLeadId: string, mergeId: string) {
  const { tx, tenantId } = ctx;
  await findLeadRow(tx, tenantId, keptLeadId);
  const { rows, kept, merged } = await lockUndoableMerge(tx, tenantId, keptLeadId, mergeId);
  await tx.execute(sql`select 1 from leads where tenant_id = ${tenantId} and id = ${keptLeadId} for update`);
  const restoredFields = await restoreColumns(
    tx,
    'leads',
    sql`x.tenant_id = ${tenantId} and x.id = ${keptLeadId}`,
    kept.before,
    kept.after,
    keptBySystem,
  );
  const back = await insertRows(
    tx,
    'leads',
    merged.map((m) => m.lead),
    { skip: generated, nullable: { owner_user_id: 'users', created_by_user_id: 'users' } },
  );
  if (back !== merged.length)
    throw new AppError('MERGE_UNDO_BLOCKED', 'Another lead now has the same source as a merged lead; merge or delete it first.', {
      reason: 'sameSource',
    });
  const ofKept = sql`tenant_id = ${tenantId} and lead_id = ${keptLeadId}`;
  if (kept.addedLists.length)
    await tx.execute(sql`delete from lead_lists l using jsonb_to_recordset(${JSON.stringify(kept.addedLists)}::jsonb) as a(list_id uuid, added_at timestamptz)
      where l.tenant_id = ${tenantId} and l.lead_id = ${keptLeadId} and l.list_id = a.list_id and l.added_at = a.added_at`);
  if (kept.addedJobs.length) await tx.execute(sql`delete from job_leads where ${ofKept} and job_id = any(${uuidArray(kept.addedJobs)})`);
  if (kept.addedDuplicates.length)
    await tx.execute(sql`delete from lead_duplicates d using jsonb_to_recordset(${JSON.stringify(kept.addedDuplicates)}::jsonb) as a(lead_id uuid, other_lead_id uuid)
      where d.tenant_id = ${tenantId} and d.lead_id = a.lead_id and d.other_lead_id = a.other_lead_id`);
  await restoreKeptSources(tx, tenantId, kept);
  for (const m of merged) await restoreMergedLead(tx, tenantId, keptLeadId, m);
  await restoreKeptConversation(tx, tenantId, keptLeadId, kept);
  await tx
    .update(leadMerges)
    .set({ undoneAt: sql`now()`, undoneByUserId: ctx.actor.userId })
    .where(and(eq(leadMerges.tenantId, tenantId), eq(leadMerges.mergeId, mergeId)));
  const restoredLeadIds = rows.map((r) => r.mergedLeadId);
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'lead.merge_undone',
    targetType: 'lead',
    targetId: keptLeadId,
    metadata: {
      keptLeadId,
      mergeId,
      restoredLeadIds,
      restoredNames: merged.map((m) => String(m.lead.name)),
      restoredFields,
    },
  });
  return { lead: await findLead(tx, tenantId, keptLeadId), restoredLeadIds };
}
