import { z } from 'zod';
import { countedPage, CountryCode, IsoDate, PageQuery, Text, Uuid } from './common.js';
import { ReportLanguage } from './settings.js';
import { StoredTemplateParameter, TemplateCategory, TemplateParameter } from './whatsapp.js';

// ---- Message rates (a settings section) -----------------------------------------------------

export const MessageRate = z.object({
  /** The recipient's country, from the phone number's calling code. */
  country: z.string(),
  category: TemplateCategory,
  /** The price of one delivered template message, in the table's currency. */
  rate: z.number(),
});
export type MessageRate = z.infer<typeof MessageRate>;

/** The tenant's copy of Meta's rate card: Meta changes it each quarter, so OpTarget ships none. */
export const WhatsappRates = z.object({ currency: z.string(), rates: z.array(MessageRate) });
export type WhatsappRates = z.infer<typeof WhatsappRates>;

/** Replaces the whole table. */
export const UpdateWhatsappRatesBody = z.object({
  currency: Text.trim().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as USD'),
  rates: z
    .array(
      z.object({
        country: CountryCode,
        category: TemplateCategory,
        rate: z.number().min(0, 'must not be negative').max(100, 'must be at most 100'),
      }),
    )
    .max(1000)
    .refine(
      (rows) => new Set(rows.map((r) => `${r.country}/${r.category}`)).size === rows.length,
      'must name each country and category once',
    ),
});
export type UpdateWhatsappRatesBody = z.infer<typeof UpdateWhatsappRatesBody>;

// ---- Campaigns ------------------------------------------------------------------------------

export const campaignStatuses = ['DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED', 'COMPLETED', 'STOPPED', 'CANCELLED'] as const;
export const CampaignStatus = z.enum(campaignStatuses);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/** Why a lead of the list gets no message. */
export const skipReasons = ['NO_CONSENT', 'OPTED_OUT', 'NO_PHONE', 'DUPLICATE_PHONE', 'MISSING_VALUE', 'PLAN_LIMIT', 'CANCELLED'] as const;
export const SkipReason = z.enum(skipReasons);
export type SkipReason = z.infer<typeof SkipReason>;
export const SkipCounts = z.object(Object.fromEntries(skipReasons.map((r) => [r, z.number().int()])) as Record<SkipReason, z.ZodNumber>);
export type SkipCounts = z.infer<typeof SkipCounts>;

export const recipientStatuses = ['PENDING', 'SENDING', 'SENT', 'FAILED', 'SKIPPED', 'UNCONFIRMED'] as const;
export const RecipientStatus = z.enum(recipientStatuses);
export type RecipientStatus = z.infer<typeof RecipientStatus>;

export const MAX_CAMPAIGN_RATE = 80;
/** A start time further out than this is refused: plans, consent and rates change. */
export const MAX_CAMPAIGN_DELAY_DAYS = 30;

export const CreateCampaignBody = z.object({
  name: Text.trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  listId: Uuid,
  templateId: Uuid,
  parameters: z.array(TemplateParameter).max(20),
  /** Messages per second; Meta's default throughput is 80. */
  ratePerSecond: z.number().int().min(1, 'must be at least 1').max(MAX_CAMPAIGN_RATE, `must be at most ${MAX_CAMPAIGN_RATE}`).default(20),
  /** When sending starts; empty means as soon as the campaign is started. */
  startAt: IsoDate.nullable().default(null),
});
export type CreateCampaignBody = z.infer<typeof CreateCampaignBody>;

export const CostLine = z.object({
  country: z.string().nullable(),
  category: z.string(),
  recipients: z.number().int(),
  /** Null when the rate table has no rate for this country and category. */
  rate: z.number().nullable(),
  cost: z.number().nullable(),
});
export const CampaignPreview = z.object({
  listSize: z.number().int(),
  willReceive: z.number().int(),
  skipped: SkipCounts,
  /** Messages the plan still allows this month, before this campaign. */
  planRemaining: z.number().int(),
  cost: z.object({
    currency: z.string().nullable(),
    total: z.number(),
    lines: z.array(CostLine),
    /** Recipients whose country and category have no rate in the table (not counted in the total). */
    unpriced: z.number().int(),
  }),
  /** How long sending takes at the campaign's rate, in seconds. */
  durationSeconds: z.number().int(),
});
export type CampaignPreview = z.infer<typeof CampaignPreview>;

