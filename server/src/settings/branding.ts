import { eq } from 'drizzle-orm';
import {
  defaultBrandColor,
  LogoContentType,
  type BrandingSettings,
  type DigitSystem,
  type ReportLanguage,
  type UpdateBrandingBody,
} from '@optarget/shared';
import { tenants } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';
import { changeSection } from './changes.js';
import { checkLogo } from './logo-check.js';
import { readLogo, readSettings, type StoredSettings } from './store.js';

/** What a report is branded with. */
export type Branding = {
  /** The name the agency chose, or else the organization's name. */
  displayName: string;
  /** `#rrggbb`: the tenant's colour, or else the default one. */
  brandColor: string;
  contactLine: string | null;
  reportLanguage: ReportLanguage;
  digits: DigitSystem;
  logo: { bytes: Buffer; contentType: LogoContentType } | null;
};

const brandingView = (s: StoredSettings): BrandingSettings => ({
  displayName: s.displayName,
  brandColor: s.brandColor,
  contactLine: s.contactLine,
  reportLanguage: s.reportLanguage as ReportLanguage,
  digits: s.digits as DigitSystem,
  logo:
    s.logoContentType && s.logoSizeBytes !== null && s.logoUpdatedAt
      ? { contentType: s.logoContentType as LogoContentType, sizeBytes: s.logoSizeBytes, updatedAt: s.logoUpdatedAt.toISOString() }
      : null,
});

export const getBrandingSettings = async (tx: Tx, tenantId: string) => brandingView(await readSettings(tx, tenantId));

/**
 * The tenant's branding as a report uses it, read in the caller's transaction, so a change is in
 * the very next report.
 */
export async function getBranding(tx: Tx, tenantId: string): Promise<Branding> {
  const settings = await readSettings(tx, tenantId);
  const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  const logo = await readLogo(tx, tenantId);
  return {
    displayName: settings.displayName ?? tenant?.name ?? '',
    brandColor: settings.brandColor ?? defaultBrandColor,
    contactLine: settings.contactLine,
    reportLanguage: settings.reportLanguage as ReportLanguage,
    digits: settings.digits as DigitSystem,
    logo: logo && { bytes: logo.bytes, contentType: LogoContentType.parse(logo.contentType) },
  };
}

/** Changes the fields the body gives; the others stay. */
export async function updateBranding(ctx: TenantContext, body: UpdateBrandingBody): Promise<BrandingSettings> {
  const values = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
  return brandingView(await changeSection(ctx, { section: 'branding', audited: brandingView, values: () => values }));
}

/** Stores a logo after checking its bytes (a refused file throws a 400 and changes nothing). */
export async function saveLogo(ctx: TenantContext, bytes: Buffer): Promise<BrandingSettings> {
  const contentType = checkLogo(bytes);
  const after = await changeSection(ctx, {
    section: 'branding',
    audited: brandingView,
    values: () => ({ logo: bytes, logoContentType: contentType, logoUpdatedAt: new Date() }),
  });
  return brandingView(after);
}

export async function removeLogo(ctx: TenantContext): Promise<BrandingSettings> {
  const after = await changeSection(ctx, {
    section: 'branding',
    audited: brandingView,
    values: () => ({ logo: null, logoContentType: null, logoUpdatedAt: null }),
  });
  return brandingView(after);
}
