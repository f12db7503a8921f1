import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Me, Membership } from '@optarget/shared';
import { appApi } from './app';
import { authApi } from './auth';

export const keys = {
  me: ['me'] as const,
  session: ['session'] as const,
  sessions: ['sessions'] as const,
  members: (tenantId: string) => ['tenant', tenantId, 'members'] as const,
  invites: (tenantId: string) => ['tenant', tenantId, 'invites'] as const,
  audit: (tenantId: string, filters: unknown) => ['tenant', tenantId, 'audit', filters] as const,
  plan: (tenantId: string) => ['tenant', tenantId, 'plan'] as const,
  usage: (tenantId: string) => ['tenant', tenantId, 'usage'] as const,
  plans: ['plans'] as const,
  invitePreview: (token: string) => ['invite-preview', token] as const,
  outbox: ['dev-outbox'] as const,
};

export const meQuery = queryOptions({
  queryKey: keys.me,
  queryFn: () => appApi.me(),
  staleTime: 30_000,
  meta: { noAuthRedirect: true },
});

export function useMe() {
  return useQuery(meQuery);
}

/** The signed-in user's membership in a tenant, or undefined. */
export function findMembership(me: Me | undefined, tenantId: string | undefined): Membership | undefined {
  if (!me || !tenantId) return undefined;
  return me.memberships.find((m) => m.tenantId === tenantId);
}

export const sessionQuery = queryOptions({
  queryKey: keys.session,
  queryFn: () => authApi.getSession(),
  meta: { noAuthRedirect: true },
});

const LAST_TENANT_KEY = 'optarget.lastTenant';
export function rememberTenant(tenantId: string) {
  try {
    localStorage.setItem(LAST_TENANT_KEY, tenantId);
  } catch {
    /* storage unavailable */
  }
}
export function lastTenant(): string | null {
  try {
    return localStorage.getItem(LAST_TENANT_KEY);
  } catch {
    return null;
  }
}
/** Where a signed-in user lands: the last tenant they used, else their first. */
export function homeTenant(me: Me): Membership | undefined {
  const last = lastTenant();
  return me.memberships.find((m) => m.tenantId === last) ?? me.memberships[0];
}
