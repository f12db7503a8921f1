import type { FastifyInstance } from 'fastify';
import { and, asc, eq } from 'drizzle-orm';
import {
  defaultEvidenceWeights,
  EnrichLeadsBody,
  evidenceExplanations,
  evidenceKinds,
  Job,
  LeadEvidence,
  LeadParams,
  ScoringWeights,
  TenantParams,
  UpdateScoringWeightsBody,
  type EvidenceKind,
  type ScoringWeightOverrides,
} from '@optarget/shared';
import { evidence, tenants } from '../db/schema/index.js';
import { recordAudit } from '../audit/record.js';
import { tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { createJob } from '../jobs/service.js';
import { findLeadRow } from '../leads/dto.js';
import { effectiveWeights, findTenantWeights, findWeightOverrides, recomputeTenantScores, scoreBreakdown } from './score.js';

const weightsDto = (overrides: ScoringWeightOverrides): ScoringWeights => ({
  weights: effectiveWeights(overrides),
  defaults: defaultEvidenceWeights,
  overrides,
  explanations: evidenceExplanations,
});

export function registerEnrichmentRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/enrichments',
    summary: 'Enrich leads (visit their websites, record evidence, score them) as an ENRICH_LEADS job',
    tags: ['enrichment'],
    permission: 'data.write',
    status: 202,
    schema: { params: TenantParams, body: EnrichLeadsBody, response: { 202: Job } },
    handler: (ctx, { body }) => createJob(ctx, 'ENRICH_LEADS', body),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/scoring-weights',
    summary: 'The evidence weights of the opportunity score: defaults, overrides and those in force',
    tags: ['enrichment'],
    permission: 'data.read',
    schema: { params: TenantParams, response: { 200: ScoringWeights } },
    handler: async ({ tx, tenantId }) => weightsDto(await findWeightOverrides(tx, tenantId)),
  });

  tenantRoute(app, services, {
    method: 'PUT',
    url: '/api/v1/tenants/:tenantId/scoring-weights',
    summary: "Replace the tenant's weight overrides and rescore every enriched lead",
    tags: ['enrichment'],
    permission: 'settings.manage',
    schema: { params: TenantParams, body: UpdateScoringWeightsBody, response: { 200: ScoringWeights } },
    handler: async ({ tx, tenantId, actor }, { body }) => {
      const [row] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
      const before = await findWeightOverrides(tx, tenantId);
      const settings = { ...row.settings, scoringWeights: body.weights } as typeof row.settings;
      await tx.update(tenants).set({ settings }).where(eq(tenants.id, tenantId));
      const rescored = await recomputeTenantScores(tx, tenantId, effectiveWeights(body.weights));
      await recordAudit(tx, tenantId, actor, {
        action: 'tenant.scoring_weights_changed',
        targetType: 'tenant',
        targetId: tenantId,
        metadata: { before, after: body.weights, rescoredLeads: rescored },
      });
      return weightsDto(body.weights);
    },
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/leads/:leadId/evidence',
    summary: "A lead's evidence grouped by kind, with its score explained line by line",
    tags: ['enrichment'],
    permission: 'data.read',
    schema: { params: LeadParams, response: { 200: LeadEvidence } },
    handler: async ({ tx, tenantId }, { params }) => {
      const lead = await findLeadRow(tx, tenantId, params.leadId);
      const rows = await tx
        .select()
        .from(evidence)
        .where(and(eq(evidence.tenantId, tenantId), eq(evidence.leadId, lead.id)))
        .orderBy(asc(evidence.capturedAt), asc(evidence.id));
      const weights = await findTenantWeights(tx, tenantId);
      const known = rows.filter((r): r is typeof r & { kind: EvidenceKind } => (evidenceKinds as readonly string[]).includes(r.kind));
      const groups = evidenceKinds
        .map((kind) => ({
          kind,
          explanation: evidenceExplanations[kind],
          items: known
            .filter((r) => r.kind === kind)
            .map((r) => ({
              id: r.id,
              kind,
              value: r.value,
              sourceUrl: r.sourceUrl,
              snippet: r.snippet,
              weight: r.weight,
              capturedAt: r.capturedAt.toISOString(),
            })),
        }))
        .filter((g) => g.items.length);
      const latest = rows.reduce<Date | null>((at, r) => (!at || r.capturedAt > at ? r.capturedAt : at), null);
      return {
        leadId: lead.id,
        score: lead.score,
        enrichedAt: latest?.toISOString() ?? null,
        groups,
        breakdown: scoreBreakdown(
          known.map((r) => r.kind),
          weights,
        ),
      };
    },
  });
}
