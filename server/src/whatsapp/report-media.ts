import { and, eq } from 'drizzle-orm';
import { reports, whatsappMedia } from '../db/schema/index.js';
import type { JobRun } from '../jobs/definitions.js';
import { databaseReportStorage } from '../reports/storage.js';
import type { WhatsappConnection } from '../settings/whatsapp.js';
import { uploadMedia } from './graph.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long Meta keeps an uploaded file (its media endpoint's documented lifetime). */
export const MEDIA_LIFETIME_MS = 30 * DAY_MS;
/** An id this close to its end is uploaded again, so Meta never fetches a file it has just forgotten. */
const RENEW_MARGIN_MS = DAY_MS;

export type ReportDocument = { mediaId: string; fileName: string; uploaded: boolean };

/**
 * The media id of the report's current file for this phone number: the stored one while it is
 * alive and the report has not been regenerated since, else the file is uploaded again and the new
 * id kept with its expiry. Null when the report is gone or has no finished file.
 */
export async function reportMediaId(job: JobRun, conn: WhatsappConnection, reportId: string): Promise<ReportDocument | null> {
  const { tenantId } = job;
  const found = await job.inTenant(async (tx) => {
    const [report] = await tx
      .select({ fileName: reports.fileName, contentType: reports.contentType, generatedAt: reports.generatedAt, status: reports.status })
      .from(reports)
      .where(and(eq(reports.tenantId, tenantId), eq(reports.id, reportId)));
    if (!report?.generatedAt || report.status !== 'SUCCEEDED') return null;
    const size = await databaseReportStorage.size(tx, tenantId, reportId);
    const [media] = await tx
      .select()
      .from(whatsappMedia)
      .where(
        and(
          eq(whatsappMedia.tenantId, tenantId),
          eq(whatsappMedia.reportId, reportId),
          eq(whatsappMedia.phoneNumberId, conn.phoneNumberId),
        ),
      );
    return size === null ? null : { report: { ...report, generatedAt: report.generatedAt, size }, media };
  });
  if (!found) return null;
  const { report, media } = found;
  const fileName = report.fileName ?? 'report.pdf';
  const sameFile = media?.reportGeneratedAt.getTime() === report.generatedAt.getTime();
  if (media && sameFile && media.expiresAt.getTime() - RENEW_MARGIN_MS > Date.now()) {
    return { mediaId: media.mediaId, fileName, uploaded: false };
  }
  const bytes = await readAll(job, reportId, report.size);
  const mediaId = await uploadMedia(job.services.config, conn, { bytes, fileName, contentType: report.contentType ?? 'application/pdf' });
  const uploadedAt = new Date();
  const kept = {
    mediaId,
    uploadedAt,
    expiresAt: new Date(uploadedAt.getTime() + MEDIA_LIFETIME_MS),
    reportGeneratedAt: report.generatedAt,
  };
  await job.inTenant((tx) =>
    tx
      .insert(whatsappMedia)
      .values({ tenantId, reportId, phoneNumberId: conn.phoneNumberId, ...kept })
      .onConflictDoUpdate({ target: [whatsappMedia.tenantId, whatsappMedia.reportId, whatsappMedia.phoneNumberId], set: kept }),
  );
  await job.log('info', { code: 'log.reportUploaded' }, { reportId, mediaId });
  return { mediaId, fileName, uploaded: true };
}

/** Drops the kept media ids of a report, so the next send uploads its file again. */
export async function forgetReportMedia(job: JobRun, reportId: string) {
  await job.inTenant((tx) =>
    tx.delete(whatsappMedia).where(and(eq(whatsappMedia.tenantId, job.tenantId), eq(whatsappMedia.reportId, reportId))),
  );
}

async function readAll(job: JobRun, reportId: string, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of databaseReportStorage.stream(job.services.db, job.tenantId, reportId, size)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
