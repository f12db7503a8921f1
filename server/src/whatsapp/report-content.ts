import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { reports } from '../db/schema/index.js';
import { AppError, notFound } from '../errors/catalogue.js';
import type { TenantContext } from '../http/routes.js';
import { databaseReportStorage } from '../reports/storage.js';
import { whatsappShareUrl } from '../reports/shares.js';

/** A document message carrying one finished report of this lead (its file is uploaded when the job sends it). */
export async function reportDocumentContent(ctx: TenantContext, leadId: string, reportId: string, caption: string | undefined) {
  const [report] = await ctx.tx
    .select({ leadId: reports.leadId, status: reports.status })
    .from(reports)
    .where(and(eq(reports.tenantId, ctx.tenantId), eq(reports.id, reportId)));
  if (!report || report.leadId !== leadId) throw notFound('No such report of this lead.');
  const size = report.status === 'SUCCEEDED' ? await databaseReportStorage.size(ctx.tx, ctx.tenantId, reportId) : null;
  if (size === null)
    throw new AppError('CONFLICT', 'Only a finished report can be sent: wait until it is generated.', { reason: 'reportNotReadyToSend' });
  return { type: 'document', text: caption ?? null, templateName: null, reportId };
}

/** The share link of the lead's latest finished report, for a template variable; null when it has none. */
export async function reportShareLink(ctx: TenantContext, leadId: string): Promise<string | null> {
  const [latest] = await ctx.tx
    .select({ id: reports.id })
    .from(reports)
    .where(
      and(eq(reports.tenantId, ctx.tenantId), eq(reports.leadId, leadId), eq(reports.status, 'SUCCEEDED'), isNotNull(reports.generatedAt)),
    )
    .orderBy(desc(reports.generatedAt))
    .limit(1);
  return latest ? whatsappShareUrl(ctx, latest.id) : null;
}