export const CampaignStats = z.object({
  recipients: z.number().int(),
  pending: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  failed: z.number().int(),
  replied: z.number().int(),
  optedOut: z.number().int(),
  held: z.number().int(),
  unconfirmed: z.number().int(),
  skipped: SkipCounts,
});
export type CampaignStats = z.infer<typeof CampaignStats>;

export const WhatsappCampaign = z.object({
  id: Uuid,
  name: z.string(),
  listId: Uuid.nullable(),
  listName: z.string().nullable(),
  templateId: Uuid.nullable(),
  templateName: z.string(),
  templateLanguage: z.string(),
  parameters: z.array(StoredTemplateParameter),
  ratePerSecond: z.number().int(),
  startAt: IsoDate.nullable(),
  status: CampaignStatus,
  /** Why Meta or OpTarget stopped the campaign (135000, a paused template…). */
  stopReason: z.string().nullable(),
  stopCode: z.number().int().nullable(),
  jobId: Uuid.nullable(),
  estimatedCost: z.number().nullable(),
  currency: z.string().nullable(),
  createdByUserId: Uuid.nullable(),
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
  stats: CampaignStats,
});
export type WhatsappCampaign = z.infer<typeof WhatsappCampaign>;
export const CampaignPage = countedPage(WhatsappCampaign);
export type CampaignPage = z.infer<typeof CampaignPage>;

export const CampaignParams = z.object({ tenantId: Uuid, campaignId: Uuid });

export const CampaignRecipient = z.object({
  id: Uuid,
  leadId: Uuid.nullable(),
  leadName: z.string().nullable(),
  phone: z.string().nullable(),
  status: RecipientStatus,
  skipReason: SkipReason.nullable(),
  messageId: Uuid.nullable(),
  /** The message's status as webhooks move it (SENT, DELIVERED, READ, FAILED). */
  messageStatus: z.string().nullable(),
  errorCode: z.number().int().nullable(),
  errorTitle: z.string().nullable(),
  repliedAt: IsoDate.nullable(),
  sentAt: IsoDate.nullable(),
});
export type CampaignRecipient = z.infer<typeof CampaignRecipient>;
export const RecipientPage = countedPage(CampaignRecipient);
export type RecipientPage = z.infer<typeof RecipientPage>;
export const RecipientQuery = PageQuery.extend({ status: RecipientStatus.optional() });
export type RecipientQuery = z.infer<typeof RecipientQuery>;

/**
 * One recipient's outcome as the recipients CSV names it: what happened last that matters most (an
 * opt-out or a reply after the message beats its delivery state).
 */
export const recipientOutcomes = [
  'pending',
  'unconfirmed',
  'sent',
  'delivered',
  'read',
  'replied',
  'opted_out',
  'failed',
  'skipped',
] as const;
export type RecipientOutcome = (typeof recipientOutcomes)[number];
export const recipientCsvColumns = [
  'lead_name',
  'phone',
  'status',
  'reason',
  'sent_at',
  'delivered_at',
  'read_at',
  'failed_at',
  'replied_at',
  'opted_out_at',
] as const;
/** The language the recipients CSV writes statuses and reasons in. */
export const RecipientsCsvQuery = z.object({ lang: ReportLanguage.default('en') });

/** Sends a started campaign's pending recipients. */
export const WhatsappCampaignInput = z.object({ campaignId: Uuid });

export const campaignAuditActions = {
  created: 'whatsapp.campaign_created',
  started: 'whatsapp.campaign_started',
  paused: 'whatsapp.campaign_paused',
  resumed: 'whatsapp.campaign_resumed',
  cancelled: 'whatsapp.campaign_cancelled',
  recipientsExported: 'whatsapp.campaign_recipients_exported',
} as const;
