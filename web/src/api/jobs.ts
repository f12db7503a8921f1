import type {
  CategorySuggestion,
  EvidenceKind,
  GooglePlacesKeyStatus,
  Job,
  JobType,
  LeadEvidence,
  ProspectSource,
  ScoringWeightOverrides,
  ScoringWeights,
  TenantSettings,
} from '@optarget/shared';
import { api } from './client';
import type { Page } from './app';
import type { LeadFilterParams } from './leads';

export interface JobLogLine {
  id: string;
  level: string;
  message: string;
  data: Record<string, unknown> | null;
  createdAt: string;
}

export interface JobFilters {
  status?: string;
  type?: string;
}

export interface SearchBody {
  query: string;
  location?: string;
  point?: { lat: number; lon: number; radiusMeters: number };
  limit: number;
  sources: ProspectSource[];
  listId?: string;
  enrich?: boolean;
}

export type EnrichBody = { leadIds: string[] } | { listId: string } | { filter: LeadFilterParams };

const tp = (tenantId: string) => `/api/v1/tenants/${encodeURIComponent(tenantId)}`;

export const jobsApi = {
  list: (tenantId: string, filters: JobFilters, cursor?: string, limit = 25) =>
    api.get<Page<Job>>(`${tp(tenantId)}/jobs`, { ...filters, cursor, limit }),
  get: (tenantId: string, jobId: string) => api.get<Job>(`${tp(tenantId)}/jobs/${jobId}`),
  logs: (tenantId: string, jobId: string, cursor?: string, limit = 100) =>
    api.get<Page<JobLogLine>>(`${tp(tenantId)}/jobs/${jobId}/logs`, { cursor, limit }),
  eventsUrl: (tenantId: string, jobId: string) => `${tp(tenantId)}/jobs/${jobId}/events`,
  cancel: (tenantId: string, jobId: string) => api.post<Job>(`${tp(tenantId)}/jobs/${jobId}/cancel`, {}),
  create: (tenantId: string, type: JobType, input: Record<string, unknown>) => api.post<Job>(`${tp(tenantId)}/jobs`, { type, input }),

  search: (tenantId: string, body: SearchBody) => api.post<Job>(`${tp(tenantId)}/searches`, body),
  categories: (tenantId: string, q: string, signal?: AbortSignal) =>
    api.get<{ items: CategorySuggestion[] }>(`${tp(tenantId)}/searches/categories`, { q }, signal),

  enrich: (tenantId: string, body: EnrichBody) => api.post<Job>(`${tp(tenantId)}/enrichments`, body),
  evidence: (tenantId: string, leadId: string) => api.get<LeadEvidence>(`${tp(tenantId)}/leads/${leadId}/evidence`),
  weights: (tenantId: string) => api.get<ScoringWeights>(`${tp(tenantId)}/scoring-weights`),
  saveWeights: (tenantId: string, weights: ScoringWeightOverrides) =>
    api.put<ScoringWeights>(`${tp(tenantId)}/scoring-weights`, { weights }),

  settings: (tenantId: string) => api.get<TenantSettings>(`${tp(tenantId)}/settings`),
  saveSettings: (tenantId: string, body: TenantSettings) => api.patch<TenantSettings>(`${tp(tenantId)}/settings`, body),
  googleKey: (tenantId: string) => api.get<GooglePlacesKeyStatus>(`${tp(tenantId)}/integrations/google-places`),
  saveGoogleKey: (tenantId: string, apiKey: string) =>
    api.put<GooglePlacesKeyStatus>(`${tp(tenantId)}/integrations/google-places`, { apiKey }),
  removeGoogleKey: (tenantId: string) => api.del(`${tp(tenantId)}/integrations/google-places`),
};

export const jobKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'jobs'] as const,
  list: (tenantId: string, filters: JobFilters) => ['tenant', tenantId, 'jobs', 'list', filters] as const,
  recent: (tenantId: string) => ['tenant', tenantId, 'jobs', 'recent'] as const,
  one: (tenantId: string, jobId: string) => ['tenant', tenantId, 'jobs', 'one', jobId] as const,
  logs: (tenantId: string, jobId: string) => ['tenant', tenantId, 'jobs', 'logs', jobId] as const,
  evidence: (tenantId: string, leadId: string) => ['tenant', tenantId, 'evidence', leadId] as const,
  weights: (tenantId: string) => ['tenant', tenantId, 'scoring-weights'] as const,
  settings: (tenantId: string) => ['tenant', tenantId, 'settings'] as const,
  googleKey: (tenantId: string) => ['tenant', tenantId, 'google-places-key'] as const,
  categories: (tenantId: string, q: string) => ['tenant', tenantId, 'categories', q] as const,
};

export type { EvidenceKind };
