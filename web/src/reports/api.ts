import type {
  CreatedShare,
  GenerateReportInput,
  ListLeadReportsStarted,
  RecommendationEntry,
  Report,
  ReportLanguage,
  ReportPage,
  ReportShare,
  ReportView,
  UpdateRecommendationBody,
} from '@optarget/shared';
import { api, tenantPath } from '../api/client';

const listBase = (tenantId: string, listId: string) => `${tenantPath(tenantId)}/lists/${encodeURIComponent(listId)}`;
const base = (tenantId: string) => `${tenantPath(tenantId)}/reports`;

export type ReportFilters = { leadId?: string; listId?: string; language?: string; status?: string; viewed?: string };

export const reportsApi = {
  list: (tenantId: string, filters: ReportFilters, cursor?: string) =>
    api.get<ReportPage>(base(tenantId), { ...filters, cursor, limit: 25 }),
  get: (tenantId: string, reportId: string) => api.get<Report>(`${base(tenantId)}/${reportId}`),
  generate: (tenantId: string, body: GenerateReportInput) => api.post<Report>(base(tenantId), body),
  regenerate: (tenantId: string, reportId: string) => api.post<Report>(`${base(tenantId)}/${reportId}/regenerate`),
  remove: (tenantId: string, reportId: string) => api.del(`${base(tenantId)}/${reportId}`),
  share: (tenantId: string, reportId: string, expiresInDays: number) =>
    api.post<CreatedShare>(`${base(tenantId)}/${reportId}/shares`, { expiresInDays }),
  revoke: (tenantId: string, reportId: string, shareId: string) =>
    api.post<ReportShare>(`${base(tenantId)}/${reportId}/shares/${shareId}/revoke`),
  views: (tenantId: string, reportId: string) => api.get<{ items: ReportView[] }>(`${base(tenantId)}/${reportId}/views`),
  /** The PDF's address: the browser downloads it with the session cookie. */
  fileUrl: (tenantId: string, reportId: string) => `${base(tenantId)}/${reportId}/file`,
  eventsUrl: (tenantId: string) => `${base(tenantId)}/events`,
  /** Starts a report of every lead of the list. */
  startLeadReports: (tenantId: string, listId: string, language: ReportLanguage | undefined) =>
    api.post<ListLeadReportsStarted>(`${listBase(tenantId, listId)}/lead-reports`, language ? { language } : {}),
  /** The ZIP of the list's lead reports: the browser downloads it with the session cookie. */
  bundleUrl: (tenantId: string, listId: string, language: ReportLanguage | undefined) =>
    `${listBase(tenantId, listId)}/lead-reports.zip${language ? `?language=${language}` : ''}`,
  recommendations: (tenantId: string) => api.get<{ items: RecommendationEntry[] }>(`${tenantPath(tenantId)}/report-recommendations`),
  saveRecommendation: (tenantId: string, body: UpdateRecommendationBody) =>
    api.put<{ items: RecommendationEntry[] }>(`${tenantPath(tenantId)}/report-recommendations`, body),
};

export const reportKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'reports'] as const,
  list: (tenantId: string, filters: ReportFilters) => ['tenant', tenantId, 'reports', 'list', filters] as const,
  views: (tenantId: string, reportId: string) => ['tenant', tenantId, 'reports', 'views', reportId] as const,
  /** Starts a report of every lead of the list. */
  startLeadReports: (tenantId: string, listId: string, language: ReportLanguage | undefined) =>
    api.post<ListLeadReportsStarted>(`${listBase(tenantId, listId)}/lead-reports`, language ? { language } : {}),
  /** The ZIP of the list's lead reports: the browser downloads it with the session cookie. */
  bundleUrl: (tenantId: string, listId: string, language: ReportLanguage | undefined) =>
    `${listBase(tenantId, listId)}/lead-reports.zip${language ? `?language=${language}` : ''}`,
  recommendations: (tenantId: string) => ['tenant', tenantId, 'report-recommendations'] as const,
};
