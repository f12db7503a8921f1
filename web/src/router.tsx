import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  notFound,
  Outlet,
  redirect,
  type ErrorComponentProps,
} from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { Container } from '@mantine/core';
import { settingsSections, type SettingsSection } from '@optarget/shared';
import { isApiError } from './api/client';
import { findMembership, homeTenant, meQuery, rememberTenant } from './api/queries';
import { NotFoundPage } from './shell/NotFoundPage';
import { TenantOutlet } from './shell/TenantOutlet';
import { ErrorState, FullPageLoader } from './shell/states';
import { validateLeadSearch } from './leads/search';

// Each page is its own chunk, loaded when its route is first visited; so is the signed-in frame around them.
const AppLayout = lazyRouteComponent(() => import('./shell/AppLayout'), 'AppLayout');
const NoTenantsPage = lazyRouteComponent(() => import('./shell/NoTenantsPage'), 'NoTenantsPage');
const ReportViewAlerts = lazyRouteComponent(() => import('./reports/ReportViewAlerts'), 'ReportViewAlerts');
const SignInPage = lazyRouteComponent(() => import('./auth/SignInPage'), 'SignInPage');
const SignUpPage = lazyRouteComponent(() => import('./auth/SignUpPage'), 'SignUpPage');
const ForgotPasswordPage = lazyRouteComponent(() => import('./auth/ForgotPasswordPage'), 'ForgotPasswordPage');
const ResetPasswordPage = lazyRouteComponent(() => import('./auth/ResetPasswordPage'), 'ResetPasswordPage');
const VerifyEmailPage = lazyRouteComponent(() => import('./auth/VerifyEmailPage'), 'VerifyEmailPage');
const TwoFactorPage = lazyRouteComponent(() => import('./auth/TwoFactorPage'), 'TwoFactorPage');
const AcceptInvitePage = lazyRouteComponent(() => import('./invites/AcceptInvitePage'), 'AcceptInvitePage');
const OutboxPage = lazyRouteComponent(() => import('./dev/OutboxPage'), 'OutboxPage');
const AccountPage = lazyRouteComponent(() => import('./account/AccountPage'), 'AccountPage');
const TeamPage = lazyRouteComponent(() => import('./team/TeamPage'), 'TeamPage');
const AuditPage = lazyRouteComponent(() => import('./audit/AuditPage'), 'AuditPage');
const PlanPage = lazyRouteComponent(() => import('./plans/PlanPage'), 'PlanPage');
const DashboardPage = lazyRouteComponent(() => import('./dashboard/DashboardPage'), 'DashboardPage');
const LeadsPage = lazyRouteComponent(() => import('./leads/LeadsPage'), 'LeadsPage');
const LeadPage = lazyRouteComponent(() => import('./leads/LeadPage'), 'LeadPage');
const ListsPage = lazyRouteComponent(() => import('./lists/ListsPage'), 'ListsPage');
const ListPage = lazyRouteComponent(() => import('./lists/ListPage'), 'ListPage');
const ImportPage = lazyRouteComponent(() => import('./imports/ImportPage'), 'ImportPage');
const ProspectingPage = lazyRouteComponent(() => import('./prospecting/ProspectingPage'), 'ProspectingPage');
const JobsPage = lazyRouteComponent(() => import('./jobs/JobsPage'), 'JobsPage');
const JobPage = lazyRouteComponent(() => import('./jobs/JobPage'), 'JobPage');
const SettingsPage = lazyRouteComponent(() => import('./settings/SettingsPage'), 'SettingsPage');
const ReportsPage = lazyRouteComponent(() => import('./reports/ReportsPage'), 'ReportsPage');
const InboxPage = lazyRouteComponent(() => import('./whatsapp/InboxPage'), 'InboxPage');
const CampaignsPage = lazyRouteComponent(() => import('./whatsapp/campaigns/CampaignsPage'), 'CampaignsPage');

export interface RouterContext {
  queryClient: QueryClient;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

const redirectSearch = (s: Record<string, unknown>): { redirect?: string } => ({ redirect: str(s.redirect) });

function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <Container size="sm" py="xl">
      <ErrorState error={error} onRetry={reset} />
    </Container>
  );
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
  errorComponent: RouteError,
});

/** Public pages */
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: redirectSearch,
  component: SignInPage,
});
const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-up',
  validateSearch: redirectSearch,
  component: SignUpPage,
});
const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/forgot-password',
  component: ForgotPasswordPage,
});
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: (s: Record<string, unknown>): { token?: string; error?: string } => ({
    token: str(s.token),
    error: str(s.error),
  }),
  component: ResetPasswordPage,
});
const verifyEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/verify-email',
  validateSearch: (s: Record<string, unknown>): { error?: string } => ({ error: str(s.error) }),
  component: VerifyEmailPage,
});
const twoFactorRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/two-factor',
  validateSearch: redirectSearch,
  component: TwoFactorPage,
});
const inviteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/invite',
  validateSearch: (s: Record<string, unknown>): { token?: string } => ({ token: str(s.token) }),
  component: AcceptInvitePage,
});
const devOutboxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dev/outbox',
  component: OutboxPage,
});

