import type { UpdateWhatsappRatesBody, WhatsappRates } from '@optarget/shared';
import type { Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';
import { changeSection } from './changes.js';
import { readSettings, type StoredSettings } from './store.js';

/** No rates until the tenant enters Meta's current ones: OpTarget ships none (Meta changes them each quarter). */
const ratesView = (s: StoredSettings): WhatsappRates => (s.whatsappRates as WhatsappRates | null) ?? { currency: 'USD', rates: [] };

/** The tenant's message rates by country and category, for cost estimates. */
export const getWhatsappRates = async (tx: Tx, tenantId: string) => ratesView(await readSettings(tx, tenantId));

/** Replaces the whole rate table. */
export async function updateWhatsappRates(ctx: TenantContext, body: UpdateWhatsappRatesBody): Promise<WhatsappRates> {
  const after = await changeSection(ctx, { section: 'whatsappRates', audited: ratesView, values: () => ({ whatsappRates: body }) });
  return ratesView(after);
}
