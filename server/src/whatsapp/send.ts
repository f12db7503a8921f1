import { and, eq, sql } from 'drizzle-orm';
import {
  whatsappAuditActions,
  type SendBlocker,
  type SendMessageBody,
  type TemplateParameter,
  type WhatsappMessage,
} from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import { whatsappConversations, whatsappMessages, whatsappTemplates } from '../db/schema/index.js';
import { AppError, type ErrorCode } from '../errors/catalogue.js';
import type { TenantContext } from '../http/routes.js';
import { startJob } from '../jobs/start.js';
import { findLeadRow } from '../leads/dto.js';
import { assertWithinPlan, incrementUsage } from '../plans/limits.js';
import { loadWhatsappConnection } from '../settings/whatsapp.js';
import { lockConversation } from './consent.js';
import { blockers, toMessageDto } from './conversations.js';
import { announceWhatsappChange } from './live.js';
import { reportDocumentContent, reportShareLink } from './report-content.js';
import { variablesOf } from './templates.js';

type LeadRow = Awaited<ReturnType<typeof findLeadRow>>;

/** Each reason a send is refused, as its stable code and what would allow it. */
const refusals: Record<SendBlocker, { code: ErrorCode; detail: string }> = {
  NOT_CONNECTED: { code: 'WHATSAPP_NOT_CONNECTED', detail: 'Connect WhatsApp in Settings → WhatsApp first.' },
  NO_PHONE: { code: 'WHATSAPP_NO_PHONE', detail: 'Add a phone number to the lead first.' },
  OPTED_OUT: {
    code: 'WHATSAPP_OPTED_OUT',
    detail: 'The lead opted out. Nothing can be sent unless an admin records a new opt-in with proof.',
  },
  NO_CONSENT: {
    code: 'WHATSAPP_NO_CONSENT',
    detail: 'Templates go only to leads who opted in. Record the opt-in with its proof, or wait for the lead to write first.',
  },
  WINDOW_CLOSED: {
    code: 'WHATSAPP_WINDOW_CLOSED',
    detail: 'Free text and documents are allowed only within 24 hours of the lead’s last message. Send an approved template instead.',
  },
};
const refuse = (blocker: SendBlocker) => new AppError(refusals[blocker].code, refusals[blocker].detail, { blocker });

/**
 * Sends one message to a lead, after every rule is checked here, before Meta is called: the
 * connection, a phone, consent (templates only to opted-in leads, nothing to opted-out ones), the
 * 24-hour window for free text, an approved template with every variable filled, and the plan's
 * monthly messages. The message is written QUEUED with its idempotency key (the same key again
 * answers the same message) and audited; a job sends it once this transaction commits.
 */
export async function sendToLead(ctx: TenantContext, leadId: string, body: SendMessageBody): Promise<WhatsappMessage> {
  const { tx, tenantId } = ctx;
  const lead = await findLeadRow(tx, tenantId, leadId);
  // Sends to one lead take turns on its conversation row, so a repeated key finds the first message.
  const conversation = await lockConversation(tx, tenantId, leadId);
  if (body.idempotencyKey) {
    const [same] = await tx
      .select()
      .from(whatsappMessages)
      .where(and(eq(whatsappMessages.tenantId, tenantId), eq(whatsappMessages.idempotencyKey, body.idempotencyKey)));
    if (same && same.leadId !== leadId)
      throw new AppError('CONFLICT', 'This idempotency key was used for a message to another lead.', {
        reason: 'idempotencyKeyReused',
      });
    if (same) return toMessageDto(same);
  }
  const connected = (await loadWhatsappConnection(tx, tenantId, ctx.services.config)) !== null;
  // A document is a free-form message: the same rules as free text.
  const blocked = blockers(connected, lead, conversation)[body.kind === 'template' ? 'template' : 'text'];
  if (blocked) throw refuse(blocked);
  const content =
    body.kind === 'text'
      ? { type: 'text', text: body.text, templateName: null }
      : body.kind === 'document'
        ? await reportDocumentContent(ctx, leadId, body.reportId, body.caption)
        : await templateContent(ctx, lead, body.templateId, body.parameters);

  await assertWithinPlan(tx, tenantId, 'whatsappMessages');
  await incrementUsage(tx, tenantId, 'whatsappMessages');
  const [queued] = await tx
    .insert(whatsappMessages)
    .values({
      tenantId,
      leadId,
      direction: 'OUT',
      idempotencyKey: body.idempotencyKey ?? crypto.randomUUID(),
      phone: lead.phone!,
      status: 'QUEUED',
      sentByUserId: ctx.actor.userId,
      ...content,
    })
    .returning();
  const job = await startJob(ctx, 'WHATSAPP_SEND', { messageId: queued.id });
  const [message] = await tx.update(whatsappMessages).set({ jobId: job.id }).where(eq(whatsappMessages.id, queued.id)).returning();
  await tx
    .update(whatsappConversations)
    .set({ lastMessageAt: sql`now()` })
    .where(and(eq(whatsappConversations.tenantId, tenantId), eq(whatsappConversations.leadId, leadId)));
  await recordAudit(tx, tenantId, ctx.actor, {
    action: whatsappAuditActions.messageSent,
    targetType: 'lead',
    targetId: leadId,
    metadata: {
      messageId: message.id,
      kind: body.kind,
      ...(content.templateName ? { template: content.templateName } : {}),
      ...(body.kind === 'document' ? { reportId: body.reportId } : {}),
    },
  });
  ctx.afterCommit(() => announceWhatsappChange(ctx.services, tenantId));
  return toMessageDto(message);
}

/** The approved template with its variables filled from the lead or fixed text, checked here so Meta never sees a bad one. */
async function templateContent(ctx: TenantContext, lead: LeadRow, templateId: string, parameters: TemplateParameter[]) {
  const [template] = await ctx.tx
    .select()
    .from(whatsappTemplates)
    .where(and(eq(whatsappTemplates.tenantId, ctx.tenantId), eq(whatsappTemplates.id, templateId)));
  if (!template) throw new AppError('NOT_FOUND', 'No such template.');
  if (template.status !== 'APPROVED') {
    throw new AppError(
      'WHATSAPP_TEMPLATE_NOT_APPROVED',
      `The template ${template.name} is ${template.status}; only approved templates can be sent.`,
      { template: template.name, templateStatus: template.status },
    );
  }
  const variables = variablesOf(template);
  if (parameters.length !== variables.length) {
    const message = `the template ${template.name} has ${variables.length} variable(s); ${parameters.length} given`;
    const params = { name: template.name, variables: variables.length, given: parameters.length };
    throw new AppError('VALIDATION_FAILED', `body.parameters: ${message}`, {
      fields: [{ field: 'body.parameters', message, rule: 'templateVariables', params }],
    });
  }
  const values: string[] = [];
  for (const [i, p] of parameters.entries()) {
    const value = p.source === 'text' ? p.text : p.source === 'reportLink' ? await reportShareLink(ctx, lead.id) : lead[p.field];
    if (!value) {
      const what = p.source === 'field' ? p.field : p.source === 'reportLink' ? 'finished report' : 'value';
      const message = `the lead has no ${what} for {{${variables[i]}}}`;
      const params = { variable: `{{${variables[i]}}}` };
      throw new AppError('VALIDATION_FAILED', `body.parameters.${i}: ${message}`, {
        fields: [{ field: `body.parameters.${i}`, message, rule: 'templateValue', params }],
      });
    }
    values.push(value);
  }
  return { type: 'template', templateName: template.name, templateLanguage: template.language, parameters: values, text: null };
}
