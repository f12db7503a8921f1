import type { LeadView, SaveLeadViewBody } from '@optarget/shared';
import { api, tenantPath as tp } from './client';

export const leadViewsApi = {
  list: (tenantId: string) => api.get<{ items: LeadView[] }>(`${tp(tenantId)}/lead-views`),
  save: (tenantId: string, body: SaveLeadViewBody) => api.post<LeadView>(`${tp(tenantId)}/lead-views`, body),
  remove: (tenantId: string, viewId: string) => api.del(`${tp(tenantId)}/lead-views/${viewId}`),
};

export const leadViewKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'lead-views'] as const,
};
