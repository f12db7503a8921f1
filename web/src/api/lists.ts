import type { CreateListBody, Lead, LeadList, LeadSort, UpdateListBody } from '@optarget/shared';
import { api, tenantPath as tp, type Page } from './client';
import { LEADS_PAGE_SIZE, type LeadFilterParams } from './leads';

export const listsApi = {
  lists: (tenantId: string, q?: string, cursor?: string) => api.get<Page<LeadList>>(`${tp(tenantId)}/lists`, { q, cursor, limit: 100 }),
  getList: (tenantId: string, listId: string) => api.get<LeadList>(`${tp(tenantId)}/lists/${listId}`),
  createList: (tenantId: string, body: CreateListBody) => api.post<LeadList>(`${tp(tenantId)}/lists`, body),
  updateList: (tenantId: string, listId: string, body: UpdateListBody) => api.patch<LeadList>(`${tp(tenantId)}/lists/${listId}`, body),
  deleteList: (tenantId: string, listId: string) => api.del(`${tp(tenantId)}/lists/${listId}`),
  addToList: (tenantId: string, listId: string, leadIds: string[]) =>
    api.post<{ changed: number }>(`${tp(tenantId)}/lists/${listId}/leads`, { leadIds }),
  removeFromList: (tenantId: string, listId: string, leadIds: string[]) =>
    api.post<{ changed: number }>(`${tp(tenantId)}/lists/${listId}/leads/remove`, { leadIds }),
  listLeads: (tenantId: string, listId: string, filter: LeadFilterParams, sort: LeadSort, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<Lead>>(`${tp(tenantId)}/lists/${listId}/leads`, { ...filter, sort, cursor, limit: LEADS_PAGE_SIZE }, signal),
  listExportUrl: (tenantId: string, listId: string) => `${tp(tenantId)}/lists/${listId}/export.csv`,
};

export const listKeys = {
  lists: (tenantId: string) => ['tenant', tenantId, 'lists'] as const,
  listsSearch: (tenantId: string, q: string) => ['tenant', tenantId, 'lists', 'search', q] as const,
  list: (tenantId: string, listId: string) => ['tenant', tenantId, 'lists', 'one', listId] as const,
};
