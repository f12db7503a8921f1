import { z } from 'zod';
import { Role } from './common.js';
import { JobType } from './job-types.js';
import { leadViewAuditActions } from './lead-views.js';
import { reportAuditActions } from './reports.js';
import { settingsAuditActions } from './settings.js';
import { whatsappAuditActions, WhatsappConsent } from './whatsapp.js';
import { campaignAuditActions } from './whatsapp-campaigns.js';

const Json = z.record(z.string(), z.unknown());
const change = <T extends z.ZodType>(value: T) => z.object({ before: value, after: value });
const email = z.string();
const invite = z.object({ email, role: Role });
const member = z.object({ email, before: z.object({ role: Role }) });
/** An account-security event: what an admin needs to know about it, never tokens or passwords. */
const security = Json.optional();
/** A bulk lead action: how many leads, the selection, and the action's own parameters. */
const bulkAction = z
  .object({
    count: z.number(),
    selection: z.union([z.object({ ids: z.number() }), z.object({ filter: z.unknown() })]),
    jobId: z.string().optional(),
  })
  .and(Json);
/** A settings section before and after, plus what the change set off. */
const settingsChange = change(z.unknown()).and(Json);
/** A campaign's state change: its name and state before, plus what the change did. */
const campaignChange = z.object({ name: z.string(), statusBefore: z.string() }).and(Json);
const jobCounts = z.object({ found: z.number(), new: z.number(), merged: z.number(), skipped: z.number() }).partial();

/**
 * Every action the audit log records and the shape of its metadata, declared once: `recordAudit`
 * accepts only these names with their metadata (a compile error otherwise), and the audit page and
 * the lead timeline name each of them in both languages (`web/src/i18n/audit-messages.ts`).
 */
