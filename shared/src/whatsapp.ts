import { z } from 'zod';
import { countedPage, IsoDate, page, PageQuery, Text, Uuid } from './common.js';
import { ruled } from './field-rules.js';
import { SecretMask } from './settings.js';

// ---- Connection (a settings section) ------------------------------------------------------

export const GRAPH_VERSION_PATTERN = /^v\d{1,3}\.\d$/;
const metaId = (what: string) => Text.trim().regex(/^\d{5,25}$/, `must be the ${what} as Meta shows it: digits only`);

export const WhatsappSettings = z.object({
  phoneNumberId: z.string().nullable(),
  businessAccountId: z.string().nullable(),
  accessToken: SecretMask,
  appSecret: SecretMask,
  /** The Graph API version calls go to, e.g. `v23.0`. */
  graphVersion: z.string(),
  /** What Meta's dashboard asks for as the verify token; shown only to those who manage settings. */
  verifyToken: z.string().nullable(),
  /** The address to paste into Meta's app dashboard as the callback URL. */
  webhookUrl: z.string(),
  /** All four credentials are saved: messages can be sent and webhooks checked. */
  connected: z.boolean(),
});
export type WhatsappSettings = z.infer<typeof WhatsappSettings>;

/** Fields left out stay as they are; the token and app secret are replaced only when given. */
export const UpdateWhatsappSettingsBody = z.object({
  phoneNumberId: metaId('phone number id').optional(),
  businessAccountId: metaId('WhatsApp Business Account id').optional(),
  accessToken: Text.trim()
    .min(20, 'does not look like an access token')
    .max(1000, 'must be at most 1000 characters')
    .regex(/^[\w.-]+$/, 'may contain only letters, digits, ., - and _')
    .optional(),
  appSecret: Text.trim()
    .min(8, 'does not look like an app secret')
    .max(200, 'must be at most 200 characters')
    .regex(/^[\w-]+$/, 'may contain only letters, digits, - and _')
    .optional(),
  graphVersion: Text.trim().regex(GRAPH_VERSION_PATTERN, 'must be a Graph API version such as v23.0').optional(),
});
export type UpdateWhatsappSettingsBody = z.infer<typeof UpdateWhatsappSettingsBody>;

/** What "Test connection" reads of the phone number from Meta. */
export const WhatsappConnectionCheck = z.object({
  displayPhoneNumber: z.string().nullable(),
  verifiedName: z.string().nullable(),
  qualityRating: z.string().nullable(),
  messagingLimit: z.string().nullable(),
});
export type WhatsappConnectionCheck = z.infer<typeof WhatsappConnectionCheck>;

// ---- Templates ------------------------------------------------------------------------------

export const WhatsappTemplate = z.object({
  id: Uuid,
  name: z.string(),
  language: z.string(),
  category: z.string(),
  status: z.string(),
  rejectedReason: z.string().nullable(),
  /** The body's text with its variables (`{{1}}` or `{{name}}`). */
  body: z.string().nullable(),
  /** The body's variables in order, as the template names them. */
  variables: z.array(z.string()),
  syncedAt: IsoDate.nullable(),
});
export type WhatsappTemplate = z.infer<typeof WhatsappTemplate>;
export const WhatsappTemplateList = z.object({ items: z.array(WhatsappTemplate) });
export const TemplateSyncResult = z.object({ fetched: z.number().int(), created: z.number().int(), updated: z.number().int() });

