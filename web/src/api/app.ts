import type {
  AuditEntry,
  AuditQuery,
  BulkInviteResult,
  Invite,
  InvitePreview,
  Me,
  Member,
  Plan,
  Role,
  Tenant,
  Usage,
} from '@optarget/shared';
import { api, tenantPath as tp, withQuery, type Page } from './client';

export interface OutboxEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

export const appApi = {
  me: () => api.get<Me>('/api/v1/me'),
  createTenant: (name: string) => api.post<Tenant>('/api/v1/tenants', { name }),
  renameTenant: (tenantId: string, name: string) => api.patch<Tenant>(tp(tenantId), { name }),

  members: (tenantId: string, cursor?: string) => api.get<Page<Member>>(`${tp(tenantId)}/members`, { cursor, limit: 100 }),
  changeRole: (tenantId: string, userId: string, role: Role) => api.patch<Member>(`${tp(tenantId)}/members/${userId}`, { role }),
  removeMember: (tenantId: string, userId: string) => api.del(`${tp(tenantId)}/members/${userId}`),
  leave: (tenantId: string) => api.post<void>(`${tp(tenantId)}/leave`, {}),
  transferOwnership: (tenantId: string, userId: string) => api.post<void>(`${tp(tenantId)}/transfer-ownership`, { userId }),

  invites: (tenantId: string, cursor?: string) =>
    api.get<Page<Invite>>(`${tp(tenantId)}/invites`, { status: 'PENDING', cursor, limit: 100 }),
  createInvite: (tenantId: string, email: string, role: Role) => api.post<Invite>(`${tp(tenantId)}/invites`, { email, role }),
  bulkInvite: (tenantId: string, emails: string, role: Role) =>
    api.post<BulkInviteResult>(`${tp(tenantId)}/invites/bulk`, { emails, role }),
  resendInvite: (tenantId: string, inviteId: string) => api.post<Invite>(`${tp(tenantId)}/invites/${inviteId}/resend`, {}),
  revokeInvite: (tenantId: string, inviteId: string) => api.del(`${tp(tenantId)}/invites/${inviteId}`),

  invitePreview: (token: string) => api.get<InvitePreview>('/api/v1/invites/preview', { token }),
  acceptInvite: (token: string) => api.post<{ tenantId: string; role: Role }>('/api/v1/invites/accept', { token }),

  plans: () => api.get<{ items: Plan[] }>('/api/v1/plans'),
  plan: (tenantId: string) => api.get<Plan>(`${tp(tenantId)}/plan`),
  changePlan: (tenantId: string, planCode: string) => api.put<Plan>(`${tp(tenantId)}/plan`, { planCode }),
  usage: (tenantId: string) => api.get<Usage>(`${tp(tenantId)}/usage`),

  auditLogs: (tenantId: string, filters: AuditQuery, cursor?: string) =>
    api.get<Page<AuditEntry>>(`${tp(tenantId)}/audit-logs`, { ...filters, cursor, limit: 50 }),
  auditExportUrl: (tenantId: string, filters: AuditQuery) => withQuery(`${tp(tenantId)}/audit-logs/export.csv`, { ...filters }),

  outbox: () => api.get<{ items: OutboxEmail[] }>('/api/dev/outbox'),
};
