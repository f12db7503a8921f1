import { z } from 'zod';
import { ruled } from './field-rules.js';
import { IsoDate, Text } from './common.js';

/**
 * A tenant's settings, one section per concern. Each section is read and changed through its own
 * routes under /api/v1/tenants/{tenantId}/settings/{section}, and each change is one audit entry.
 */
export const settingsSections = ['general', 'prospecting', 'scoring', 'branding', 'whatsapp', 'whatsappRates'] as const;
export type SettingsSection = (typeof settingsSections)[number];

/** The audit action of a change to each section; the entry's metadata holds the section before and after. */
export const settingsAuditActions = {
  general: 'settings.general_changed',
  prospecting: 'settings.prospecting_changed',
  scoring: 'settings.scoring_changed',
  branding: 'settings.branding_changed',
  whatsapp: 'settings.whatsapp_changed',
  whatsappRates: 'settings.whatsapp_rates_changed',
} as const satisfies Record<SettingsSection, string>;

/**
 * How a stored secret is shown everywhere — API answers and audit entries alike: whether one is
 * saved and its last four characters, so people can tell which one it is. Never the secret.
 */
export const SecretMask = z.object({ configured: z.boolean(), last4: z.string().nullable() });
export type SecretMask = z.infer<typeof SecretMask>;

/** An optional line of text: trimmed, and empty means "not set" (null). */
const optionalLine = (max: number) =>
  Text.trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !/[\r\n]/.test(v), ruled('oneLine', 'must fit on one line'))
    .transform((v) => v || null)
    .nullable();

// ---- General -------------------------------------------------------------------------------

/** ISO 3166-1 alpha-2 codes accepted as a default country: the regions the phone-number library knows. */
export const countryCodes = (
  'AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BW BY BZ CA CC CD CF CG CH CI ' +
  'CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP ' +
  'GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS ' +
  'LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF ' +
  'PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ ' +
  'TK TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
).split(' ');

export const GeneralSettings = z.object({
  /** The country assumed for phone numbers written without a country code; null when none is chosen. */
  defaultCountry: z.string().nullable(),
});
export type GeneralSettings = z.infer<typeof GeneralSettings>;
export const UpdateGeneralSettingsBody = z.object({
  /** ISO 3166-1 alpha-2 code such as `SA` (any case); null clears it. */
  defaultCountry: Text.trim()
    .toUpperCase()
    .refine((c) => countryCodes.includes(c), ruled('countryCode', 'must be a two-letter country code such as SA'))
    .nullable(),
});
export type UpdateGeneralSettingsBody = z.infer<typeof UpdateGeneralSettingsBody>;

// ---- Prospecting ---------------------------------------------------------------------------

export const ProspectingSettings = z.object({ googlePlacesKey: SecretMask });
export type ProspectingSettings = z.infer<typeof ProspectingSettings>;
export const GooglePlacesKeyBody = z.object({
  apiKey: Text.trim()
    .min(20, 'does not look like a Google API key')
    .max(200, 'must be at most 200 characters')
    .regex(/^[\w-]+$/, 'may contain only letters, digits, - and _'),
});

// ---- Scoring: the weights' shape lives with the evidence kinds (enrichment.ts) --------------

// ---- Branding ------------------------------------------------------------------------------

export const reportLanguages = ['en', 'ar'] as const;
export const ReportLanguage = z.enum(reportLanguages);
export type ReportLanguage = z.infer<typeof ReportLanguage>;
/** Digits in reports: Latin (0-9) or Arabic-Indic (٠-٩). */
export const digitSystems = ['latin', 'arabic-indic'] as const;
export const DigitSystem = z.enum(digitSystems);
export type DigitSystem = z.infer<typeof DigitSystem>;
export const logoContentTypes = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;
export const LogoContentType = z.enum(logoContentTypes);
export type LogoContentType = z.infer<typeof LogoContentType>;
export const LOGO_MAX_BYTES = 1024 * 1024;
/** The colour reports use when the tenant has not chosen one. */
export const defaultBrandColor = '#1c7ed6';
export const BRAND_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

export const BrandingSettings = z.object({
  /** The agency's name on reports; null shows the organization's name. */
  displayName: z.string().nullable(),
  /** `#rrggbb`; null uses the default colour. */
  brandColor: z.string().nullable(),
  /** How a business owner reaches the agency, e.g. phone, email and website. */
  contactLine: z.string().nullable(),
  reportLanguage: ReportLanguage,
  digits: DigitSystem,
  /** The uploaded logo, served at …/settings/branding/logo; null when there is none. */
  logo: z.object({ contentType: LogoContentType, sizeBytes: z.number().int(), updatedAt: IsoDate }).nullable(),
});
export type BrandingSettings = z.infer<typeof BrandingSettings>;

/** Changes the fields given and keeps the others; an empty text clears its field. */
export const UpdateBrandingBody = z.object({
  displayName: optionalLine(100).optional(),
  brandColor: Text.trim()
    .regex(BRAND_COLOR_PATTERN, 'must be a colour written as # and six hex digits, such as #1c7ed6')
    .toLowerCase()
    .nullable()
    .optional(),
  contactLine: optionalLine(200).optional(),
  reportLanguage: ReportLanguage.optional(),
  digits: DigitSystem.optional(),
});
export type UpdateBrandingBody = z.infer<typeof UpdateBrandingBody>;
