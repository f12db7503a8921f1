import type {
  BulkLeadAction,
  BulkLeadResult,
  Dashboard,
  DuplicateCandidate,
  DismissedDuplicate,
  Lead,
  LeadMergeEntry,
  LeadActivityPage,
  LeadCount,
  LeadFieldsBody,
  LeadSort,
  LeadSourceEntry,
  MergeLeadsBody,
  MergeMoves,
  MergePreview,
} from '@optarget/shared';
import { api, tenantPath as tp, withQuery, type Page } from './client';

/** Filter values as the API takes them in a query string (and, unchanged, in a bulk `selection.filter`). */
export type LeadFilterParams = Record<string, string>;

/** Which leads a bulk action touches: picked ids, or every lead the table's filter matches. */
export type LeadSelection = { ids: string[] } | { filter: LeadFilterParams };

export const LEADS_PAGE_SIZE = 100;

export const leadsApi = {
  list: (tenantId: string, filter: LeadFilterParams, sort: LeadSort, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<Lead>>(`${tp(tenantId)}/leads`, { ...filter, sort, cursor, limit: LEADS_PAGE_SIZE }, signal),
  count: (tenantId: string, filter: LeadFilterParams, signal?: AbortSignal) =>
    api.get<LeadCount>(`${tp(tenantId)}/leads/count`, { ...filter }, signal),
  get: (tenantId: string, leadId: string) => api.get<Lead>(`${tp(tenantId)}/leads/${leadId}`),
  create: (tenantId: string, body: LeadFieldsBody) => api.post<Lead>(`${tp(tenantId)}/leads`, body),
  update: (tenantId: string, leadId: string, body: LeadFieldsBody) => api.patch<Lead>(`${tp(tenantId)}/leads/${leadId}`, body),
  remove: (tenantId: string, leadId: string) => api.del(`${tp(tenantId)}/leads/${leadId}`),
  bulk: (tenantId: string, selection: LeadSelection, action: BulkLeadAction) =>
    api.post<BulkLeadResult>(`${tp(tenantId)}/leads/bulk`, { selection, action }),
  exportUrl: (tenantId: string, filter: LeadFilterParams) => withQuery(`${tp(tenantId)}/leads/export.csv`, filter),
  activity: (tenantId: string, leadId: string, cursor?: string, limit = 30) =>
    api.get<LeadActivityPage>(`${tp(tenantId)}/leads/${leadId}/activity`, { cursor, limit }),
  sources: (tenantId: string, leadId: string) => api.get<{ items: LeadSourceEntry[] }>(`${tp(tenantId)}/leads/${leadId}/sources`),
  duplicates: (tenantId: string, leadId: string) =>
    api.get<{ items: DuplicateCandidate[]; dismissed: DismissedDuplicate[] }>(`${tp(tenantId)}/leads/${leadId}/duplicates`),
  dismissDuplicate: (tenantId: string, leadId: string, otherLeadId: string) =>
    api.post<void>(`${tp(tenantId)}/leads/${leadId}/duplicates/${otherLeadId}/dismiss`, {}),
  restoreDuplicate: (tenantId: string, leadId: string, otherLeadId: string) =>
    api.del(`${tp(tenantId)}/leads/${leadId}/duplicates/${otherLeadId}/dismiss`),
  merges: (tenantId: string, leadId: string) => api.get<{ items: LeadMergeEntry[] }>(`${tp(tenantId)}/leads/${leadId}/merges`),
  undoMerge: (tenantId: string, leadId: string, mergeId: string) =>
    api.post<{ lead: Lead; restoredLeadIds: string[] }>(`${tp(tenantId)}/leads/${leadId}/merges/${mergeId}/undo`, {}),
  mergePreview: (tenantId: string, body: MergeLeadsBody) => api.post<MergePreview>(`${tp(tenantId)}/leads/merge/preview`, body),
  merge: (tenantId: string, body: MergeLeadsBody) =>
    api.post<{ lead: Lead; mergedLeadIds: string[]; moves: MergeMoves; mergeId: string; undoUntil: string }>(
      `${tp(tenantId)}/leads/merge`,
      body,
    ),
  leadLists: (tenantId: string, leadId: string) =>
    api.get<{ items: { id: string; name: string }[] }>(`${tp(tenantId)}/leads/${leadId}/lists`),
  dashboard: (tenantId: string) => api.get<Dashboard>(`${tp(tenantId)}/dashboard`),
};

export const leadKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'leads'] as const,
  table: (tenantId: string, scope: string, filter: LeadFilterParams, sort: string) =>
    ['tenant', tenantId, 'leads', 'table', scope, filter, sort] as const,
  count: (tenantId: string, filter: LeadFilterParams) => ['tenant', tenantId, 'leads', 'count', filter] as const,
  lead: (tenantId: string, leadId: string) => ['tenant', tenantId, 'leads', 'one', leadId] as const,
  activity: (tenantId: string, leadId: string) => ['tenant', tenantId, 'leads', 'activity', leadId] as const,
  sources: (tenantId: string, leadId: string) => ['tenant', tenantId, 'leads', 'sources', leadId] as const,
  duplicates: (tenantId: string, leadId: string) => ['tenant', tenantId, 'leads', 'duplicates', leadId] as const,
  merges: (tenantId: string, leadId: string) => ['tenant', tenantId, 'leads', 'merges', leadId] as const,
  mergePreview: (tenantId: string, body: MergeLeadsBody) => ['tenant', tenantId, 'leads', 'merge-preview', body] as const,
  leadLists: (tenantId: string, leadId: string) => ['tenant', tenantId, 'leads', 'lists-of', leadId] as const,
  dashboard: (tenantId: string) => ['tenant', tenantId, 'leads', 'dashboard'] as const,
};
