import { useParams } from '@tanstack/react-router';
import type { Membership } from '@optarget/shared';
import { findMembership, lastTenant, useMe } from '../api/queries';

/** The tenant of the current /t/$tenantId route (or the last-used one elsewhere) and the user's membership in it. */
export function useCurrentMembership(): Membership | undefined {
  const params = useParams({ strict: false });
  const me = useMe();
  const data = me.data;
  if (!data) return undefined;
  return findMembership(data, params.tenantId) ?? findMembership(data, lastTenant() ?? undefined) ?? data.memberships[0];
}

/** For pages under /t/$tenantId: the membership is provided by <TenantOutlet>. */
export { useMembershipContext as useTenantMembership } from './TenantOutlet';
