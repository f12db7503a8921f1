import robotsParser from 'robots-parser';
import { FetchFailure, type Fetcher } from './fetcher.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What robots.txt said, where and when: the proof of a refusal. */
type RobotsFile = { robotsUrl: string; status: number; fetchedAt: Date };
type Rules = RobotsFile &
  (
    | { kind: 'rules'; isAllowed(url: string): boolean; ruleFor(url: string): string | null }
    | { kind: 'allow-all' }
    | { kind: 'stay-away'; reason: string }
  );

/** The site asked us not to fetch this URL (or its robots.txt answered with a server error, which means the same). */
export class RobotsRefusal extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
    /** Why, for the evidence: a Disallow rule, or robots.txt answering with a server error. */
    readonly refusal: 'disallow' | 'unavailable',
    readonly robots: RobotsFile & { rule: string | null },
  ) {
    super(`${url}: ${reason}`);
  }
}

/**
 * robots.txt per origin, kept for 24 hours. A 4xx answer means there are no rules; a 5xx answer
 * means the site is in trouble and we stay away, as the robots exclusion standard (RFC 9309) asks.
 * A robots.txt that cannot be fetched at all is not cached: the failure is the site's, and it is
 * reported as such to the caller.
 */
export class RobotsCache {
  private readonly cache = new Map<string, { rules: Rules; until: number }>();
  private readonly agentToken: string;

  constructor(
    private readonly fetcher: Fetcher,
    userAgent: string,
    private readonly now = () => Date.now(),
  ) {
    this.agentToken = userAgent.split(/[/\s]/)[0];
  }

  /** Throws RobotsRefusal when `url` may not be fetched; FetchFailure when robots.txt did not answer. */
  async assertAllowed(url: URL): Promise<void> {
    const rules = await this.rulesFor(url.origin).catch((error: unknown) => {
      // robots.txt not answering is the site not answering: the failure is reported on the page that was wanted.
      throw error instanceof FetchFailure ? new FetchFailure(error.kind, error.reason, url.href, error.code) : error;
    });
    const file = { robotsUrl: rules.robotsUrl, status: rules.status, fetchedAt: rules.fetchedAt };
    if (rules.kind === 'stay-away') throw new RobotsRefusal(url.href, rules.reason, 'unavailable', { ...file, rule: null });
    if (rules.kind === 'rules' && !rules.isAllowed(url.href))
      throw new RobotsRefusal(url.href, 'robots.txt disallows this page', 'disallow', { ...file, rule: rules.ruleFor(url.href) });
  }

  private async rulesFor(origin: string): Promise<Rules> {
    const cached = this.cache.get(origin);
    if (cached && cached.until > this.now()) return cached.rules;
    const robotsUrl = `${origin}/robots.txt`;
    const page = await this.fetcher.get(robotsUrl, { anyType: true });
    const file = { robotsUrl, status: page.status, fetchedAt: page.fetchedAt };
    let rules: Rules;
    if (page.status >= 200 && page.status < 300) {
      const text = page.body.toString('utf8');
      const robot = robotsParser(robotsUrl, text);
      const lines = text.split(/\r\n|\r|\n/);
      rules = {
        ...file,
        kind: 'rules',
        isAllowed: (u) => robot.isAllowed(u, this.agentToken) !== false,
        ruleFor: (u) => lines[robot.getMatchingLineNumber(u, this.agentToken) - 1]?.trim() || null,
      };
    } else if (page.status >= 400 && page.status < 500) {
      rules = { ...file, kind: 'allow-all' };
    } else if (page.status >= 500) {
      rules = { ...file, kind: 'stay-away', reason: `robots.txt answered ${page.status}, so the site is left alone` };
    } else {
      throw new FetchFailure('network', `robots.txt answered ${page.status}`, robotsUrl);
    }
    this.cache.set(origin, { rules, until: this.now() + DAY_MS });
    return rules;
  }
}
