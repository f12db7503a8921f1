import { and, eq, isNotNull } from 'drizzle-orm';
import type { GooglePlacesKeyStatus } from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import { decryptSecret, encryptSecret } from '../crypto/secrets.js';
import { tenants } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';

const PURPOSE = 'google-places-key';

/** The tenant's Google Places API key in clear, for calling Google; null when none is saved. */
export async function loadGooglePlacesKey(tx: Tx, tenantId: string, appSecret: string): Promise<string | null> {
  const [row] = await tx.select({ sealed: tenants.googlePlacesKeyEnc }).from(tenants).where(eq(tenants.id, tenantId));
  return row?.sealed ? decryptSecret(appSecret, PURPOSE, row.sealed) : null;
}

/** Whether a key is saved and its last four characters, so people can tell which key it is. Never the key. */
export async function googlePlacesKeyStatus(tx: Tx, tenantId: string, appSecret: string): Promise<GooglePlacesKeyStatus> {
  const key = await loadGooglePlacesKey(tx, tenantId, appSecret);
  return { configured: key !== null, last4: key ? key.slice(-4) : null };
}

export async function saveGooglePlacesKey(ctx: TenantContext, apiKey: string): Promise<GooglePlacesKeyStatus> {
  const { tx, tenantId, actor, services } = ctx;
  const [before] = await tx.select({ sealed: tenants.googlePlacesKeyEnc }).from(tenants).where(eq(tenants.id, tenantId));
  await tx
    .update(tenants)
    .set({ googlePlacesKeyEnc: encryptSecret(services.config.appSecret, PURPOSE, apiKey) })
    .where(eq(tenants.id, tenantId));
  // The audit entry says that the key changed, never what it is.
  await recordAudit(tx, tenantId, actor, {
    action: 'settings.google_places_key_set',
    targetType: 'tenant',
    targetId: tenantId,
    metadata: { replaced: Boolean(before?.sealed) },
  });
  return { configured: true, last4: apiKey.slice(-4) };
}

export async function removeGooglePlacesKey(ctx: TenantContext): Promise<void> {
  const { tx, tenantId, actor } = ctx;
  const removed = await tx
    .update(tenants)
    .set({ googlePlacesKeyEnc: null })
    .where(and(eq(tenants.id, tenantId), isNotNull(tenants.googlePlacesKeyEnc)))
    .returning({ id: tenants.id });
  // Removing a key that is not there changes nothing, so it leaves no audit entry.
  if (removed.length === 0) return;
  await recordAudit(tx, tenantId, actor, { action: 'settings.google_places_key_removed', targetType: 'tenant', targetId: tenantId });
}