/** The categories a template is submitted in; Meta may assign another when it decides. */
export const templateCategories = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const TemplateCategory = z.enum(templateCategories);
const line = (max: number) => Text.trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const noVariables = (v: string) => !/\{\{/.test(v);
/** A variable in a body: `{{1}}` (positional) or `{{first_name}}` (named). */
export const TEMPLATE_VARIABLE = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;
export const templateVariables = (body: string) => [...new Set([...body.matchAll(TEMPLATE_VARIABLE)].map((m) => m[1]))];

export const TemplateButton = z.discriminatedUnion('type', [
  z.object({ type: z.literal('QUICK_REPLY'), text: line(25) }),
  z.object({
    type: z.literal('URL'),
    text: line(25),
    url: Text.trim()
      .regex(/^https:\/\/\S+$/, 'must be an https:// address')
      .max(2000),
  }),
  z.object({
    type: z.literal('PHONE_NUMBER'),
    text: line(25),
    phoneNumber: Text.trim().regex(/^\+\d{6,20}$/, "must be + and the number's digits"),
  }),
]);
export type TemplateButton = z.infer<typeof TemplateButton>;

/** A template to submit to Meta for review (it stays PENDING until Meta decides). */
export const CreateTemplateBody = z
  .object({
    name: Text.trim()
      .min(1, 'must not be empty')
      .max(512, 'must be at most 512 characters')
      .regex(/^[a-z0-9_]+$/, 'may contain only lowercase letters, digits and _'),
    /** Meta's language code, such as `en_US` or `ar`. */
    language: Text.trim().regex(/^[a-z]{2,3}(_[A-Z]{2,4})?$/, 'must be a language code such as en_US or ar'),
    category: TemplateCategory,
    parameterFormat: z.enum(['POSITIONAL', 'NAMED']).default('POSITIONAL'),
    header: line(60).refine(noVariables, 'may not contain variables').optional(),
    body: line(1024),
    footer: line(60).refine(noVariables, 'may not contain variables').optional(),
    buttons: z.array(TemplateButton).max(10, 'must be at most 10 buttons').default([]),
    /** An example value for each body variable, by its name (`1`, `2`… or `first_name`): Meta reviews with them. */
    examples: z.record(Text.trim().max(100), line(200)).default({}),
  })
  .superRefine((t, ctx) => {
    const names = templateVariables(t.body);
    const positional = t.parameterFormat === 'POSITIONAL';
    if (positional && names.some((n, i) => n !== String(i + 1)))
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'positional variables must be {{1}}, {{2}}… in order' });
    if (!positional && names.some((n) => !/^[a-z_][a-z0-9_]*$/.test(n)))
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'named variables must be lowercase names such as {{first_name}}' });
    for (const name of names)
      if (!t.examples[name]) ctx.addIssue({ code: 'custom', path: ['examples', name], message: `needs an example value for {{${name}}}` });
  });
export type CreateTemplateBody = z.infer<typeof CreateTemplateBody>;
export const TemplateParams = z.object({ tenantId: Uuid, templateId: Uuid });

// ---- Consent --------------------------------------------------------------------------------

export const consentStates = ['NONE', 'OPTED_IN', 'OPTED_OUT'] as const;
export const ConsentState = z.enum(consentStates);
export type ConsentState = z.infer<typeof ConsentState>;
/** How consent was given or withdrawn. */
export const consentSources = [
  'RECORDED_BY_MEMBER',
  'KEYWORD',
  'LEAD_STARTED_CHAT',
  'UNSUBSCRIBE_BUTTON',
  'META_ERROR_131050',
  'USER_PREFERENCES',
] as const;
export const ConsentSource = z.enum(consentSources);
export type ConsentSource = z.infer<typeof ConsentSource>;

export const WhatsappConsent = z.object({
  state: ConsentState,
  source: ConsentSource.nullable(),
  at: IsoDate.nullable(),
  byUserId: Uuid.nullable(),
  proof: z.string().nullable(),
  optOutReason: z.string().nullable(),
});
export type WhatsappConsent = z.infer<typeof WhatsappConsent>;

const note = (max: number) => Text.trim().min(3, 'must say at least 3 characters').max(max, `must be at most ${max} characters`);
export const RecordConsentBody = z.discriminatedUnion('state', [
  /** Where and when the person agreed, e.g. "Signed the form at the Riyadh expo, 2 May". */
  z.object({ state: z.literal('OPTED_IN'), proof: note(500) }),
  z.object({ state: z.literal('OPTED_OUT'), reason: note(300) }),
]);
export type RecordConsentBody = z.infer<typeof RecordConsentBody>;

// ---- Messages and conversations --------------------------------------------------------------

