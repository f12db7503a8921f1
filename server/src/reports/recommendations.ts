import { and, eq } from 'drizzle-orm';
import {
  recommendationCatalogue,
  recommendationKinds,
  reportAuditActions,
  reportLanguages,
  type RecommendationEntry,
  type UpdateRecommendationBody,
} from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import { reportRecommendations } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import type { TenantContext } from '../http/routes.js';

/** Every recommendation in both languages: the tenant's wording where it has one, else the catalogue's. */
export async function findRecommendations(tx: Tx, tenantId: string): Promise<{ items: RecommendationEntry[] }> {
  const custom = await tx.select().from(reportRecommendations).where(eq(reportRecommendations.tenantId, tenantId));
  const items = recommendationKinds.flatMap((kind) =>
    reportLanguages.map((language) => {
      const own = custom.find((c) => c.kind === kind && c.language === language);
      const fallback = recommendationCatalogue[kind]![language];
      return { kind, language, text: own?.text ?? fallback, default: fallback, customised: !!own };
    }),
  );
  return { items };
}

/** Rewords one entry (an empty text restores the catalogue's); audited with the text before and after. */
export async function updateRecommendation(ctx: TenantContext, body: UpdateRecommendationBody) {
  const where = and(
    eq(reportRecommendations.tenantId, ctx.tenantId),
    eq(reportRecommendations.kind, body.kind),
    eq(reportRecommendations.language, body.language),
  );
  const [before] = await ctx.tx.select({ text: reportRecommendations.text }).from(reportRecommendations).where(where);
  if (body.text) {
    await ctx.tx
      .insert(reportRecommendations)
      .values({ tenantId: ctx.tenantId, kind: body.kind, language: body.language, text: body.text, updatedByUserId: ctx.actor.userId })
      .onConflictDoUpdate({
        target: [reportRecommendations.tenantId, reportRecommendations.kind, reportRecommendations.language],
        set: { text: body.text, updatedByUserId: ctx.actor.userId },
      });
  } else {
    await ctx.tx.delete(reportRecommendations).where(where);
  }
  await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
    action: reportAuditActions.recommendationChanged,
    targetType: 'recommendation',
    targetId: `${body.kind}:${body.language}`,
    metadata: { before: before?.text ?? null, after: body.text || null },
  });
  return findRecommendations(ctx.tx, ctx.tenantId);
}
