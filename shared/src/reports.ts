import { z } from 'zod';
import { countedPage, IsoDate, PageQuery, Uuid } from './common.js';
import { JobStatus } from './jobs.js';
import { ReportLanguage } from './settings.js';

/** The audit action of each thing done to a report. */
export const reportAuditActions = {
  generated: 'report.generated',
  downloaded: 'report.downloaded',
  /** The ZIP of a list's lead reports. */
  bundleDownloaded: 'report.bundle_downloaded',
  shared: 'report.shared',
  revoked: 'report.share_revoked',
  deleted: 'report.deleted',
  recommendationChanged: 'report.recommendation_changed',
} as const;

/** How long a share link lives when its creator does not say (days). */
export const DEFAULT_SHARE_DAYS = 90;

/** GENERATE_REPORT: one lead's report, or a list's market map. */
export const GenerateReportInput = z
  .object({
    leadId: Uuid.optional(),
    listId: Uuid.optional(),
    /** Default: the tenant's report language (Settings → Branding). */
    language: ReportLanguage.optional(),
  })
  .refine((i) => (i.leadId === undefined) !== (i.listId === undefined), {
    message: 'give exactly one of leadId or listId',
    path: ['leadId'],
  });
export type GenerateReportInput = z.infer<typeof GenerateReportInput>;

export const ReportParams = z.object({ tenantId: Uuid, reportId: Uuid });
export const ReportShareParams = z.object({ tenantId: Uuid, reportId: Uuid, shareId: Uuid });

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ReportListQuery = PageQuery.extend({
  leadId: Uuid.optional(),
  listId: Uuid.optional(),
  language: ReportLanguage.optional(),
  status: JobStatus.optional(),
  /** true: opened at least once through a share link; false: never. */
  viewed: flag.optional(),
});
export type ReportListQuery = z.infer<typeof ReportListQuery>;

export const ReportShare = z.object({
  id: Uuid,
  expiresAt: IsoDate,
  revokedAt: IsoDate.nullable(),
  createdAt: IsoDate,
  /** False once revoked or expired. */
  active: z.boolean(),
});
export type ReportShare = z.infer<typeof ReportShare>;

export const Report = z.object({
  id: Uuid,
  kind: z.enum(['lead', 'list']),
  leadId: Uuid.nullable(),
  listId: Uuid.nullable(),
  /** The business's or the list's name when the report was made. */
  subjectName: z.string().nullable(),
  language: ReportLanguage,
  status: JobStatus,
  jobId: Uuid.nullable(),
  contentType: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  pageCount: z.number().int().nullable(),
  error: z.string().nullable(),
  createdBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  createdAt: IsoDate,
  generatedAt: IsoDate.nullable(),
  views: z.object({ count: z.number().int(), lastAt: IsoDate.nullable() }),
  shares: z.array(ReportShare),
});
export type Report = z.infer<typeof Report>;
export const ReportPage = countedPage(Report);
export type ReportPage = z.infer<typeof ReportPage>;

export const CreateShareBody = z.object({
  /** 1 to 365 days; default 90. */
  expiresInDays: z.number().int().min(1, 'must be at least 1 day').max(365, 'must be at most 365 days').default(DEFAULT_SHARE_DAYS),
});
/** The link is in the answer once, when it is made: only its hash is kept. */
export const CreatedShare = ReportShare.extend({ url: z.string(), token: z.string() });
export type CreatedShare = z.infer<typeof CreatedShare>;

export const devices = ['mobile', 'tablet', 'desktop', 'other'] as const;
export const ReportView = z.object({ id: Uuid, viewedAt: IsoDate, device: z.enum(devices) });
export type ReportView = z.infer<typeof ReportView>;
export const ReportViewList = z.object({ items: z.array(ReportView) });

/** A live event of the reports stream: someone opened a shared report. */
export const ReportViewedEvent = z.object({
  reportId: Uuid,
  subjectName: z.string().nullable(),
  device: z.enum(devices),
  viewedAt: IsoDate,
});
export type ReportViewedEvent = z.infer<typeof ReportViewedEvent>;

/** The most leads of one list whose reports are started or bundled at once. */
export const MAX_BUNDLE_LEADS = 500;
/** Starts one report per lead of a list; each is a GENERATE_REPORT job and counts as a report. */
export const ListLeadReportsBody = z.object({ language: ReportLanguage.optional() });
export const ListLeadReportsStarted = z.object({ started: z.number().int() });
export type ListLeadReportsStarted = z.infer<typeof ListLeadReportsStarted>;
/** The ZIP of a list's lead reports: each lead's newest report, in this language when given. */
export const LeadReportBundleQuery = z.object({ language: ReportLanguage.optional() });
/** The branding preview: the cover in this language (default: the tenant's report language). */
export const BrandingPreviewQuery = z.object({ language: ReportLanguage.optional() });
