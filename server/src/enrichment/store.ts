import { and, eq, isNull, sql } from 'drizzle-orm';
import type { ScoreBasis } from '@optarget/shared';
import { evidence, leads } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import type { EvidenceDraft } from './evidence.js';
import { scoreOf, type Weights } from './score.js';

/**
 * Replaces the lead's evidence with this run's, in the caller's transaction, so a re-run (or a
 * retried job) leaves exactly one run's evidence; then stores the score with what it is based on,
 * and fills the lead's empty email and phone from what was found, never touching a field a person edited.
 */
export async function replaceLeadEvidence(
  tx: Tx,
  target: { tenantId: string; leadId: string; jobId: string | null },
  drafts: EvidenceDraft[],
  weights: Weights,
  basis: ScoreBasis,
): Promise<{ score: number; filled: string[] }> {
  const { tenantId, leadId, jobId } = target;
  await tx.delete(evidence).where(and(eq(evidence.tenantId, tenantId), eq(evidence.leadId, leadId)));
  if (drafts.length) {
    await tx.insert(evidence).values(drafts.map((d) => ({ tenantId, leadId, jobId, ...d, weight: weights[d.kind] })));
  }
  const score = scoreOf(
    drafts.map((d) => d.kind),
    weights,
  );
  await tx
    .update(leads)
    .set({ score, scoreBasis: basis })
    .where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId)));

  const filled: string[] = [];
  for (const field of ['email', 'phone'] as const) {
    const found = drafts.find((d) => d.kind === (field === 'email' ? 'EMAIL_FOUND' : 'PHONE_FOUND'))?.value;
    if (!found) continue;
    const updated = await tx
      .update(leads)
      .set({ [field]: found })
      .where(
        and(eq(leads.tenantId, tenantId), eq(leads.id, leadId), isNull(leads[field]), sql`not (${field} = any(${leads.editedFields}))`),
      )
      .returning({ id: leads.id });
    if (updated.length) filled.push(field);
  }
  return { score, filled };
}
