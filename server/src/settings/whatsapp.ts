import { randomBytes } from 'node:crypto';
import { can, type UpdateWhatsappSettingsBody, type WhatsappSettings } from '@optarget/shared';
import type { Config } from '../config/config.js';
import type { Db } from '../db/client.js';
import { inTenantTransaction, type Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';
import { changeSection } from './changes.js';
import { maskSecret, openSecret, sealSecret } from './secrets.js';
import { readSettings, type SettingsValues, type StoredSettings } from './store.js';

/** A tenant's WhatsApp Cloud API connection in clear, for calling Meta and checking webhooks. */
export type WhatsappConnection = {
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret: string;
  graphVersion: string;
  verifyToken: string | null;
};

export const webhookUrlOf = (config: Config, tenantId: string) => `${config.publicUrl}/api/v1/webhooks/whatsapp/${tenantId}`;

/** The section as the audit log records it: ids in clear, every credential masked. */
const auditedView = (appSecret: string) => (s: StoredSettings) => ({
  phoneNumberId: s.whatsappPhoneNumberId,
  businessAccountId: s.whatsappBusinessAccountId,
  accessToken: maskSecret(openSecret(appSecret, 'whatsapp-access-token', s.whatsappAccessTokenEnc)),
  appSecret: maskSecret(openSecret(appSecret, 'whatsapp-app-secret', s.whatsappAppSecretEnc)),
  graphVersion: s.whatsappGraphVersion,
  verifyToken: maskSecret(openSecret(appSecret, 'whatsapp-verify-token', s.whatsappVerifyTokenEnc)),
});

function settingsView(ctx: Pick<TenantContext, 'tenantId' | 'role' | 'services'>, s: StoredSettings): WhatsappSettings {
  const { config } = ctx.services;
  const audited = auditedView(config.appSecret)(s);
  return {
    phoneNumberId: audited.phoneNumberId,
    businessAccountId: audited.businessAccountId,
    accessToken: audited.accessToken,
    appSecret: audited.appSecret,
    graphVersion: s.whatsappGraphVersion ?? config.WHATSAPP_GRAPH_VERSION,
    // Whoever manages the connection pastes it into Meta's dashboard; nobody else needs it.
    verifyToken: can(ctx.role, 'settings.manage') ? openSecret(config.appSecret, 'whatsapp-verify-token', s.whatsappVerifyTokenEnc) : null,
    webhookUrl: webhookUrlOf(config, ctx.tenantId),
    connected: connectionOf(config, s) !== null,
  };
}

function connectionOf(config: Config, s: StoredSettings): WhatsappConnection | null {
  const accessToken = openSecret(config.appSecret, 'whatsapp-access-token', s.whatsappAccessTokenEnc);
  const appSecret = openSecret(config.appSecret, 'whatsapp-app-secret', s.whatsappAppSecretEnc);
  if (!s.whatsappPhoneNumberId || !s.whatsappBusinessAccountId || !accessToken || !appSecret) return null;
  return {
    phoneNumberId: s.whatsappPhoneNumberId,
    businessAccountId: s.whatsappBusinessAccountId,
    accessToken,
    appSecret,
    graphVersion: s.whatsappGraphVersion ?? config.WHATSAPP_GRAPH_VERSION,
    verifyToken: openSecret(config.appSecret, 'whatsapp-verify-token', s.whatsappVerifyTokenEnc),
  };
}

/** The tenant's connection, or null while any of its four credentials is missing. */
export async function loadWhatsappConnection(tx: Tx, tenantId: string, config: Config): Promise<WhatsappConnection | null> {
  return connectionOf(config, await readSettings(tx, tenantId));
}

export type WebhookSecrets = {
  appSecret: string | null;
  verifyToken: string | null;
  phoneNumberId: string | null;
  businessAccountId: string | null;
};

/** The webhook's verify token and app secret, whatever else is saved (Meta verifies the URL before the first message). */
export async function loadWebhookSecrets(tx: Tx, tenantId: string, config: Config): Promise<WebhookSecrets> {
  const s = await readSettings(tx, tenantId);
  return {
    appSecret: openSecret(config.appSecret, 'whatsapp-app-secret', s.whatsappAppSecretEnc),
    verifyToken: openSecret(config.appSecret, 'whatsapp-verify-token', s.whatsappVerifyTokenEnc),
    phoneNumberId: s.whatsappPhoneNumberId,
    businessAccountId: s.whatsappBusinessAccountId,
  };
}

/**
 * The webhook's secrets as every delivery checks them: read at most every few seconds per tenant
 * (a burst of deliveries would otherwise read and decrypt them each time), forgotten at once in
 * this process when the section changes, and within SECRETS_TTL_MS in the others.
 */
const SECRETS_TTL_MS = 5_000;
const SECRETS_CACHED = 10_000;
const webhookSecrets = new Map<string, { secrets: WebhookSecrets; until: number }>();

export async function cachedWebhookSecrets(db: Db, tenantId: string, config: Config): Promise<WebhookSecrets> {
  const hit = webhookSecrets.get(tenantId);
  if (hit && hit.until > Date.now()) return hit.secrets;
  const secrets = await inTenantTransaction(db, tenantId, (tx) => loadWebhookSecrets(tx, tenantId, config));
  // Unknown tenants are cached too (posting to random ids costs a read each otherwise), within a bound.
  if (webhookSecrets.size >= SECRETS_CACHED) webhookSecrets.clear();
  webhookSecrets.set(tenantId, { secrets, until: Date.now() + SECRETS_TTL_MS });
  return secrets;
}

export async function getWhatsappSettings(ctx: TenantContext): Promise<WhatsappSettings> {
  return settingsView(ctx, await readSettings(ctx.tx, ctx.tenantId));
}

const newVerifyToken = () => randomBytes(24).toString('base64url');

/** Saves the fields given (credentials sealed); the first save also generates the verify token. */
export async function updateWhatsappSettings(ctx: TenantContext, body: UpdateWhatsappSettingsBody): Promise<WhatsappSettings> {
  const { appSecret } = ctx.services.config;
  webhookSecrets.delete(ctx.tenantId);
  const after = await changeSection(ctx, {
    section: 'whatsapp',
    audited: auditedView(appSecret),
    values: (current) => {
      const values: SettingsValues = {};
      if (body.phoneNumberId !== undefined) values.whatsappPhoneNumberId = body.phoneNumberId;
      if (body.businessAccountId !== undefined) values.whatsappBusinessAccountId = body.businessAccountId;
      if (body.graphVersion !== undefined) values.whatsappGraphVersion = body.graphVersion;
      if (body.accessToken !== undefined) values.whatsappAccessTokenEnc = sealSecret(appSecret, 'whatsapp-access-token', body.accessToken);
      if (body.appSecret !== undefined) values.whatsappAppSecretEnc = sealSecret(appSecret, 'whatsapp-app-secret', body.appSecret);
      if (!current.whatsappVerifyTokenEnc) values.whatsappVerifyTokenEnc = sealSecret(appSecret, 'whatsapp-verify-token', newVerifyToken());
      return values;
    },
  });
  return settingsView(ctx, after);
}

/** A new verify token: the old one stops working for the handshake at once. */
export async function regenerateVerifyToken(ctx: TenantContext): Promise<WhatsappSettings> {
  const { appSecret } = ctx.services.config;
  webhookSecrets.delete(ctx.tenantId);
  const after = await changeSection(ctx, {
    section: 'whatsapp',
    audited: auditedView(appSecret),
    values: () => ({ whatsappVerifyTokenEnc: sealSecret(appSecret, 'whatsapp-verify-token', newVerifyToken()) }),
  });
  return settingsView(ctx, after);
}

/** Forgets the whole connection: nothing can be sent and every webhook is refused until it is saved again. */
export async function disconnectWhatsapp(ctx: TenantContext): Promise<WhatsappSettings> {
  webhookSecrets.delete(ctx.tenantId);
  const after = await changeSection(ctx, {
    section: 'whatsapp',
    audited: auditedView(ctx.services.config.appSecret),
    values: () => ({
      whatsappPhoneNumberId: null,
      whatsappBusinessAccountId: null,
      whatsappAccessTokenEnc: null,
      whatsappAppSecretEnc: null,
      whatsappGraphVersion: null,
      whatsappVerifyTokenEnc: null,
    }),
  });
  return settingsView(ctx, after);
}
