import { createContext, useContext } from 'react';
import { Outlet, useParams } from '@tanstack/react-router';
import type { Membership } from '@optarget/shared';
import { findMembership, useMe } from '../api/queries';
import { NotFoundPage } from './NotFoundPage';
import { FullPageLoader } from './states';

const MembershipContext = createContext<Membership | null>(null);

/** Renders /t/$tenantId/* pages with the user's membership in that tenant (or not-found once it is gone). */
export function TenantOutlet() {
  const { tenantId } = useParams({ strict: false });
  const me = useMe();
  if (!me.data) return <FullPageLoader />;
  const membership = findMembership(me.data, tenantId);
  if (!membership) return <NotFoundPage />;
  return (
    <MembershipContext.Provider value={membership}>
      <Outlet />
    </MembershipContext.Provider>
  );
}

export function useMembershipContext(): Membership {
  const m = useContext(MembershipContext);
  if (!m) throw new Error('useTenantMembership must be used under /t/$tenantId');
  return m;
}
