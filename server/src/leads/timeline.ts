import { and, desc, eq, inArray, isNull, ne, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { LeadActivityItem, LeadActivityPage } from '@optarget/shared';
import {
  auditLogs,
  importUploads,
  jobLogs,
  jobs,
  leadMerges,
  leadSources,
  leads,
  reportViews,
  reports,
  users,
  whatsappMessages,
} from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { exactTime, timeCursor, type TimePosition } from '../http/cursor.js';

type Entry = TimePosition & Omit<LeadActivityItem, 'createdAt'>;
type Source = (ids: string[], before: TimePosition | undefined, limit: number) => Promise<Entry[]>;

/** Rows strictly before the position in (time desc, id desc) order; the time may be an expression. */
const beforePosition = (position: TimePosition | undefined, time: AnyColumn | SQL, id: AnyColumn): SQL | undefined =>
  position ? sql`(${time}, ${id}) < (${position.at}::timestamptz, ${position.id}::uuid)` : undefined;

/**
 * The lead's history, newest first, one page at a time: its audit entries and the list changes that
 * named it, the enrichment runs that visited its website, the imports that brought it, its WhatsApp
 * messages, and its reports with their views. Each kind is read up to the page's size before the
 * cursor and the kinds are merged, so a page is exact whichever kinds it mixes.
 */
export async function findLeadTimeline(
  tx: Tx,
  tenantId: string,
  leadId: string,
  query: { cursor?: string; limit: number },
): Promise<LeadActivityPage> {
  const before = timeCursor.read(query.cursor);
  // A lead merged into this one brought its history along.
  const merged = await tx
    .select({ id: leadMerges.mergedLeadId })
    .from(leadMerges)
    .where(and(eq(leadMerges.tenantId, tenantId), eq(leadMerges.keptLeadId, leadId), isNull(leadMerges.undoneAt)));
  const ids = [leadId, ...merged.map((m) => m.id)];
  const sources: Source[] = [auditEntries, enrichmentRuns, imports, messages, reportRuns, reportViewings].map(
    (source) => (leadIds: string[], position: TimePosition | undefined, limit: number) => source(tx, tenantId, leadIds, position, limit),
  );
  const found = (await Promise.all(sources.map((source) => source(ids, before, query.limit + 1)))).flat();
  found.sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const kept = found.slice(0, query.limit);
  const last = kept.at(-1);
  return {
    items: kept.map(({ at, ...item }) => ({ ...item, createdAt: at })),
    nextCursor: found.length > query.limit && last ? timeCursor.encode({ at: last.at, id: last.id }) : null,
  };
}

/** The lead's audit entries and the list changes that named it; a sent message is told by the message itself. */
async function auditEntries(tx: Tx, tenantId: string, ids: string[], position: TimePosition | undefined, limit: number) {
  const rows = await tx
    .select({ entry: auditLogs, at: exactTime(auditLogs.createdAt), actorName: users.name })
    .from(auditLogs)
    .leftJoin(users, eq(users.id, auditLogs.actorUserId))
    .where(
      and(
        eq(auditLogs.tenantId, tenantId),
        or(
          and(eq(auditLogs.targetType, 'lead'), inArray(auditLogs.targetId, ids), ne(auditLogs.action, 'whatsapp.message_sent')),
          and(
            eq(auditLogs.targetType, 'list'),
            inArray(auditLogs.action, ['list.leads_added', 'list.leads_removed']),
            or(...ids.map((id) => sql`${auditLogs.metadata} -> 'leadIds' @> to_jsonb(${id}::text)`)),
          ),
        ),
        beforePosition(position, auditLogs.createdAt, auditLogs.id),
      ),
    )
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
    .limit(limit);
  return rows.map(({ entry, at, actorName }) => ({
    id: entry.id,
    at,
    action: entry.action,
    actorName: actorName ?? entry.actorEmail,
    metadata: entry.metadata ?? {},
  }));
}

/** Each enrichment run's line about the lead's website: what came of the visit and how many findings it made. */
async function enrichmentRuns(tx: Tx, tenantId: string, ids: string[], position: TimePosition | undefined, limit: number) {
  const leadOf = sql<string>`(${jobLogs.data} ->> 'leadId')`;
  const rows = await tx
    .select({ log: jobLogs, at: exactTime(jobLogs.createdAt), actorName: users.name })
    .from(jobLogs)
    .innerJoin(jobs, eq(jobs.id, jobLogs.jobId))
    .leftJoin(users, eq(users.id, jobs.createdByUserId))
    .where(
      and(
        eq(jobLogs.tenantId, tenantId),
        inArray(leadOf, ids),
        eq(jobs.type, 'ENRICH_LEADS'),
        beforePosition(position, jobLogs.createdAt, jobLogs.id),
      ),
    )
    .orderBy(desc(jobLogs.createdAt), desc(jobLogs.id))
    .limit(limit);
  return rows.map(({ log, at, actorName }) => {
    const data = log.data ?? {};
    const pages = Array.isArray(data.pages) ? data.pages.length : 0;
    return {
      id: log.id,
      at,
      action: 'enrichment.visited',
      actorName,
      metadata: {
        jobId: log.jobId,
        outcome: log.level === 'error' ? 'failed' : (data.outcome ?? (pages ? 'read' : 'unreachable')),
        pagesRead: pages,
        findings: typeof data.evidence === 'number' ? data.evidence : 0,
        website: data.website ?? null,
      },
    };
  });
}

/** The imports that last brought the lead, with their file: the lead was created by one, or found again. */
async function imports(tx: Tx, tenantId: string, ids: string[], position: TimePosition | undefined, limit: number) {
  const rows = await tx
    .select({
      id: leadSources.id,
      at: exactTime(leadSources.lastSeenAt),
      jobId: leadSources.jobId,
      created: sql<boolean>`${leadSources.firstSeenAt} = ${leadSources.lastSeenAt} and ${leads.source} = 'csv'`,
      fileName: importUploads.fileName,
      actorName: users.name,
    })
    .from(leadSources)
    .innerJoin(leads, eq(leads.id, leadSources.leadId))
    .innerJoin(jobs, eq(jobs.id, leadSources.jobId))
    .leftJoin(importUploads, eq(importUploads.id, sql`(${jobs.input} ->> 'uploadId')::uuid`))
    .leftJoin(users, eq(users.id, jobs.createdByUserId))
    .where(
      and(
        eq(leadSources.tenantId, tenantId),
        inArray(leadSources.leadId, ids),
        eq(leadSources.source, 'csv'),
        eq(jobs.type, 'IMPORT_LEADS'),
        beforePosition(position, leadSources.lastSeenAt, leadSources.id),
      ),
    )
    .orderBy(desc(leadSources.lastSeenAt), desc(leadSources.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    action: r.created ? 'import.created_lead' : 'import.found_lead',
    actorName: r.actorName,
    metadata: { jobId: r.jobId, fileName: r.fileName },
  }));
}