export const messageStatuses = ['QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'RECEIVED'] as const;
export const MessageStatus = z.enum(messageStatuses);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const WhatsappMessage = z.object({
  id: Uuid,
  leadId: Uuid.nullable(),
  direction: z.enum(['OUT', 'IN']),
  type: z.string(),
  text: z.string().nullable(),
  templateName: z.string().nullable(),
  parameters: z.array(z.string()).nullable(),
  /** The report a `document` message carries. */
  reportId: Uuid.nullable(),
  status: MessageStatus,
  held: z.boolean(),
  errorCode: z.number().int().nullable(),
  errorTitle: z.string().nullable(),
  errorDetails: z.string().nullable(),
  sentByUserId: Uuid.nullable(),
  createdAt: IsoDate,
  sentAt: IsoDate.nullable(),
  deliveredAt: IsoDate.nullable(),
  readAt: IsoDate.nullable(),
  failedAt: IsoDate.nullable(),
  receivedAt: IsoDate.nullable(),
});
export type WhatsappMessage = z.infer<typeof WhatsappMessage>;

/** Why a lead cannot be sent something, as a stable code the UI explains. */
export const sendBlockers = ['NOT_CONNECTED', 'NO_PHONE', 'OPTED_OUT', 'NO_CONSENT', 'WINDOW_CLOSED'] as const;
export const SendBlocker = z.enum(sendBlockers);
export type SendBlocker = z.infer<typeof SendBlocker>;

export const WhatsappConversation = z.object({
  leadId: Uuid,
  leadName: z.string(),
  phone: z.string().nullable(),
  profileName: z.string().nullable(),
  consent: WhatsappConsent,
  /** The 24-hour customer-service window: free text is allowed until it closes. */
  windowClosesAt: IsoDate.nullable(),
  lastMessageAt: IsoDate.nullable(),
  lastMessagePreview: z.string().nullable(),
  unreadCount: z.number().int(),
  assignedUserId: Uuid.nullable(),
  /** What stops free text and templates now (empty: both allowed). */
  textBlockedBy: SendBlocker.nullable(),
  templateBlockedBy: SendBlocker.nullable(),
});
export type WhatsappConversation = z.infer<typeof WhatsappConversation>;

export const WhatsappThread = z.object({
  conversation: WhatsappConversation,
  /** The latest messages, oldest first. */
  messages: z.array(WhatsappMessage),
  /** When older messages exist: the cursor that reads them (…/whatsapp/messages?cursor=). */
  olderCursor: z.string().nullable(),
});
export type WhatsappThread = z.infer<typeof WhatsappThread>;

/** Older messages of a thread, newest of them first; `nextCursor` reads the ones before. */
export const MessagePage = page(WhatsappMessage);
export type MessagePage = z.infer<typeof MessagePage>;

export const ConversationPage = countedPage(WhatsappConversation);
export type ConversationPage = z.infer<typeof ConversationPage>;
export const ConversationQuery = PageQuery.extend({
  /** Only conversations assigned to this member, or `none` for unassigned ones. */
  assigned: z.union([Uuid, z.literal('none')]).optional(),
  unread: z.enum(['true', 'false']).optional(),
});
export type ConversationQuery = z.infer<typeof ConversationQuery>;

export const AssignConversationBody = z.object({ assignedUserId: Uuid.nullable() });

/** Meta's limit for one body parameter of a template (the whole body is limited to the same). */
export const MAX_FIXED_PARAMETER_LENGTH = 1024;
/** What Meta refuses in a template parameter (error 132018): a line break, a tab, or four spaces in a row. */
export const REFUSED_PARAMETER_TEXT = /[\r\n\t]| {4}/;

/** Fixed text given for a template variable, as Meta accepts it. */
export const FixedParameterText = Text.trim()
  .min(1, 'must not be empty')
  .max(MAX_FIXED_PARAMETER_LENGTH, `must be at most ${MAX_FIXED_PARAMETER_LENGTH} characters`)
  .refine(
    (v) => !REFUSED_PARAMETER_TEXT.test(v),
    ruled('templateText', 'must not contain line breaks, tabs or four spaces in a row (WhatsApp refuses them)'),
  );

/** A template variable filled from a lead field or with fixed text. */
export const templateLeadFields = ['name', 'city', 'category', 'website', 'email', 'phone'] as const;
const templateParameterOf = <T extends z.ZodType<string>>(text: T) =>
  z.discriminatedUnion('source', [
    z.object({ source: z.literal('field'), field: z.enum(templateLeadFields) }),
    z.object({ source: z.literal('text'), text }),
    /** The public link of the lead's latest finished report (an active link made for WhatsApp is reused). */
    z.object({ source: z.literal('reportLink') }),
  ]);
export const TemplateParameter = templateParameterOf(FixedParameterText);
export type TemplateParameter = z.infer<typeof TemplateParameter>;
/** A parameter as stored: read back without the input rules, so one saved under older rules still shows. */
export const StoredTemplateParameter = templateParameterOf(z.string());

export const SendMessageBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    text: Text.trim().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters'),
    idempotencyKey: Uuid.optional(),
  }),
  z.object({
    kind: z.literal('template'),
    templateId: Uuid,
    parameters: z.array(TemplateParameter).max(20),
    idempotencyKey: Uuid.optional(),
  }),
  /** A report of the lead as a PDF document: free-form, so only inside the 24-hour window. */
  z.object({
    kind: z.literal('document'),
    reportId: Uuid,
    caption: Text.trim().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters').optional(),
    idempotencyKey: Uuid.optional(),
  }),
]);
export type SendMessageBody = z.infer<typeof SendMessageBody>;

/** Sends one queued message (the row written by the send endpoint). */
export const WhatsappSendInput = z.object({ messageId: Uuid });
/** Applies the tenant's webhook deliveries not yet applied, oldest first. */
export const WhatsappWebhookInput = z.object({});

/** The audit actions of WhatsApp (the connection's changes are `settings.whatsapp_changed`). */
export const whatsappAuditActions = {
  messageSent: 'whatsapp.message_sent',
  consentChanged: 'whatsapp.consent_changed',
  conversationAssigned: 'whatsapp.conversation_assigned',
  templatesSynced: 'whatsapp.templates_synced',
  templateCreated: 'whatsapp.template_created',
  templateDeleted: 'whatsapp.template_deleted',
} as const;