/** `/`: the last-used tenant, else the first; sign-in when signed out. */
const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: async ({ context }) => {
    let me;
    try {
      me = await context.queryClient.fetchQuery(meQuery);
    } catch (e) {
      if (isApiError(e, 401)) throw redirect({ to: '/sign-in', search: {} });
      throw e;
    }
    const target = homeTenant(me);
    if (target) throw redirect({ to: '/t/$tenantId/dashboard', params: { tenantId: target.tenantId } });
  },
  pendingComponent: FullPageLoader,
  component: () => (
    <AppLayout>
      <NoTenantsPage />
    </AppLayout>
  ),
});

/** Everything below needs a session. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_app',
  beforeLoad: async ({ context, location }) => {
    try {
      await context.queryClient.ensureQueryData(meQuery);
    } catch (e) {
      if (isApiError(e, 401)) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
      throw e;
    }
  },
  pendingComponent: FullPageLoader,
  component: AppLayout,
});

const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/account',
  component: AccountPage,
});

const tenantRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/t/$tenantId',
  beforeLoad: async ({ context, params }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!findMembership(me, params.tenantId)) throw notFound();
    rememberTenant(params.tenantId);
  },
  notFoundComponent: NotFoundPage,
  component: () => (
    <>
      <TenantOutlet />
      <ReportViewAlerts />
    </>
  ),
});
const tenantIndexRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: '/',
  beforeLoad: ({ params }) => {
    throw redirect({ to: '/t/$tenantId/dashboard', params: { tenantId: params.tenantId } });
  },
});
const teamRoute = createRoute({ getParentRoute: () => tenantRoute, path: '/team', component: TeamPage });
const auditRoute = createRoute({ getParentRoute: () => tenantRoute, path: '/audit', component: AuditPage });
const planRoute = createRoute({ getParentRoute: () => tenantRoute, path: '/plan', component: PlanPage });
const dashboardRoute = createRoute({ getParentRoute: () => tenantRoute, path: '/dashboard', component: DashboardPage });
const leadsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: '/leads',
  validateSearch: validateLeadSearch,
  component: LeadsPage,
});
const leadsImportRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: '/leads/import',
  validateSearch: (s: Record<string, unknown>): { listId?: string } => ({ listId: str(s.listId) }),
  component: ImportPage,
});
const leadRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: '/leads/$leadId',
  // `mergedFrom`: the merged lead's id that led here, so the page can say so.
  validateSearch: (s: Record<string, unknown>): { mergedFrom?: string } => ({ mergedFrom: str(s.mergedFrom) }),
  component: LeadPage,
});
const listsRoute = createRoute({ getParentRoute: () => tenantRoute, path: '/lists', component: ListsPage });
const listRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: '/lists/$listId',
  validateSearch: validateLeadSearch,
  component: ListPage,
});

const prospectingRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: '/prospecting',
  validateSearch: (s: Record<string, unknown>): { jobId?: string } => ({ jobId: str(s.jobId) }),
  component: ProspectingPage,
});
const inboxRoute = createRoute({ getParentRoute: () => tenantRoute, path: '/whatsapp', component: InboxPage });
const campaignsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: '/whatsapp/campaigns',
  validateSearch: (s: Record<string, unknown>): { campaignId?: string } => ({ campaignId: str(s.campaignId) }),
  component: CampaignsPage,
});
const jobsRoute = createRoute({ getParentRoute: () => tenantRoute, path: '/jobs', component: JobsPage });
const reportsRoute = createRoute({ getParentRoute: () => tenantRoute, path: '/reports', component: ReportsPage });
const jobRoute = createRoute({ getParentRoute: () => tenantRoute, path: '/jobs/$jobId', component: JobPage });
const settingsRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: '/settings',
  validateSearch: (s: Record<string, unknown>): { section?: SettingsSection } => ({
    section: settingsSections.find((section) => section === s.section),
  }),
  component: SettingsPage,
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  verifyEmailRoute,
  twoFactorRoute,
  inviteRoute,
  devOutboxRoute,
  indexRoute,
  appRoute.addChildren([
    accountRoute,
    tenantRoute.addChildren([
      tenantIndexRoute,
      teamRoute,
      auditRoute,
      planRoute,
      dashboardRoute,
      leadsRoute,
      leadsImportRoute,
      leadRoute,
      listsRoute,
      listRoute,
      prospectingRoute,
      inboxRoute,
      campaignsRoute,
      jobsRoute,
      jobRoute,
      reportsRoute,
      settingsRoute,
    ]),
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    defaultPreloadStaleTime: 0,
    defaultNotFoundComponent: NotFoundPage,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
