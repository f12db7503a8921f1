import { and, eq } from 'drizzle-orm';
import { reportAuditActions, type GenerateReportInput, type ReportLanguage } from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import { reports } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { PermanentJobError, type JobHandler, type JobRun } from '../jobs/definitions.js';
import { getBranding } from '../settings/branding.js';
import { logoOf } from './frame.js';
import { composeLeadDocument, loadLeadReport } from './lead-document.js';
import { composeListDocument, loadListReport } from './list-document.js';
import { reportRenderer } from './render/shared-renderer.js';
import { databaseReportStorage } from './storage.js';
import { reportFileName } from './files.js';

/**
 * Renders the report the job was started for and stores its PDF. The report row is the one the
 * starting route created for this job, or (started through `POST …/jobs`) one made here; a retry
 * renders it again and replaces the file, so nothing is duplicated.
 */
export const generateReportHandler: JobHandler<'GENERATE_REPORT'> = {
  async run(job, input) {
    const report = await job.inTenant((tx) => reportForJob(tx, job, input));
    await job.progress(0, 1, 'step.rendering');
    const now = new Date();
    const prepared = await job.inTenant(async (tx) => {
      if (input.leadId) {
        const loaded = await loadLeadReport(tx, job.tenantId, input.leadId);
        return (
          loaded && {
            template: 'lead' as const,
            name: loaded.lead.name,
            data: composeLeadDocument(loaded, report.language, now),
            logo: logoOf(loaded.branding),
          }
        );
      }
      const loaded = await loadListReport(tx, job.tenantId, input.listId!);
      return (
        loaded && {
          template: 'list' as const,
          name: loaded.list.name,
          data: composeListDocument(loaded, report.language, now),
          logo: logoOf(loaded.branding),
        }
      );
    });
    if (!prepared) return fail(job, report.id, 'The lead or list of this report no longer exists.');
    let rendered;
    try {
      rendered = await reportRenderer().render(prepared.template, prepared.data, prepared.logo);
    } catch (err) {
      await job.log('error', { code: 'log.reportFailed' }, { error: err instanceof Error ? err.message : String(err) });
      return fail(job, report.id, 'The report could not be laid out.');
    }
    await job.inTenant(async (tx) => {
      await databaseReportStorage.save(tx, job.tenantId, report.id, rendered.pdf);
      await tx
        .update(reports)
        .set({
          status: 'SUCCEEDED',
          subjectName: prepared.name,
          fileName: reportFileName(prepared.name, report.language),
          contentType: 'application/pdf',
          pageCount: rendered.pages,
          document: {
            template: prepared.template,
            ...prepared.data,
            logo: prepared.logo && { format: prepared.logo.format, base64: Buffer.from(prepared.logo.bytes).toString('base64') },
          },
          error: null,
          generatedAt: now,
        })
        .where(and(eq(reports.tenantId, job.tenantId), eq(reports.id, report.id)));
      await recordAudit(
        tx,
        job.tenantId,
        { userId: job.createdByUserId, email: null, ip: null, userAgent: null },
        {
          action: reportAuditActions.generated,
          targetType: 'report',
          targetId: report.id,
          metadata: { jobId: job.jobId, pages: rendered.pages, sizeBytes: rendered.pdf.length, language: report.language },
        },
      );
    });
    await job.progress(1, 1, null);
    return { reportId: report.id, pages: rendered.pages, sizeBytes: rendered.pdf.length };
  },
};

async function reportForJob(tx: Tx, job: JobRun, input: GenerateReportInput) {
  const language: ReportLanguage = input.language ?? (await getBranding(tx, job.tenantId)).reportLanguage;
  await tx
    .insert(reports)
    .values({
      tenantId: job.tenantId,
      jobId: job.jobId,
      leadId: input.leadId,
      listId: input.listId,
      language,
      createdByUserId: job.createdByUserId,
    })
    .onConflictDoNothing({ target: reports.jobId });
  const [row] = await tx
    .update(reports)
    .set({ status: 'RUNNING' })
    .where(and(eq(reports.tenantId, job.tenantId), eq(reports.jobId, job.jobId)))
    .returning({ id: reports.id, language: reports.language });
  return { id: row.id, language: row.language as ReportLanguage };
}

async function fail(job: JobRun, reportId: string, message: string): Promise<never> {
  await job.inTenant((tx) =>
    tx
      .update(reports)
      .set({ status: 'FAILED', error: message })
      .where(and(eq(reports.tenantId, job.tenantId), eq(reports.id, reportId))),
  );
  throw new PermanentJobError(message);
}
