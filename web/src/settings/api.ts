import type {
  BrandingSettings,
  GeneralSettings,
  ProspectingSettings,
  ScoringWeightOverrides,
  ScoringWeights,
  UpdateBrandingBody,
  UpdateGeneralSettingsBody,
} from '@optarget/shared';
import { api, tenantPath } from '../api/client';

const base = (tenantId: string) => `${tenantPath(tenantId)}/settings`;

export const settingsApi = {
  general: (tenantId: string) => api.get<GeneralSettings>(`${base(tenantId)}/general`),
  saveGeneral: (tenantId: string, body: UpdateGeneralSettingsBody) => api.patch<GeneralSettings>(`${base(tenantId)}/general`, body),

  prospecting: (tenantId: string) => api.get<ProspectingSettings>(`${base(tenantId)}/prospecting`),
  saveGoogleKey: (tenantId: string, apiKey: string) =>
    api.put<ProspectingSettings>(`${base(tenantId)}/prospecting/google-places-key`, { apiKey }),
  removeGoogleKey: (tenantId: string) => api.del<ProspectingSettings>(`${base(tenantId)}/prospecting/google-places-key`),

  scoring: (tenantId: string) => api.get<ScoringWeights>(`${base(tenantId)}/scoring`),
  saveScoring: (tenantId: string, weights: ScoringWeightOverrides) => api.put<ScoringWeights>(`${base(tenantId)}/scoring`, { weights }),

  branding: (tenantId: string) => api.get<BrandingSettings>(`${base(tenantId)}/branding`),
  saveBranding: (tenantId: string, body: UpdateBrandingBody) => api.patch<BrandingSettings>(`${base(tenantId)}/branding`, body),
  uploadLogo: (tenantId: string, file: File) => api.putFile<BrandingSettings>(`${base(tenantId)}/branding/logo`, file),
  removeLogo: (tenantId: string) => api.del<BrandingSettings>(`${base(tenantId)}/branding/logo`),
  /** The logo's address, changing with each upload so the browser never shows an old one. */
  logoUrl: (tenantId: string, logo: NonNullable<BrandingSettings['logo']>) =>
    `${base(tenantId)}/branding/logo?v=${encodeURIComponent(logo.updatedAt)}`,
};

export const settingsKeys = {
  section: (tenantId: string, section: 'general' | 'prospecting' | 'scoring' | 'branding') =>
    ['tenant', tenantId, 'settings', section] as const,
};