/** Every WhatsApp message to or from the lead, with its status as it stands now. */
async function messages(tx: Tx, tenantId: string, ids: string[], position: TimePosition | undefined, limit: number) {
  const m = whatsappMessages;
  const rows = await tx
    .select({ message: m, at: exactTime(m.createdAt), actorName: users.name })
    .from(m)
    .leftJoin(users, eq(users.id, m.sentByUserId))
    .where(and(eq(m.tenantId, tenantId), inArray(m.leadId, ids), beforePosition(position, m.createdAt, m.id)))
    .orderBy(desc(m.createdAt), desc(m.id))
    .limit(limit);
  return rows.map(({ message, at, actorName }) => ({
    id: message.id,
    at,
    action: message.direction === 'IN' ? 'whatsapp.message_received' : 'whatsapp.message',
    actorName,
    metadata: {
      status: message.status,
      type: message.type,
      template: message.templateName,
      text: message.text,
      reportId: message.reportId,
      error: message.errorTitle,
      errorCode: message.errorCode,
    },
  }));
}

/** The lead's reports that were made, or could not be. */
async function reportRuns(tx: Tx, tenantId: string, ids: string[], position: TimePosition | undefined, limit: number) {
  const time = sql`coalesce(${reports.generatedAt}, ${reports.createdAt})`;
  const rows = await tx
    .select({ report: reports, at: exactTime(time), actorName: users.name })
    .from(reports)
    .leftJoin(users, eq(users.id, reports.createdByUserId))
    .where(
      and(
        eq(reports.tenantId, tenantId),
        inArray(reports.leadId, ids),
        inArray(reports.status, ['SUCCEEDED', 'FAILED']),
        beforePosition(position, time, reports.id),
      ),
    )
    .orderBy(desc(time), desc(reports.id))
    .limit(limit);
  return rows.map(({ report, at, actorName }) => ({
    id: report.id,
    at,
    action: report.status === 'SUCCEEDED' ? 'report.made' : 'report.failed',
    actorName,
    metadata: { reportId: report.id, language: report.language, pages: report.pageCount },
  }));
}

/** The openings of the lead's shared reports. */
async function reportViewings(tx: Tx, tenantId: string, ids: string[], position: TimePosition | undefined, limit: number) {
  const rows = await tx
    .select({ id: reportViews.id, at: exactTime(reportViews.viewedAt), reportId: reportViews.reportId, device: reportViews.device })
    .from(reportViews)
    .innerJoin(reports, eq(reports.id, reportViews.reportId))
    .where(
      and(eq(reportViews.tenantId, tenantId), inArray(reports.leadId, ids), beforePosition(position, reportViews.viewedAt, reportViews.id)),
    )
    .orderBy(desc(reportViews.viewedAt), desc(reportViews.id))
    .limit(limit);
  return rows.map((v) => ({
    id: v.id,
    at: v.at,
    action: 'report.viewed',
    actorName: null,
    metadata: { reportId: v.reportId, device: v.device },
  }));
}
