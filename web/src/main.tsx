// First, before any module defines a schema.
import './lib/zod-without-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider, createTheme, darken, type CSSVariablesResolver } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { ApiError } from './api/client';
import { I18nProvider, loadInitialMessages, useI18n } from './i18n';
import { createAppRouter } from './router';

// Colours chosen for at least 4.5:1 contrast on white (WCAG AA): Mantine's default blue (shade 6) and
// dimmed grey are 3.6:1 and 3.3:1.
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  // Filled colours light enough for black text to read better than white get black text.
  autoContrast: true,
  luminanceThreshold: 0.185,
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans Arabic", sans-serif',
});

/** Coloured text and light badges/buttons in a darkened shade 9, the lightest that stays readable for every colour. */
const readableColours: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-placeholder': t.colors.gray[7],
    '--mantine-color-anchor': darken(t.colors[t.primaryColor][9], 0.25),
    ...Object.fromEntries(
      Object.entries(t.colors).flatMap(([name, shades]) => {
        const text = darken(shades[9], 0.25);
        return [
          [`--mantine-color-${name}-text`, text],
          [`--mantine-color-${name}-light-color`, text],
        ];
      }),
    ),
  },
  dark: {},
});

const AUTH_PAGES = ['/sign-in', '/sign-up', '/forgot-password', '/reset-password', '/verify-email', '/two-factor', '/invite'];

/** A 401 from any data query means the session ended: go to sign-in and come back afterwards. */
function onUnauthorized(error: unknown, meta: Record<string, unknown> | undefined) {
  if (!(error instanceof ApiError) || error.status !== 401 || meta?.noAuthRedirect) return;
  const { pathname, search } = window.location;
  if (AUTH_PAGES.includes(pathname)) return;
  queryClient.clear();
  void router.navigate({ to: '/sign-in', search: { redirect: pathname + search } });
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => onUnauthorized(error, query.meta) }),
  mutationCache: new MutationCache({ onError: (error, _v, _c, mutation) => onUnauthorized(error, mutation.meta) }),
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

const router = createAppRouter(queryClient);

/** Notifications appear at the end of the line: top right in English, top left in Arabic. */
function AppNotifications() {
  const { dir } = useI18n();
  return <Notifications position={dir === 'rtl' ? 'top-left' : 'top-right'} />;
}

function render() {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nProvider>
        <MantineProvider theme={theme} cssVariablesResolver={readableColours}>
          <QueryClientProvider client={queryClient}>
            <ModalsProvider>
              <AppNotifications />
              <RouterProvider router={router} />
            </ModalsProvider>
          </QueryClientProvider>
        </MantineProvider>
      </I18nProvider>
    </StrictMode>,
  );
}

// The first render waits for the language's messages, so no key shows; if they cannot be fetched the page
// still opens, and choosing a language in the switcher fetches them again.
void loadInitialMessages().then(render, render);
