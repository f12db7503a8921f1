import type { ProspectingSettings } from '@optarget/shared';
import type { Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';
import { changeSection } from './changes.js';
import { maskSecret, openSecret, sealSecret } from './secrets.js';
import { readSettings, type StoredSettings } from './store.js';

/** The section as answers and audit entries show it: the key masked, never in clear. */
const prospectingView = (appSecret: string) => (s: StoredSettings) => ({
  googlePlacesKey: maskSecret(openSecret(appSecret, 'google-places-key', s.googlePlacesKeyEnc)),
});

/** The tenant's Google Places API key in clear, for calling Google; null when none is saved. */
export async function loadGooglePlacesKey(tx: Tx, tenantId: string, appSecret: string): Promise<string | null> {
  return openSecret(appSecret, 'google-places-key', (await readSettings(tx, tenantId)).googlePlacesKeyEnc);
}

export async function getProspectingSettings(tx: Tx, tenantId: string, appSecret: string): Promise<ProspectingSettings> {
  return prospectingView(appSecret)(await readSettings(tx, tenantId));
}

/** Saves (or replaces) the key, sealed; removes it when `apiKey` is null. */
export async function setGooglePlacesKey(ctx: TenantContext, apiKey: string | null): Promise<ProspectingSettings> {
  const { appSecret } = ctx.services.config;
  const view = prospectingView(appSecret);
  const after = await changeSection(ctx, {
    section: 'prospecting',
    audited: view,
    values: () => ({ googlePlacesKeyEnc: apiKey === null ? null : sealSecret(appSecret, 'google-places-key', apiKey) }),
  });
  return view(after);
}
