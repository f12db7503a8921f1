import { and, count, desc, eq, inArray, max, sql } from 'drizzle-orm';
import {
  reportAuditActions,
  type GenerateReportInput,
  type Report,
  type ReportLanguage,
  type ReportListQuery,
  type ReportShare,
} from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import { firstPageTotal } from '../db/count.js';
import { jobs, reportShares, reportViews, reports, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError, notFound } from '../errors/catalogue.js';
import { afterTimeCursor, exactTime, toPage } from '../http/cursor.js';
import type { TenantContext } from '../http/routes.js';
import { startJob } from '../jobs/start.js';
import { getBranding } from '../settings/branding.js';

/**
 * A report whose job ended without it (cancelled, or failed after its retries) takes the job's
 * outcome: the job never reaches the report row then, and "in progress" would be untrue.
 */
export const reportStatus = sql<
  Report['status']
>`case when ${reports.status} in ('PENDING', 'RUNNING') and ${jobs.status} in ('FAILED', 'CANCELLED') then ${jobs.status}::text else ${reports.status}::text end`;

/** The report's error, or its job's when the job ended without reaching the report. */
export const reportError = sql<string | null>`coalesce(${reports.error}, ${jobs.error})`;

const columns = {
  id: reports.id,
  leadId: reports.leadId,
  listId: reports.listId,
  subjectName: reports.subjectName,
  language: reports.language,
  status: reportStatus,
  jobId: reports.jobId,
  contentType: reports.contentType,
  sizeBytes: reports.sizeBytes,
  pageCount: reports.pageCount,
  error: reportError,
  createdById: reports.createdByUserId,
  createdByName: users.name,
  createdAt: reports.createdAt,
  generatedAt: reports.generatedAt,
  at: exactTime(reports.createdAt),
};
type Row = Omit<typeof reports.$inferSelect, 'tenantId' | 'file' | 'fileName' | 'storageKey' | 'document' | 'createdByUserId'> & {
  createdById: string | null;
  createdByName: string | null;
  at: string;
};

const viewedSql = sql`exists (select 1 from ${reportViews} where ${reportViews.reportId} = ${reports.id})`;

export const toShareDto = (s: typeof reportShares.$inferSelect, now = new Date()): ReportShare => ({
  id: s.id,
  expiresAt: s.expiresAt.toISOString(),
  revokedAt: s.revokedAt?.toISOString() ?? null,
  createdAt: s.createdAt.toISOString(),
  active: !s.revokedAt && s.expiresAt > now,
});

/** The view counts and share links of the given reports, in two grouped queries whatever their number. */
async function decorate(tx: Tx, tenantId: string, rows: Row[]): Promise<Map<string, Pick<Report, 'views' | 'shares'>>> {
  const ids = rows.map((r) => r.id);
  const out = new Map(ids.map((id) => [id, { views: { count: 0, lastAt: null as string | null }, shares: [] as ReportShare[] }]));
  if (ids.length === 0) return out;
  const views = await tx
    .select({ reportId: reportViews.reportId, n: count(), last: max(reportViews.viewedAt) })
    .from(reportViews)
    .where(and(eq(reportViews.tenantId, tenantId), inArray(reportViews.reportId, ids)))
    .groupBy(reportViews.reportId);
  for (const v of views) out.get(v.reportId)!.views = { count: v.n, lastAt: v.last ? new Date(v.last).toISOString() : null };
  const shares = await tx
    .select()
    .from(reportShares)
    .where(and(eq(reportShares.tenantId, tenantId), inArray(reportShares.reportId, ids)))
    .orderBy(desc(reportShares.createdAt));
  for (const s of shares) out.get(s.reportId)!.shares.push(toShareDto(s));
  return out;
}

const toDto = (row: Row, extra: Pick<Report, 'views' | 'shares'>): Report => ({
  id: row.id,
  kind: row.listId ? 'list' : 'lead',
  leadId: row.leadId,
  listId: row.listId,
  subjectName: row.subjectName,
  language: row.language as ReportLanguage,
  status: row.status,
  jobId: row.jobId,
  contentType: row.contentType,
  sizeBytes: row.sizeBytes,
  pageCount: row.pageCount,
  error: row.error,
  createdBy: row.createdById && row.createdByName !== null ? { id: row.createdById, name: row.createdByName } : null,
  createdAt: row.createdAt.toISOString(),
  generatedAt: row.generatedAt?.toISOString() ?? null,
  ...extra,
});

const selectReports = (tx: Tx) =>
  tx.select(columns).from(reports).leftJoin(users, eq(users.id, reports.createdByUserId)).leftJoin(jobs, eq(jobs.id, reports.jobId));

