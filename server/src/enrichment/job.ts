import { and, asc, eq } from 'drizzle-orm';
import { EnrichLeadsBody } from '@optarget/shared';
import { leads } from '../db/schema/index.js';
import { prepareEnrichment } from './prepare.js';
import { defineJob, PermanentJobError, type JobRun } from '../jobs/definitions.js';
import { findDefaultCountry } from '../leads/settings.js';
import { crawlerFor, type Crawler } from './crawler/crawler.js';
import { crawlEvidence, hasOwnWebsite, listingEvidence, type EvidenceDraft } from './evidence.js';
import { findTenantWeights } from './score.js';
import { listExists, selectionWhere } from './selection.js';
import { replaceLeadEvidence } from './store.js';

/** A home page slower than this to answer is SLOW_RESPONSE evidence (the timeout itself is the config's). */
const SLOW_RESPONSE_MS = 3_000;

type Tally = { enriched: number; websitesVisited: number; unreachable: number; failed: number };

/**
 * Visits the websites of the selected leads and replaces their evidence and score. Leads run a few
 * at a time (the crawler's concurrency), each in its own short transaction, so progress is visible
 * and a retry simply redoes them: evidence is replaced, never added to. A bad website is evidence,
 * not a failure; only infrastructure errors (the database) fail the attempt and are retried.
 */
export const enrichLeadsJob = defineJob({
  type: 'ENRICH_LEADS',
  input: EnrichLeadsBody,
  prepare: prepareEnrichment,
  retry: { limit: 2, delaySeconds: 10, backoff: true },
  timeoutSeconds: 3 * 60 * 60,
  async run(job, input) {
    const ids = await job.inTenant(async (tx) => {
      if (input.listId && !(await listExists(tx, job.tenantId, input.listId))) throw new PermanentJobError('The list no longer exists.');
      const rows = await tx.select({ id: leads.id }).from(leads).where(selectionWhere(job.tenantId, input)).orderBy(asc(leads.id));
      return rows.map((r) => r.id);
    });
    const total = ids.length;
    await job.progress(0, total, 'Visiting websites');
    const crawler = crawlerFor(job.services.config);
    const tally: Tally = { enriched: 0, websitesVisited: 0, unreachable: 0, failed: 0 };
    let next = 0;
    let cancelled = false;

    const worker = async () => {
      while (next < ids.length && !cancelled) {
        if (await job.isCancelled()) {
          cancelled = true;
          return;
        }
        const leadId = ids[next++];
        const name = await enrichLead(job, crawler, leadId, tally);
        await job.progress(tally.enriched + tally.failed, total, name);
      }
    };
    await Promise.all(Array.from({ length: Math.min(crawler.settings.concurrency, Math.max(1, total)) }, worker));
    if (cancelled) await job.log('warn', 'Cancelled before finishing', { done: tally.enriched, total });
    return { total, ...tally, cancelled };
  },
});

/** Enriches one lead; returns its name for the progress line. */
async function enrichLead(job: JobRun, crawler: Crawler, leadId: string, tally: Tally): Promise<string | null> {
  const [lead] = await job.inTenant((tx) =>
    tx
      .select({ name: leads.name, website: leads.website, rating: leads.rating, reviewCount: leads.reviewCount })
      .from(leads)
      .where(and(eq(leads.tenantId, job.tenantId), eq(leads.id, leadId))),
  );
  // Deleted since the job started: nothing to enrich.
  if (!lead) return null;
  const drafts: EvidenceDraft[] = listingEvidence(lead);
  if (hasOwnWebsite(lead.website)) {
    const defaultCountry = await job.inTenant((tx) => findDefaultCountry(tx, job.tenantId));
    try {
      const crawl = await crawler.crawl(lead.website!);
      tally.websitesVisited++;
      const found = crawlEvidence(crawl, {
        defaultCountry,
        slowMs: Math.min(SLOW_RESPONSE_MS, crawler.settings.timeoutMs / 2),
        timeoutMs: crawler.settings.timeoutMs,
        now: new Date(),
      });
      if (found.some((d) => d.kind === 'WEBSITE_UNREACHABLE')) tally.unreachable++;
      drafts.push(...found);
      const outcome = crawl.robotsRefusal ?? crawl.failure?.reason ?? `${crawl.pages.length} page(s) read`;
      await job.log('info', `${lead.name}: ${crawl.startUrl}: ${outcome}`, {
        leadId,
        pages: crawl.pages.map((p) => p.url),
        skipped: crawl.skipped,
        evidence: found.length,
      });
    } catch (error) {
      // A crawler bug on one odd page must not stop the other leads; the lead keeps its previous evidence.
      tally.failed++;
      await job.log('error', `${lead.name}: could not read ${lead.website}: ${error instanceof Error ? error.message : String(error)}`, {
        leadId,
      });
      return lead.name;
    }
  }
  await job.inTenant(async (tx) =>
    replaceLeadEvidence(tx, { tenantId: job.tenantId, leadId, jobId: job.jobId }, drafts, await findTenantWeights(tx, job.tenantId)),
  );
  tally.enriched++;
  return lead.name;
}
