import { decodeHtml } from './content.js';
import { FetchFailure, type Fetcher, type FetchedPage, type FailureKind } from './fetcher.js';
import { contactLikeLinks } from './links.js';
import { RobotsRefusal, type RobotsCache } from './robots.js';

export type CrawledPage = {
  url: string;
  status: number;
  headers: Record<string, string>;
  elapsedMs: number;
  fetchedAt: Date;
  /** Bytes read (at most the page cap). */
  bytes: number;
  truncated: boolean;
  charset: string;
  html: string;
};

/** Everything one visit to a site produced; evidence is derived from it without any further request. */
export type SiteCrawl = {
  startUrl: string;
  /** The address the home page was finally read from. */
  homeUrl: string | null;
  /** Every URL the home request passed through before homeUrl. */
  homeRedirects: string[];
  pages: CrawledPage[];
  /** Pages not read, with the reason (not HTML, disallowed by robots.txt, failed). */
  skipped: { url: string; reason: string }[];
  /** Why the home page could not be read at all; null when it was. */
  failure: CrawlFailure | null;
  /** The HTTPS address failed its certificate check (the crawl went on over HTTP when it could). */
  tlsFailure: CrawlFailure | null;
  /** robots.txt kept us from the home page: why, with the robots.txt address, its answer and the rule. */
  robotsRefusal: {
    reason: string;
    refusal: RobotsRefusal['refusal'];
    robotsUrl: string;
    status: number;
    rule: string | null;
    fetchedAt: Date;
  } | null;
  /** Pages the crawl tried to read (robots.txt excluded); never more than maxPages. */
  pagesRequested: number;
};

/**
 * A request that produced no page. `reason` is the technical detail, `code` the error code behind
 * it, `status` the HTTP status of an error page, `at` when it happened.
 */
export type CrawlFailure = {
  kind: FailureKind | 'not-html' | 'http-status';
  reason: string;
  url: string;
  code: string | null;
  status: number | null;
  at: Date;
};

export type CrawlLimits = { maxPages: number };

const failureOf = (error: FetchFailure): CrawlFailure => ({
  kind: error.kind,
  reason: error.reason,
  url: error.url,
  code: error.code,
  status: null,
  at: error.at,
});

const toPage = (page: FetchedPage): CrawledPage => {
  const { html, charset } = decodeHtml(page.body, page.contentType);
  return {
    url: page.url,
    status: page.status,
    headers: page.headers,
    elapsedMs: page.elapsedMs,
    fetchedAt: page.fetchedAt,
    bytes: page.body.length,
    truncated: page.truncated,
    charset,
    html,
  };
};

/**
 * Reads a site's home page, then same-site pages that look like contact, about, imprint or team
 * pages (found on the home page and on those pages), up to maxPages requests in all: a site that
 * generates links without end still costs at most maxPages requests.
 */
export async function crawlSite(fetcher: Fetcher, robots: RobotsCache, website: string, limits: CrawlLimits): Promise<SiteCrawl> {
  const startUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(website.trim()) ? website.trim() : `https://${website.trim()}`;
  const crawl: SiteCrawl = {
    startUrl,
    homeUrl: null,
    homeRedirects: [],
    pages: [],
    skipped: [],
    failure: null,
    tlsFailure: null,
    robotsRefusal: null,
    pagesRequested: 0,
  };
  const beforeHop = (hop: URL) => robots.assertAllowed(hop);

  let home: FetchedPage;
  try {
    crawl.pagesRequested++;
    home = await fetcher.get(startUrl, { beforeHop });
  } catch (error) {
    if (error instanceof FetchFailure && error.kind === 'tls' && startUrl.startsWith('https:')) {
      crawl.tlsFailure = failureOf(error);
      const plain = startUrl.replace(/^https:/i, 'http:');
      try {
        crawl.pagesRequested++;
        home = await fetcher.get(plain, { beforeHop });
      } catch (second) {
        return failed(crawl, second);
      }
    } else {
      return failed(crawl, error);
    }
  }
  crawl.homeUrl = home.url;
  crawl.homeRedirects = home.redirects;
  const answered = { url: home.url, code: null, at: home.fetchedAt };
  if (home.notHtml) {
    crawl.failure = { ...answered, kind: 'not-html', reason: `the home page is not an HTML page (${home.notHtml})`, status: home.status };
    return crawl;
  }
  if (home.status >= 400) {
    crawl.failure = { ...answered, kind: 'http-status', reason: `the home page answered HTTP ${home.status}`, status: home.status };
    return crawl;
  }
  const homePage = toPage(home);
  crawl.pages.push(homePage);

  const seen = new Set([startUrl, home.url, ...home.redirects]);
  const queue = contactLikeLinks(homePage.html, homePage.url).filter((u) => !seen.has(u));
  while (queue.length && crawl.pagesRequested < limits.maxPages) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    crawl.pagesRequested++;
    try {
      const fetched = await fetcher.get(url, { beforeHop });
      if (fetched.notHtml) crawl.skipped.push({ url, reason: fetched.notHtml });
      else if (fetched.status >= 400) crawl.skipped.push({ url, reason: `HTTP ${fetched.status}` });
      else {
        const page = toPage(fetched);
        crawl.pages.push(page);
        for (const link of contactLikeLinks(page.html, page.url)) if (!seen.has(link) && !queue.includes(link)) queue.push(link);
      }
    } catch (error) {
      crawl.skipped.push({ url, reason: error instanceof RobotsRefusal || error instanceof FetchFailure ? error.reason : String(error) });
    }
  }
  return crawl;
}

function failed(crawl: SiteCrawl, error: unknown): SiteCrawl {
  if (error instanceof RobotsRefusal) {
    crawl.robotsRefusal = { reason: error.reason, refusal: error.refusal, ...error.robots };
    return crawl;
  }
  if (error instanceof FetchFailure) {
    crawl.failure = failureOf(error);
    return crawl;
  }
  throw error;
}