/** The tenant's reports, newest first, with filters. */
export async function findReports(tx: Tx, tenantId: string, query: ReportListQuery) {
  const matching = and(
    eq(reports.tenantId, tenantId),
    query.leadId ? eq(reports.leadId, query.leadId) : undefined,
    query.listId ? eq(reports.listId, query.listId) : undefined,
    query.language ? eq(reports.language, query.language) : undefined,
    query.status ? sql`${reportStatus} = ${query.status}` : undefined,
    query.viewed === undefined ? undefined : query.viewed ? viewedSql : sql`not ${viewedSql}`,
  );
  const rows = await selectReports(tx)
    .where(and(matching, afterTimeCursor(query.cursor, reports.createdAt, reports.id, 'desc')))
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(query.limit + 1);
  const extra = await decorate(tx, tenantId, rows);
  // The job's status is part of a report's status, so counting joins it as the page does.
  const total = await firstPageTotal(tx, query.cursor, () =>
    tx
      .select({ one: sql`1` })
      .from(reports)
      .leftJoin(jobs, eq(jobs.id, reports.jobId))
      .where(matching),
  );
  return { ...toPage(rows, query.limit, (row) => toDto(row, extra.get(row.id)!)), total };
}

/** One report of the tenant; a missing and a foreign one are the same 404. */
export async function findReport(tx: Tx, tenantId: string, reportId: string): Promise<Report> {
  const [row] = await selectReports(tx).where(and(eq(reports.tenantId, tenantId), eq(reports.id, reportId)));
  if (!row) throw notFound('No such report.');
  return toDto(row, (await decorate(tx, tenantId, [row])).get(row.id)!);
}

/** Starts a report in a known language: the job (plan limit checked before it exists) and the PENDING row users see at once. */
export async function startReport(ctx: TenantContext, input: GenerateReportInput, language: ReportLanguage): Promise<string> {
  const job = await startJob(ctx, 'GENERATE_REPORT', { ...input, language });
  const [row] = await ctx.tx
    .insert(reports)
    .values({
      tenantId: ctx.tenantId,
      jobId: job.id,
      leadId: input.leadId,
      listId: input.listId,
      language,
      createdByUserId: ctx.actor.userId,
    })
    .returning({ id: reports.id });
  return row.id;
}

/** Starts a report, in the tenant's report language unless told. */
export async function createReport(ctx: TenantContext, input: GenerateReportInput): Promise<Report> {
  const language = input.language ?? (await getBranding(ctx.tx, ctx.tenantId)).reportLanguage;
  return findReport(ctx.tx, ctx.tenantId, await startReport(ctx, input, language));
}

/**
 * Renders the report again with today's data and branding, in one step whatever its last run
 * ended as (done, failed or cancelled); its share links stay valid. One still being generated is
 * refused, as two jobs would race to store it.
 */
export async function regenerateReport(ctx: TenantContext, reportId: string): Promise<Report> {
  const report = await findReport(ctx.tx, ctx.tenantId, reportId);
  if (report.status === 'PENDING' || report.status === 'RUNNING')
    throw new AppError('CONFLICT', 'This report is being generated; generate it again once it is done.', {
      reason: 'reportGeneratingRegenerate',
    });
  const input: GenerateReportInput = report.leadId
    ? { leadId: report.leadId, language: report.language }
    : { listId: report.listId!, language: report.language };
  const job = await startJob(ctx, 'GENERATE_REPORT', input);
  await ctx.tx
    .update(reports)
    .set({ jobId: job.id, status: 'PENDING', error: null })
    .where(and(eq(reports.tenantId, ctx.tenantId), eq(reports.id, reportId)));
  return findReport(ctx.tx, ctx.tenantId, reportId);
}

/** Deletes a finished report; one still being generated is refused (its job would store it again). */
export async function deleteReport(ctx: TenantContext, reportId: string) {
  const report = await findReport(ctx.tx, ctx.tenantId, reportId);
  if (report.status === 'PENDING' || report.status === 'RUNNING')
    throw new AppError('CONFLICT', 'This report is being generated; delete it once it is done.', { reason: 'reportGeneratingDelete' });
  const [gone] = await ctx.tx
    .delete(reports)
    .where(and(eq(reports.tenantId, ctx.tenantId), eq(reports.id, reportId)))
    .returning({ id: reports.id, subjectName: reports.subjectName });
  if (!gone) throw notFound('No such report.');
  await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
    action: reportAuditActions.deleted,
    targetType: 'report',
    targetId: reportId,
    metadata: { subjectName: gone.subjectName },
  });
}
