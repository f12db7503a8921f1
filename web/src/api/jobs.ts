import type { CategorySuggestion, EvidenceKind, Job, JobLog, LeadEvidence, ProspectSearchBody } from '@optarget/shared';
import { api, tenantPath as tp, type Page } from './client';
import type { LeadFilterParams } from './leads';

export interface JobFilters {
  status?: string;
  type?: string;
}

/** Enrichment's target; a filter travels as the lead table's query values, which the server parses as EnrichLeadsBody. */
export type EnrichBody = { leadIds: string[] } | { listId: string } | { filter: LeadFilterParams };

export const jobsApi = {
  list: (tenantId: string, filters: JobFilters, cursor?: string, limit = 25) =>
    api.get<Page<Job>>(`${tp(tenantId)}/jobs`, { ...filters, cursor, limit }),
  get: (tenantId: string, jobId: string) => api.get<Job>(`${tp(tenantId)}/jobs/${jobId}`),
  logs: (tenantId: string, jobId: string, cursor?: string, limit = 100) =>
    api.get<Page<JobLog>>(`${tp(tenantId)}/jobs/${jobId}/logs`, { cursor, limit }),
  eventsUrl: (tenantId: string, jobId: string) => `${tp(tenantId)}/jobs/${jobId}/events`,
  cancel: (tenantId: string, jobId: string) => api.post<Job>(`${tp(tenantId)}/jobs/${jobId}/cancel`, {}),
  /** Starts an ended job again with its stored input. */
  rerun: (tenantId: string, jobId: string) => api.post<Job>(`${tp(tenantId)}/jobs/${jobId}/rerun`, {}),

  search: (tenantId: string, body: ProspectSearchBody) => api.post<Job>(`${tp(tenantId)}/searches`, body),
  categories: (tenantId: string, q: string, signal?: AbortSignal) =>
    api.get<{ items: CategorySuggestion[] }>(`${tp(tenantId)}/searches/categories`, { q }, signal),

  enrich: (tenantId: string, body: EnrichBody) => api.post<Job>(`${tp(tenantId)}/enrichments`, body),
  evidence: (tenantId: string, leadId: string) => api.get<LeadEvidence>(`${tp(tenantId)}/leads/${leadId}/evidence`),
};

export const jobKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'jobs'] as const,
  list: (tenantId: string, filters: JobFilters) => ['tenant', tenantId, 'jobs', 'list', filters] as const,
  recent: (tenantId: string) => ['tenant', tenantId, 'jobs', 'recent'] as const,
  one: (tenantId: string, jobId: string) => ['tenant', tenantId, 'jobs', 'one', jobId] as const,
  logs: (tenantId: string, jobId: string) => ['tenant', tenantId, 'jobs', 'logs', jobId] as const,
  evidence: (tenantId: string, leadId: string) => ['tenant', tenantId, 'evidence', leadId] as const,
  categories: (tenantId: string, q: string) => ['tenant', tenantId, 'categories', q] as const,
};

export type { EvidenceKind };
