import { and, asc, desc, eq, sql } from 'drizzle-orm';
import yazl from 'yazl';
import { MAX_BUNDLE_LEADS, reportAuditActions, type ReportLanguage } from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import { jobs, leadLists, leads, lists, reports } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError, notFound } from '../errors/catalogue.js';
import type { TenantContext } from '../http/routes.js';
import { getBranding } from '../settings/branding.js';
import { attachmentHeader, reportFileName } from './files.js';
import { reportError, reportStatus, startReport } from './reports.js';
import { databaseReportStorage } from './storage.js';

/** The list's leads, best opportunity first: 404 for a missing or foreign list, 409 for an empty or too large one. */
async function leadsOfList(tx: Tx, tenantId: string, listId: string) {
  const [list] = await tx
    .select({ id: lists.id, name: lists.name })
    .from(lists)
    .where(and(eq(lists.tenantId, tenantId), eq(lists.id, listId)));
  if (!list) throw notFound('No such list.');
  const members = await tx
    .select({ id: leads.id, name: leads.name })
    .from(leadLists)
    .innerJoin(leads, eq(leads.id, leadLists.leadId))
    .where(and(eq(leadLists.tenantId, tenantId), eq(leadLists.listId, listId)))
    .orderBy(desc(leads.score), asc(leads.name), asc(leads.id))
    .limit(MAX_BUNDLE_LEADS + 1);
  if (members.length === 0) throw new AppError('CONFLICT', 'This list has no leads to report on.', { reason: 'listEmpty' });
  if (members.length > MAX_BUNDLE_LEADS)
    throw new AppError('CONFLICT', `This list has more than ${MAX_BUNDLE_LEADS} leads; split it to report on each lead.`, {
      reason: 'listTooLarge',
      max: MAX_BUNDLE_LEADS,
    });
  return { list, members };
}

/**
 * Starts one report per lead of the list, all in one transaction: when the plan's monthly reports
 * run out part way, the 402 leaves none started.
 */
export async function startLeadReports(ctx: TenantContext, listId: string, language: ReportLanguage | undefined) {
  const { members } = await leadsOfList(ctx.tx, ctx.tenantId, listId);
  const chosen = language ?? (await getBranding(ctx.tx, ctx.tenantId)).reportLanguage;
  for (const lead of members) await startReport(ctx, { leadId: lead.id }, chosen);
  return { started: members.length };
}

/** Why a lead's report is not in the bundle, in the words of the text entry. */
function missingReason(report: { status: string; error: string | null } | undefined) {
  if (!report) return 'no report generated yet';
  if (report.status === 'FAILED') return `failed${report.error ? `: ${report.error}` : ''}`;
  if (report.status === 'CANCELLED') return 'cancelled';
  return 'still being generated';
}

const MISSING_ENTRY = 'not-included.txt';

/**
 * The newest report of each lead of the list (in `language` when given) as one ZIP, streamed:
 * each PDF is read from storage piece by piece while the archive is sent, after the transaction.
 * A lead whose report is missing, unfinished, failed or cancelled is named in a text entry.
 */
export async function leadReportBundle(ctx: TenantContext, listId: string, language: ReportLanguage | undefined) {
  const { tx, tenantId } = ctx;
  const { list, members } = await leadsOfList(tx, tenantId, listId);
  const newest = await tx
    .selectDistinctOn([reports.leadId], {
      id: reports.id,
      leadId: reports.leadId,
      language: reports.language,
      status: reportStatus,
      error: reportError,
      size: sql<number | null>`octet_length(${reports.file})`.mapWith(Number),
    })
    .from(reports)
    .leftJoin(jobs, eq(jobs.id, reports.jobId))
    .innerJoin(leadLists, and(eq(leadLists.leadId, reports.leadId), eq(leadLists.listId, listId)))
    .where(and(eq(reports.tenantId, tenantId), language ? eq(reports.language, language) : undefined))
    .orderBy(reports.leadId, desc(reports.createdAt), desc(reports.id));
  const byLead = new Map(newest.map((r) => [r.leadId, r]));

  const zip = new yazl.ZipFile();
  const missing: string[] = [];
  const width = String(members.length).length;
  let included = 0;
  members.forEach((lead, i) => {
    const report = byLead.get(lead.id);
    if (!report || report.status !== 'SUCCEEDED' || !report.size) return void missing.push(`${lead.name} — ${missingReason(report)}`);
    // The rank keeps names unique and in the list's order; reportFileName keeps only letters, digits and dashes.
    const name = `${String(i + 1).padStart(width, '0')}-${reportFileName(lead.name, report.language as ReportLanguage)}`;
    const size = report.size;
    zip.addReadStreamLazy(name, { compress: false, size }, (done) =>
      done(null, databaseReportStorage.stream(ctx.services.db, tenantId, report.id, size)),
    );
    included++;
  });
  if (missing.length)
    zip.addBuffer(
      Buffer.from(`Leads of "${list.name}" without a finished report in this file:\n${missing.map((m) => `- ${m}`).join('\n')}\n`, 'utf8'),
      MISSING_ENTRY,
    );
  zip.end();
  await recordAudit(tx, tenantId, ctx.actor, {
    action: reportAuditActions.bundleDownloaded,
    targetType: 'list',
    targetId: listId,
    metadata: { included, missing: missing.length, language: language ?? null },
  });
  ctx.reply
    .header('content-type', 'application/zip')
    .header('content-disposition', attachmentHeader(reportFileName(`${list.name} lead reports`, language ?? 'all', 'zip')))
    .header('cache-control', 'private, no-store');
  return zip.outputStream;
}