export const auditCatalogue = {
  'auth.signed_in': security,
  'auth.signed_out': security,
  'auth.sign_in_failed': security,
  'auth.sign_in_throttled': security,
  'auth.sign_in_two_factor_required': security,
  'auth.password_changed': security,
  'auth.password_reset_requested': security,
  'auth.password_reset': security,
  'auth.email_verified': security,
  'auth.session_revoked': security,
  'auth.two_factor_setup_started': security,
  'auth.two_factor_enabled': security,
  'auth.two_factor_disabled': security,
  'auth.two_factor_backup_codes_regenerated': security,
  'user.signed_up': z.object({ via: z.literal('invite').optional() }).optional(),
  'user.profile_updated': security,

  'tenant.created': z.object({ name: z.string(), planCode: z.string() }),
  'tenant.renamed': change(z.object({ name: z.string() })),
  'plan.changed': change(z.object({ planCode: z.string() })),
  'member.role_changed': z.object({ email, before: z.object({ role: Role }), after: z.object({ role: Role }) }),
  'member.removed': member,
  'member.left': member,
  'ownership.transferred': z.object({ email, before: Json, after: Json }),
  'invite.sent': invite.extend({ bulk: z.literal(true).optional() }),
  'invite.resent': invite.extend({ before: Json, after: Json }),
  'invite.revoked': invite.extend({ before: Json, after: Json }),
  'invite.accepted': invite,
  'audit.exported': z.object({ filter: z.unknown(), rowCount: z.number() }),
  [settingsAuditActions.general]: settingsChange,
  [settingsAuditActions.prospecting]: settingsChange,
  [settingsAuditActions.scoring]: settingsChange,
  [settingsAuditActions.branding]: settingsChange,
  [settingsAuditActions.whatsapp]: settingsChange,
  [settingsAuditActions.whatsappRates]: settingsChange,

  'lead.created': z.object({ name: z.string() }),
  'lead.updated': change(Json),
  'lead.deleted': z.object({ name: z.string() }),
  'lead.exported': z.object({ filter: z.unknown(), rowCount: z.number() }),
  'lead.imported': z.object({ fileName: z.string(), uploadId: z.string(), listId: z.string().nullable(), onMatch: z.string() }).and(Json),
  'lead.bulk_addToList': bulkAction,
  'lead.bulk_removeFromList': bulkAction,
  'lead.bulk_setStatus': bulkAction,
  'lead.bulk_addTag': bulkAction,
  'lead.bulk_removeTag': bulkAction,
  'lead.bulk_assignOwner': bulkAction,
  'lead.bulk_delete': bulkAction,
  [leadViewAuditActions.saved]: z.object({ name: z.string(), shared: z.boolean() }),
  [leadViewAuditActions.deleted]: z.object({ name: z.string() }),
  'lead.merged': z.object({
    keptLeadId: z.string(),
    mergedLeadIds: z.array(z.string()),
    mergedNames: z.array(z.string()),
    fields: Json,
    moves: Json,
    mergeId: z.string().optional(),
  }),
  'lead.merge_undone': z.object({
    keptLeadId: z.string(),
    mergeId: z.string(),
    restoredLeadIds: z.array(z.string()),
    restoredNames: z.array(z.string()),
    restoredFields: z.array(z.string()),
  }),
  'lead.duplicate_dismissed': z.object({ otherLeadId: z.string(), otherName: z.string(), removedFlags: z.number() }),
  'lead.duplicate_restored': z.object({ otherLeadId: z.string(), otherName: z.string() }),
  'list.created': z.object({ name: z.string(), description: z.string().nullable() }),
  'list.updated': change(Json),
  'list.deleted': z.object({ name: z.string(), leadCount: z.number() }),
  'list.leads_added': z.object({ count: z.number(), requested: z.number(), listName: z.string(), leadIds: z.array(z.string()) }),
  'list.leads_removed': z.object({ count: z.number(), requested: z.number(), listName: z.string(), leadIds: z.array(z.string()) }),
  'job.created': z.object({ type: JobType, startedByJobId: z.string().optional(), rerunOf: z.string().optional() }),
  'job.cancelled': z.object({ type: z.string() }),
  'prospect_search.completed': z
    .object({ query: z.string(), location: z.unknown(), point: z.unknown(), sources: z.array(z.string()), listId: z.string().nullable() })
    .and(jobCounts),

  [reportAuditActions.generated]: z.object({ jobId: z.string(), pages: z.number(), sizeBytes: z.number(), language: z.string() }),
  [reportAuditActions.downloaded]: z.object({}).optional(),
  [reportAuditActions.bundleDownloaded]: z.object({ included: z.number(), missing: z.number(), language: z.string().nullable() }),
  [reportAuditActions.shared]: z.object({ shareId: z.string(), expiresAt: z.string() }),
  [reportAuditActions.revoked]: z.object({ shareId: z.string() }),
  [reportAuditActions.deleted]: z.object({ subjectName: z.string().nullable() }),
  [reportAuditActions.recommendationChanged]: change(z.string().nullable()),
  // Not written to the audit log: the lead timeline lists the views of a lead's shared reports under this name.
  'report.viewed': z.object({ reportId: z.string(), device: z.string() }),
  // Not written to the audit log either: the lead timeline reads these from the reports, job logs,
  // lead sources and WhatsApp messages that record them.
  'report.made': z.object({ reportId: z.string(), language: z.string(), pages: z.number().nullable() }),
  'report.failed': z.object({ reportId: z.string(), language: z.string(), pages: z.number().nullable() }),
  'enrichment.visited': z.object({
    jobId: z.string(),
    outcome: z.enum(['read', 'not-read', 'unreachable', 'failed']),
    pagesRead: z.number(),
    findings: z.number(),
    website: z.string().nullable(),
  }),
  'import.created_lead': z.object({ jobId: z.string(), fileName: z.string().nullable() }),
  'import.found_lead': z.object({ jobId: z.string(), fileName: z.string().nullable() }),
  'whatsapp.message': Json,
  'whatsapp.message_received': Json,

  [whatsappAuditActions.messageSent]: z.object({ messageId: z.string(), kind: z.string(), template: z.string().optional() }),
  [whatsappAuditActions.consentChanged]: change(WhatsappConsent),
  [whatsappAuditActions.conversationAssigned]: change(z.string().nullable()),
  [whatsappAuditActions.templatesSynced]: z.object({ fetched: z.number(), created: z.number(), updated: z.number() }),
  [whatsappAuditActions.templateCreated]: z.object({
    name: z.string(),
    language: z.string(),
    category: z.string(),
    metaTemplateId: z.string(),
  }),
  [whatsappAuditActions.templateDeleted]: z.object({ name: z.string(), language: z.string(), metaTemplateId: z.string().nullable() }),
  [campaignAuditActions.created]: z.object({
    name: z.string(),
    listId: z.string(),
    template: z.string(),
    ratePerSecond: z.number(),
    startAt: z.string().nullish(),
  }),
  [campaignAuditActions.started]: campaignChange,
  [campaignAuditActions.paused]: campaignChange,
  [campaignAuditActions.resumed]: campaignChange,
  [campaignAuditActions.cancelled]: campaignChange,
  [campaignAuditActions.recipientsExported]: z.object({ name: z.string(), rowCount: z.number() }),
} as const;

export type AuditAction = keyof typeof auditCatalogue;
export type AuditMetadata<A extends AuditAction> = z.input<(typeof auditCatalogue)[A]>;
export const auditActions = Object.keys(auditCatalogue) as AuditAction[];

/** Whether a stored entry's action is one the catalogue knows (older entries may carry retired names). */
export const isAuditAction = (action: string): action is AuditAction => Object.hasOwn(auditCatalogue, action);
