import { and, asc, eq, sql } from 'drizzle-orm';
import { templateVariables, whatsappAuditActions, type WhatsappTemplate } from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import { whatsappTemplates } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import { auditActorFor } from '../http/authenticate.js';
import type { TenantStreamContext } from '../http/routes.js';
import { GraphError, listTemplates, type GraphTemplate } from './graph.js';
import { requireConnection } from './connection.js';

export type TemplateRow = typeof whatsappTemplates.$inferSelect;
type Component = { type?: string; text?: string };

/** The body component's text. */
export const bodyOf = (t: Pick<TemplateRow, 'components'>) =>
  (t.components as Component[]).find((c) => c.type?.toUpperCase() === 'BODY')?.text ?? null;

/** The body's variables in order of first use: `1`, `2`… or names such as `first_name`. */
export const variablesOf = (t: Pick<TemplateRow, 'components'>): string[] => templateVariables(bodyOf(t) ?? '');

export const toTemplateDto = (t: TemplateRow): WhatsappTemplate => ({
  id: t.id,
  name: t.name,
  language: t.language,
  category: t.category,
  status: t.status,
  rejectedReason: t.rejectedReason,
  body: bodyOf(t),
  variables: variablesOf(t),
  syncedAt: t.syncedAt?.toISOString() ?? null,
});

export async function listTemplateRows(tx: Tx, tenantId: string): Promise<TemplateRow[]> {
  return tx
    .select()
    .from(whatsappTemplates)
    .where(eq(whatsappTemplates.tenantId, tenantId))
    .orderBy(asc(whatsappTemplates.name), asc(whatsappTemplates.language));
}

/**
 * Reads every template of the business account from Meta (following its pages) and stores each
 * by name and language: new ones added, known ones given Meta's status, category and reason.
 */
export async function syncTemplates(ctx: TenantStreamContext) {
  const { tenantId, services } = ctx;
  const conn = await ctx.inTenant((tx) => requireConnection(tx, tenantId, services.config));
  let remote: GraphTemplate[];
  try {
    remote = await listTemplates(services.config, conn);
  } catch (err) {
    if (err instanceof GraphError) throw new AppError('WHATSAPP_UPSTREAM', `Meta did not list the templates: ${err.message}`);
    throw err;
  }
  return ctx.inTenant(async (tx) => {
    const known = new Set((await listTemplateRows(tx, tenantId)).map((t) => `${t.name}\u0000${t.language}`));
    const now = new Date();
    for (const t of remote) {
      const values = {
        category: t.category.toUpperCase(),
        components: t.components ?? [],
        status: t.status.toUpperCase(),
        rejectedReason: t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason : null,
        metaTemplateId: String(t.id),
        syncedAt: now,
      };
      await tx
        .insert(whatsappTemplates)
        .values({ tenantId, name: t.name, language: t.language, ...values })
        .onConflictDoUpdate({ target: [whatsappTemplates.tenantId, whatsappTemplates.name, whatsappTemplates.language], set: values });
    }
    const created = remote.filter((t) => !known.has(`${t.name}\u0000${t.language}`)).length;
    const result = { fetched: remote.length, created, updated: remote.length - created };
    await recordAudit(tx, tenantId, auditActorFor(ctx.request, ctx.session.user), {
      action: whatsappAuditActions.templatesSynced,
      targetType: 'whatsapp_templates',
      metadata: result,
    });
    return result;
  });
}

/** A status or category Meta decided for one of the tenant's templates; false when no such template is stored. */
export async function applyTemplateDecision(
  tx: Tx,
  tenantId: string,
  metaTemplateId: string,
  decision: { status?: string; reason?: string | null; category?: string },
): Promise<boolean> {
  const updated = await tx
    .update(whatsappTemplates)
    .set({
      ...(decision.status ? { status: decision.status.toUpperCase() } : {}),
      ...(decision.status ? { rejectedReason: decision.reason && decision.reason !== 'NONE' ? decision.reason : null } : {}),
      ...(decision.category ? { category: decision.category.toUpperCase() } : {}),
      syncedAt: sql`now()`,
    })
    .where(and(eq(whatsappTemplates.tenantId, tenantId), eq(whatsappTemplates.metaTemplateId, metaTemplateId)))
    .returning({ id: whatsappTemplates.id });
  return updated.length > 0;
}
