import type { OutreachStats } from '@optarget/shared';
import { api } from '../api/client';

export const outreachApi = {
  stats: (tenantId: string, days: number) =>
    api.get<OutreachStats>(`/api/v1/tenants/${encodeURIComponent(tenantId)}/dashboard/outreach`, { days }),
};

export const outreachKeys = {
  stats: (tenantId: string, days: number) => ['tenant', tenantId, 'dashboard', 'outreach', days] as const,
};
