import type { ImportUpload, Job, Lead, LeadList, LeadSort, LeadStatus } from '@optarget/shared';
import { api, withQuery } from './client';
import type { Page } from './app';

/** Filter values as the API takes them in a query string (and, unchanged, in a bulk `selection.filter`). */
export type LeadFilterParams = Record<string, string>;

export interface LeadFieldsBody {
  name?: string;
  category?: string | null;
  address?: string | null;
  city?: string | null;
  country?: string | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  status?: LeadStatus;
  ownerUserId?: string | null;
  tags?: string[];
  notes?: string | null;
}

export type BulkAction =
  | { type: 'addToList'; listId: string }
  | { type: 'removeFromList'; listId: string }
  | { type: 'setStatus'; status: LeadStatus }
  | { type: 'addTag'; tag: string }
  | { type: 'removeTag'; tag: string }
  | { type: 'assignOwner'; ownerUserId: string | null }
  | { type: 'delete' };

export type LeadSelection = { ids: string[] } | { filter: LeadFilterParams };

export interface BulkResult {
  affected?: number;
  jobId?: string;
}

export interface LeadActivityItem {
  id: string;
  action: string;
  actorName: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export type ScoreBand = '0-24' | '25-49' | '50-74' | '75-100';
export interface Dashboard {
  totalLeads: number;
  newThisWeek: number;
  byStatus: { status: LeadStatus; count: number }[];
  byScoreBand: { band: ScoreBand; count: number }[];
  lists: number;
}

export interface StartImportBody {
  mapping: Record<string, string>;
  onMatch: 'skip' | 'update';
  listId?: string;
}

const tp = (tenantId: string) => `/api/v1/tenants/${encodeURIComponent(tenantId)}`;

export const LEADS_PAGE_SIZE = 100;

export const leadsApi = {
  list: (tenantId: string, filter: LeadFilterParams, sort: LeadSort, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<Lead>>(`${tp(tenantId)}/leads`, { ...filter, sort, cursor, limit: LEADS_PAGE_SIZE }, signal),
  get: (tenantId: string, leadId: string) => api.get<Lead>(`${tp(tenantId)}/leads/${leadId}`),
  create: (tenantId: string, body: LeadFieldsBody) => api.post<Lead>(`${tp(tenantId)}/leads`, body),
  update: (tenantId: string, leadId: string, body: LeadFieldsBody) => api.patch<Lead>(`${tp(tenantId)}/leads/${leadId}`, body),
  remove: (tenantId: string, leadId: string) => api.del(`${tp(tenantId)}/leads/${leadId}`),
  bulk: (tenantId: string, selection: LeadSelection, action: BulkAction) =>
    api.post<BulkResult>(`${tp(tenantId)}/leads/bulk`, { selection, action }),
  exportUrl: (tenantId: string, filter: LeadFilterParams) => withQuery(`${tp(tenantId)}/leads/export.csv`, filter),
  activity: (tenantId: string, leadId: string) => api.get<{ items: LeadActivityItem[] }>(`${tp(tenantId)}/leads/${leadId}/activity`),
  leadLists: (tenantId: string, leadId: string) =>
    api.get<{ items: { id: string; name: string }[] }>(`${tp(tenantId)}/leads/${leadId}/lists`),
  dashboard: (tenantId: string) => api.get<Dashboard>(`${tp(tenantId)}/dashboard`),
  settings: (tenantId: string) => api.get<{ defaultCountry: string | null }>(`${tp(tenantId)}/settings`),
  updateSettings: (tenantId: string, body: { defaultCountry: string | null }) =>
    api.patch<{ defaultCountry: string | null }>(`${tp(tenantId)}/settings`, body),

  lists: (tenantId: string, q?: string, cursor?: string) => api.get<Page<LeadList>>(`${tp(tenantId)}/lists`, { q, cursor, limit: 100 }),
  getList: (tenantId: string, listId: string) => api.get<LeadList>(`${tp(tenantId)}/lists/${listId}`),
  createList: (tenantId: string, body: { name: string; description?: string | null }) => api.post<LeadList>(`${tp(tenantId)}/lists`, body),
  updateList: (tenantId: string, listId: string, body: { name?: string; description?: string | null }) =>
    api.patch<LeadList>(`${tp(tenantId)}/lists/${listId}`, body),
  deleteList: (tenantId: string, listId: string) => api.del(`${tp(tenantId)}/lists/${listId}`),
  addToList: (tenantId: string, listId: string, leadIds: string[]) =>
    api.post<{ changed: number }>(`${tp(tenantId)}/lists/${listId}/leads`, { leadIds }),
  removeFromList: (tenantId: string, listId: string, leadIds: string[]) =>
    api.post<{ changed: number }>(`${tp(tenantId)}/lists/${listId}/leads/remove`, { leadIds }),
  listLeads: (tenantId: string, listId: string, filter: LeadFilterParams, sort: LeadSort, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<Lead>>(`${tp(tenantId)}/lists/${listId}/leads`, { ...filter, sort, cursor, limit: LEADS_PAGE_SIZE }, signal),
  listExportUrl: (tenantId: string, listId: string) => `${tp(tenantId)}/lists/${listId}/export.csv`,

  upload: (tenantId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api.upload<ImportUpload>(`${tp(tenantId)}/imports`, form);
  },
  startImport: (tenantId: string, uploadId: string, body: StartImportBody) =>
    api.post<Job>(`${tp(tenantId)}/imports/${uploadId}/start`, body),
  job: (tenantId: string, jobId: string) => api.get<Job>(`${tp(tenantId)}/jobs/${jobId}`),
  importErrorsUrl: (tenantId: string, jobId: string) => `${tp(tenantId)}/imports/jobs/${jobId}/errors.csv`,
};

export const leadKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'leads'] as const,
  table: (tenantId: string, scope: string, filter: LeadFilterParams, sort: string) =>
    ['tenant', tenantId, 'leads', 'table', scope, filter, sort] as const,
  lead: (tenantId: string, leadId: string) => ['tenant', tenantId, 'leads', 'one', leadId] as const,
  activity: (tenantId: string, leadId: string) => ['tenant', tenantId, 'leads', 'activity', leadId] as const,
  leadLists: (tenantId: string, leadId: string) => ['tenant', tenantId, 'leads', 'lists-of', leadId] as const,
  dashboard: (tenantId: string) => ['tenant', tenantId, 'leads', 'dashboard'] as const,
  lists: (tenantId: string) => ['tenant', tenantId, 'lists'] as const,
  listsSearch: (tenantId: string, q: string) => ['tenant', tenantId, 'lists', 'search', q] as const,
  list: (tenantId: string, listId: string) => ['tenant', tenantId, 'lists', 'one', listId] as const,
  job: (tenantId: string, jobId: string) => ['tenant', tenantId, 'jobs', jobId] as const,
};
