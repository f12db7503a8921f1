import type { WhatsappConnectionCheck } from '@optarget/shared';
import type { Config } from '../config/config.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import type { TenantStreamContext } from '../http/routes.js';
import { loadWhatsappConnection, type WhatsappConnection } from '../settings/whatsapp.js';
import { GraphError, readPhoneNumber } from './graph.js';

/** The tenant's connection, or a 409 that says where to complete it. */
export async function requireConnection(tx: Tx, tenantId: string, config: Config): Promise<WhatsappConnection> {
  const conn = await loadWhatsappConnection(tx, tenantId, config);
  if (!conn) {
    throw new AppError(
      'WHATSAPP_NOT_CONNECTED',
      'Save the phone number id, business account id, access token and app secret in Settings → WhatsApp first.',
    );
  }
  return conn;
}

/** "Test connection": the number's display name, quality rating and messaging limit, read from Meta with the saved token. */
export async function checkConnection(ctx: TenantStreamContext): Promise<WhatsappConnectionCheck> {
  const conn = await ctx.inTenant((tx) => requireConnection(tx, ctx.tenantId, ctx.services.config));
  try {
    const info = await readPhoneNumber(ctx.services.config, conn);
    return {
      displayPhoneNumber: info.display_phone_number ?? null,
      verifiedName: info.verified_name ?? null,
      qualityRating: info.quality_rating ?? null,
      messagingLimit: info.messaging_limit_tier ?? null,
    };
  } catch (err) {
    if (err instanceof GraphError)
      throw new AppError('WHATSAPP_UPSTREAM', `Meta refused the saved connection: ${err.message}`, { metaCode: err.code });
    throw err;
  }
}
