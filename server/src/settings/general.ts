import type { GeneralSettings, UpdateGeneralSettingsBody } from '@optarget/shared';
import type { Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';
import { changeSection } from './changes.js';
import { readSettings, type StoredSettings } from './store.js';

const generalView = (s: StoredSettings): GeneralSettings => ({ defaultCountry: s.defaultCountry });

/** The country assumed for phone numbers typed without a country code (null when the tenant has not chosen one). */
export async function findDefaultCountry(tx: Tx, tenantId: string): Promise<string | null> {
  return (await readSettings(tx, tenantId)).defaultCountry;
}

export const getGeneralSettings = async (tx: Tx, tenantId: string) => generalView(await readSettings(tx, tenantId));

export async function updateGeneralSettings(ctx: TenantContext, body: UpdateGeneralSettingsBody): Promise<GeneralSettings> {
  const after = await changeSection(ctx, {
    section: 'general',
    audited: generalView,
    values: () => ({ defaultCountry: body.defaultCountry }),
  });
  return generalView(after);
}
