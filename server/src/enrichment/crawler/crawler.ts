import type { Config } from '../../config/config.js';
import { anyAddress, publicAddressesOnly, type AddressPolicy } from './address-policy.js';
import { crawlSite, type SiteCrawl } from './crawl-site.js';
import { Fetcher } from './fetcher.js';
import { systemResolver, type Resolver } from './guarded-lookup.js';
import { Politeness } from './politeness.js';
import { RobotsCache } from './robots.js';

export type CrawlerSettings = {
  userAgent: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Pause between two requests to one host. */
  hostDelayMs: number;
  /** Requests in flight at once across all hosts. */
  concurrency: number;
  maxPages: number;
  maxBytes: number;
  maxRedirects: number;
  policy: AddressPolicy;
  resolver: Resolver;
  /** Certificates trusted besides Node's roots; tests only (see FetchSettings). */
  extraCaCertificates?: string[];
};

export const MAX_PAGES_PER_SITE = 8;
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;
export const MAX_REDIRECTS = 5;

export function crawlerSettingsFrom(config: Config): CrawlerSettings {
  return {
    userAgent: config.crawlerUserAgent,
    timeoutMs: config.CRAWLER_TIMEOUT_MS,
    connectTimeoutMs: Math.min(config.CRAWLER_TIMEOUT_MS, 10_000),
    hostDelayMs: config.CRAWLER_HOST_DELAY_MS,
    concurrency: config.CRAWLER_CONCURRENCY,
    maxPages: MAX_PAGES_PER_SITE,
    maxBytes: MAX_PAGE_BYTES,
    maxRedirects: MAX_REDIRECTS,
    policy: config.CRAWLER_ALLOW_PRIVATE ? anyAddress : publicAddressesOnly,
    resolver: systemResolver,
  };
}

/** The crawler of one process: its politeness queues and robots.txt cache are shared by every site it visits. */
export class Crawler {
  private readonly fetcher: Fetcher;
  private readonly robots: RobotsCache;

  constructor(readonly settings: CrawlerSettings) {
    this.fetcher = new Fetcher(settings, new Politeness(settings.concurrency, settings.hostDelayMs));
    this.robots = new RobotsCache(this.fetcher, settings.userAgent);
  }

  crawl(website: string): Promise<SiteCrawl> {
    return crawlSite(this.fetcher, this.robots, website, { maxPages: this.settings.maxPages });
  }

  close() {
    return this.fetcher.close();
  }
}

const crawlers = new WeakMap<Config, Crawler>();

/** One crawler per configuration, so every ENRICH_LEADS job of the process takes turns on the same hosts. */
export function crawlerFor(config: Config): Crawler {
  let crawler = crawlers.get(config);
  if (!crawler) {
    crawler = new Crawler(crawlerSettingsFrom(config));
    crawlers.set(config, crawler);
  }
  return crawler;
}

/** Closes the process's crawler connections (on shutdown). */
export async function closeCrawlerFor(config: Config) {
  const crawler = crawlers.get(config);
  crawlers.delete(config);
  await crawler?.close();
}
