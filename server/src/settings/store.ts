import { eq, getTableColumns, sql } from 'drizzle-orm';
import { tenantSettings } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';

// Everything but the logo's bytes, which only the logo's own readers fetch; its size instead.
const { logo: _logo, ...columns } = getTableColumns(tenantSettings);
const storedColumns = { ...columns, logoSizeBytes: sql<number | null>`octet_length(${tenantSettings.logo})`.mapWith(Number) };

export type StoredSettings = Omit<typeof tenantSettings.$inferSelect, 'logo'> & { logoSizeBytes: number | null };
export type SettingsValues = Partial<Omit<typeof tenantSettings.$inferInsert, 'tenantId' | 'updatedAt'>>;

/** What a tenant that never changed a setting has: the table's defaults. */
const defaults = (tenantId: string): StoredSettings => ({
  tenantId,
  defaultCountry: null,
  googlePlacesKeyEnc: null,
  scoringWeights: {},
  displayName: null,
  brandColor: null,
  contactLine: null,
  reportLanguage: 'en',
  digits: 'latin',
  logoContentType: null,
  logoUpdatedAt: null,
  logoSizeBytes: null,
  whatsappPhoneNumberId: null,
  whatsappBusinessAccountId: null,
  whatsappAccessTokenEnc: null,
  whatsappAppSecretEnc: null,
  whatsappGraphVersion: null,
  whatsappVerifyTokenEnc: null,
  whatsappRates: null,
  updatedAt: new Date(0),
});

/** The tenant's settings (without the logo's bytes). Each query names the tenant, as row-level security also requires. */
export async function readSettings(tx: Tx, tenantId: string): Promise<StoredSettings> {
  const [row] = await tx.select(storedColumns).from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId));
  return row ?? defaults(tenantId);
}

/**
 * The tenant's settings, with their row created if need be and locked until the transaction ends,
 * so that what a change records as "before" is what it replaced, even with two admins saving at once.
 */
export async function lockSettings(tx: Tx, tenantId: string): Promise<StoredSettings> {
  await tx.insert(tenantSettings).values({ tenantId }).onConflictDoNothing();
  const [row] = await tx.select(storedColumns).from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId)).for('update');
  return row;
}

export async function writeSettings(tx: Tx, tenantId: string, values: SettingsValues): Promise<StoredSettings> {
  const [row] = await tx.update(tenantSettings).set(values).where(eq(tenantSettings.tenantId, tenantId)).returning(storedColumns);
  return row;
}

/** The logo's bytes and type, or null when the tenant has none. */
export async function readLogo(tx: Tx, tenantId: string): Promise<{ bytes: Buffer; contentType: string; updatedAt: Date } | null> {
  const [row] = await tx
    .select({ bytes: tenantSettings.logo, contentType: tenantSettings.logoContentType, updatedAt: tenantSettings.logoUpdatedAt })
    .from(tenantSettings)
    .where(eq(tenantSettings.tenantId, tenantId));
  if (!row?.bytes || !row.contentType || !row.updatedAt) return null;
  // PGlite answers a Uint8Array where node-postgres answers a Buffer.
  const raw: Uint8Array = row.bytes;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return { bytes, contentType: row.contentType, updatedAt: row.updatedAt };
}
