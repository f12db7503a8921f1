import { and, eq } from 'drizzle-orm';
import { templateVariables, whatsappAuditActions, type CreateTemplateBody, type WhatsappTemplate } from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import { whatsappTemplates } from '../db/schema/index.js';
import { AppError, notFound } from '../errors/catalogue.js';
import { auditActorFor } from '../http/authenticate.js';
import type { TenantStreamContext } from '../http/routes.js';
import { requireConnection } from './connection.js';
import { createTemplate as submitToMeta, deleteTemplate as deleteAtMeta, GraphError } from './graph.js';
import { toTemplateDto } from './templates.js';

/** The template in Meta's request format (template-create-request.json): components with an example for each variable. */
export function toGraphTemplate(t: CreateTemplateBody) {
  const names = templateVariables(t.body);
  const positional = t.parameterFormat === 'POSITIONAL';
  const example =
    names.length === 0
      ? {}
      : positional
        ? { example: { body_text: [names.map((n) => t.examples[n])] } }
        : { example: { body_text_named_params: names.map((n) => ({ param_name: n, example: t.examples[n] })) } };
  const buttons = t.buttons.map((b) =>
    b.type === 'URL'
      ? { type: 'url', text: b.text, url: b.url }
      : b.type === 'PHONE_NUMBER'
        ? { type: 'phone_number', text: b.text, phone_number: b.phoneNumber }
        : { type: 'quick_reply', text: b.text },
  );
  return {
    name: t.name,
    language: t.language,
    category: t.category.toLowerCase(),
    parameter_format: t.parameterFormat.toLowerCase(),
    components: [
      ...(t.header ? [{ type: 'header', format: 'text', text: t.header }] : []),
      { type: 'body', text: t.body, ...example },
      ...(t.footer ? [{ type: 'footer', text: t.footer }] : []),
      ...(buttons.length ? [{ type: 'buttons', buttons }] : []),
    ],
  };
}

const upstream = (what: string, err: unknown) =>
  err instanceof GraphError ? new AppError('WHATSAPP_UPSTREAM', `Meta did not ${what}: ${err.message}`) : err;

/**
 * Submits a new template to Meta and stores it as Meta answered (PENDING until its review ends;
 * the status webhook brings the decision). A name already used in that language is refused
 * before Meta is called.
 */
export async function createTemplate(ctx: TenantStreamContext, body: CreateTemplateBody): Promise<WhatsappTemplate> {
  const { tenantId, services } = ctx;
  const conn = await ctx.inTenant(async (tx) => {
    const connection = await requireConnection(tx, tenantId, services.config);
    const [taken] = await tx
      .select({ id: whatsappTemplates.id })
      .from(whatsappTemplates)
      .where(
        and(eq(whatsappTemplates.tenantId, tenantId), eq(whatsappTemplates.name, body.name), eq(whatsappTemplates.language, body.language)),
      );
    if (taken)
      throw new AppError('CONFLICT', `A template named ${body.name} in ${body.language} exists already.`, {
        reason: 'templateNameTaken',
        name: body.name,
        language: body.language,
      });
    return connection;
  });
  const request = toGraphTemplate(body);
  let created;
  try {
    created = await submitToMeta(services.config, conn, request);
  } catch (err) {
    throw upstream('accept the template', err);
  }
  return ctx.inTenant(async (tx) => {
    const [row] = await tx
      .insert(whatsappTemplates)
      .values({
        tenantId,
        name: body.name,
        language: body.language,
        category: (created.category ?? body.category).toUpperCase(),
        components: request.components,
        status: (created.status ?? 'PENDING').toUpperCase(),
        metaTemplateId: created.id,
        syncedAt: new Date(),
      })
      .returning();
    await recordAudit(tx, tenantId, auditActorFor(ctx.request, ctx.session.user), {
      action: whatsappAuditActions.templateCreated,
      targetType: 'whatsapp_template',
      targetId: row.id,
      metadata: { name: row.name, language: row.language, category: body.category, metaTemplateId: created.id },
    });
    return toTemplateDto(row);
  });
}

/** Deletes the template at Meta (this language only), then here; when Meta refuses, it is kept. */
export async function deleteTemplate(ctx: TenantStreamContext, templateId: string) {
  const { tenantId, services } = ctx;
  const { conn, row } = await ctx.inTenant(async (tx) => {
    const [found] = await tx
      .select()
      .from(whatsappTemplates)
      .where(and(eq(whatsappTemplates.tenantId, tenantId), eq(whatsappTemplates.id, templateId)));
    if (!found) throw notFound('No such template.');
    return { conn: await requireConnection(tx, tenantId, services.config), row: found };
  });
  if (row.metaTemplateId) {
    try {
      await deleteAtMeta(services.config, conn, { metaId: row.metaTemplateId, name: row.name });
    } catch (err) {
      throw upstream('delete the template', err);
    }
  }
  await ctx.inTenant(async (tx) => {
    await tx.delete(whatsappTemplates).where(and(eq(whatsappTemplates.tenantId, tenantId), eq(whatsappTemplates.id, templateId)));
    await recordAudit(tx, tenantId, auditActorFor(ctx.request, ctx.session.user), {
      action: whatsappAuditActions.templateDeleted,
      targetType: 'whatsapp_template',
      targetId: templateId,
      metadata: { name: row.name, language: row.language, metaTemplateId: row.metaTemplateId },
    });
  });
}
