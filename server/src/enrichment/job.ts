import { and, asc, eq } from 'drizzle-orm';
import type { JobText, ScoreBasis } from '@optarget/shared';
import { leads } from '../db/schema/index.js';
import { PermanentJobError, type JobHandler, type JobRun } from '../jobs/definitions.js';
import { findDefaultCountry } from '../settings/general.js';
import { crawlerFor, type Crawler } from './crawler/crawler.js';
import type { SiteCrawl } from './crawler/crawl-site.js';
import { crawlEvidence, hasOwnWebsite, listingEvidence, type EvidenceDraft, type Market } from './evidence.js';
import { phoneCountry } from './extract/phones.js';
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
export const enrichLeadsHandler: JobHandler<'ENRICH_LEADS'> = {
  async run(job, input) {
    const ids = await job.inTenant(async (tx) => {
      if (input.listId && !(await listExists(tx, job.tenantId, input.listId))) throw new PermanentJobError({ code: 'error.listGone' });
      const rows = await tx.select({ id: leads.id }).from(leads).where(selectionWhere(job.tenantId, input)).orderBy(asc(leads.id));
      return rows.map((r) => r.id);
    });
    const total = ids.length;
    await job.progress(0, total, 'step.visitingWebsites');
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
    if (cancelled)
      await job.log('warn', { code: 'log.cancelledAt', params: { done: tally.enriched, total } }, { done: tally.enriched, total });
    return { total, ...tally, cancelled };
  },
};

/** Enriches one lead; returns its name for the progress line. */
async function enrichLead(job: JobRun, crawler: Crawler, leadId: string, tally: Tally): Promise<string | null> {
  const [lead] = await job.inTenant((tx) =>
    tx
      .select({
        name: leads.name,
        website: leads.website,
        websiteRaw: leads.websiteRaw,
        phone: leads.phone,
        country: leads.country,
        rating: leads.rating,
        reviewCount: leads.reviewCount,
        source: leads.source,
        sourceId: leads.sourceId,
      })
      .from(leads)
      .where(and(eq(leads.tenantId, job.tenantId), eq(leads.id, leadId))),
  );
  // Deleted since the job started: nothing to enrich.
  if (!lead) return null;
  const drafts: EvidenceDraft[] = listingEvidence(lead);
  let crawl: SiteCrawl | null = null;
  if (hasOwnWebsite(lead.website)) {
    const defaultCountry = await job.inTenant((tx) => findDefaultCountry(tx, job.tenantId));
    try {
      crawl = await crawler.crawl(lead.website!);
      tally.websitesVisited++;
      const found = crawlEvidence(crawl, {
        defaultCountry,
        market: marketOf(lead, defaultCountry),
        slowMs: Math.min(SLOW_RESPONSE_MS, crawler.settings.timeoutMs / 2),
        timeoutMs: crawler.settings.timeoutMs,
        now: new Date(),
      });
      if (found.some((d) => d.kind === 'WEBSITE_UNREACHABLE')) tally.unreachable++;
      drafts.push(...found);
      await job.log('info', visitText(lead.name, crawl, found.length), {
        leadId,
        outcome: basisOf(crawl).website,
        website: crawl.startUrl,
        pages: crawl.pages.map((p) => p.url),
        skipped: crawl.skipped,
        evidence: found.length,
        ...(crawl.failure ? { reason: crawl.failure.reason } : {}),
      });
    } catch (error) {
      // A crawler bug on one odd page must not stop the other leads; the lead keeps its previous evidence.
      tally.failed++;
      const reason = error instanceof Error ? error.message : String(error);
      await job.log(
        'error',
        { code: 'log.enrichFailed', params: { lead: lead.name, website: lead.website ?? '', error: reason } },
        { leadId, website: lead.website },
      );
      return lead.name;
    }
  }
  await job.inTenant(async (tx) =>
    replaceLeadEvidence(
      tx,
      { tenantId: job.tenantId, leadId, jobId: job.jobId },
      drafts,
      await findTenantWeights(tx, job.tenantId),
      basisOf(crawl),
    ),
  );
  tally.enriched++;
  return lead.name;
}

/** The log line of one visit: pages read and findings, robots.txt's refusal, or why the site could not be reached (its kind in camel case, as ICU selects). */
function visitText(lead: string, crawl: SiteCrawl, findings: number): JobText {
  const website = crawl.startUrl;
  if (crawl.robotsRefusal) return { code: 'log.siteNotRead', params: { lead, website } };
  if (crawl.failure)
    return {
      code: 'log.siteUnreachable',
      params: {
        lead,
        website,
        kind: crawl.failure.kind.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
        status: crawl.failure.status ?? '',
      },
    };
  return { code: 'log.siteRead', params: { lead, website, pages: crawl.pages.length, findings } };
}

/** The lead's country as the listing gives it (a two-letter code), else its phone's, else the tenant's default. */
function marketOf(lead: { country: string | null; phone: string | null }, defaultCountry: string | null): Market | null {
  const listed = lead.country?.trim();
  if (listed && /^[a-z]{2}$/i.test(listed)) return { country: listed.toUpperCase(), from: 'lead' };
  const byPhone = lead.phone ? phoneCountry(lead.phone) : null;
  if (byPhone) return { country: byPhone, from: 'phone' };
  return defaultCountry ? { country: defaultCountry, from: 'tenant' } : null;
}

/** What the score is based on: the listing always, and the website as far as it was read. */
function basisOf(crawl: SiteCrawl | null): ScoreBasis {
  const checkedAt = new Date().toISOString();
  if (!crawl) return { checkedAt, website: 'none', pagesRead: 0 };
  if (crawl.robotsRefusal) return { checkedAt, website: 'not-read', pagesRead: 0 };
  if (crawl.failure) return { checkedAt, website: 'unreachable', pagesRead: 0 };
  return { checkedAt, website: 'read', pagesRead: crawl.pages.length };
}
