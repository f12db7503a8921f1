import type { FastifyInstance } from 'fastify';
import { and, asc, eq } from 'drizzle-orm';
import {
  EnrichLeadsBody,
  evidenceExplanations,
  evidenceKinds,
  Job,
  LeadEvidence,
  LeadParams,
  ScoreBasis,
  TenantParams,
  type EvidenceKind,
  type ProofKind,
} from '@optarget/shared';
import { evidence } from '../db/schema/index.js';
import { tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { startedJobDto } from '../jobs/service.js';
import { startJob } from '../jobs/start.js';
import { findLeadRow } from '../leads/dto.js';
import { findTenantWeights, scoreBreakdown } from './score.js';

export function registerEnrichmentRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/enrichments',
    rateLimit: 'jobStart',
    summary: 'Enrich leads (visit their websites, record evidence, score them) as an ENRICH_LEADS job',
    tags: ['enrichment'],
    permission: 'data.write',
    status: 202,
    schema: { params: TenantParams, body: EnrichLeadsBody, response: { 202: Job } },
    handler: async (ctx, { body }) => startedJobDto(ctx, await startJob(ctx, 'ENRICH_LEADS', body)),
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
              params: r.params,
              sourceUrl: r.sourceUrl,
              snippet: r.snippet,
              proofKind: r.proofKind as ProofKind | null,
              fetchedAt: r.fetchedAt?.toISOString() ?? null,
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
        basis: ScoreBasis.safeParse(lead.scoreBasis).data ?? null,
        groups,
        breakdown: scoreBreakdown(
          known.map((r) => r.kind),
          weights,
        ),
      };
    },
  });
}
