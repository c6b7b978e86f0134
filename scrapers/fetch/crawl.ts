import { BlockedError, FetchError, isRetryable, isScrapeError } from '../errors';
import type { ParsedPage, Scraper, ScraperSource } from '../types';
import type { FetchedPage, PageSession } from './fetcher';
import { sleep, type DomainLimits, type DomainRateLimiter } from './rate-limiter';
import type { RobotsCache } from './robots';

export interface CrawledPage {
  pageNo: number;
  url: string;
  parsed: ParsedPage;
}

export interface CrawlFailure {
  pageNo: number;
  url: string;
  /** 'blocked', 'parse', 'fetch', 'navigation-timeout', 'config', 'robots' or 'internal'. */
  kind: string;
  message: string;
  attempts: number;
  /** The last body received for that page, kept for debugging. */
  body: string | null;
}

export type CrawlStatus = 'succeeded' | 'partial' | 'failed' | 'blocked';

export interface CrawlOutcome {
  status: CrawlStatus;
  /** The crawl reached the last page of results (no next page), so membership is complete. */
  complete: boolean;
  pages: number;
  failures: CrawlFailure[];
}

export interface CrawlOptions {
  scraper: Scraper;
  source: ScraperSource;
  query: string;
  session: PageSession;
  limiter: DomainRateLimiter;
  limits: DomainLimits;
  robots?: RobotsCache | null;
  /** Tries per page for retryable errors (timeouts, 5xx, 429, bot walls). */
  attempts: number;
  /** First backoff delay; doubles per retry, with jitter. */
  backoffMs: number;
  signal?: AbortSignal;
  /** Called once per parsed page, in order; a throw stops the crawl and fails it. */
  onPage(page: CrawledPage): Promise<void>;
}

class RobotsDisallowedError extends Error {}

/**
 * Follows a query's result pages up to the source's page limit. Retries what may succeed later
 * with exponential backoff; a page that still fails ends the crawl as partial (some pages done),
 * blocked (bot wall) or failed. Never reports a blocked page as an empty one.
 */
export async function crawl(opts: CrawlOptions): Promise<CrawlOutcome> {
  const failures: CrawlFailure[] = [];
  let url: string | null;
  try {
    url = opts.scraper.firstPageUrl(opts.source, opts.query);
  } catch (error) {
    return {
      status: 'failed',
      complete: false,
      pages: 0,
      failures: [failureOf(error, 0, opts.query, 1, null)],
    };
  }
  const visited = new Set<string>();
  let pages = 0;
  let cardsSoFar = 0;
  let complete = false;
  const limit = Math.max(1, opts.source.pageLimit);
  for (let pageNo = 1; url !== null && pageNo <= limit; pageNo++) {
    opts.signal?.throwIfAborted();
    if (visited.has(url)) {
      // A next link pointing back to a seen page: the results ended.
      complete = true;
      break;
    }
    visited.add(url);
    const result = await fetchAndParse(opts, url, pageNo);
    if ('failure' in result) {
      failures.push(result.failure);
      break;
    }
    const { listings, skipped, totalResults } = result.parsed;
    if (listings.length === 0 && totalResults !== null && cardsSoFar < totalResults) {
      // An empty page while the page itself claims more results than we have seen is a cut-off
      // or broken page, not the end of the results: stop, and never let it end listings.
      failures.push({
        pageNo,
        url,
        kind: 'parse',
        message: `page has no listings although it claims ${totalResults} results (${cardsSoFar} seen so far)`,
        attempts: 1,
        body: result.body,
      });
      break;
    }
    cardsSoFar += listings.length + skipped.length;
    await opts.onPage({ pageNo, url, parsed: result.parsed });
    pages++;
    url = result.parsed.nextPageUrl;
    if (url === null) complete = true;
  }
  const last = failures.at(-1);
  const status: CrawlStatus = !last
    ? 'succeeded'
    : last.kind === 'blocked'
      ? 'blocked'
      : pages > 0
        ? 'partial'
        : 'failed';
  return { status, complete: complete && failures.length === 0, pages, failures };
}

async function fetchAndParse(
  opts: CrawlOptions,
  url: string,
  pageNo: number,
): Promise<{ parsed: ParsedPage; body: string } | { failure: CrawlFailure }> {
  const attempts = Math.max(1, opts.attempts);
  let lastBody: string | null = null;
  for (let attempt = 1; ; attempt++) {
    try {
      if (opts.robots && !(await opts.robots.isAllowed(url))) {
        throw new RobotsDisallowedError(`robots.txt disallows ${url}`);
      }
      const release = await opts.limiter.acquire(url, opts.limits, opts.signal);
      let page: FetchedPage;
      try {
        page = await opts.session.fetch(url, opts.signal);
      } finally {
        release();
      }
      lastBody = page.body;
      if (page.status >= 400) {
        // A 403/429/503 is often a bot wall with a body saying so; the parser recognizes it.
        if ([403, 429, 503].includes(page.status)) {
          try {
            opts.scraper.parse(page.body, { url: page.finalUrl, source: opts.source });
          } catch (error) {
            if (error instanceof BlockedError) throw error;
          }
        }
        throw new FetchError(page.status, url);
      }
      const parsed = opts.scraper.parse(page.body, { url: page.finalUrl, source: opts.source });
      return { parsed, body: page.body };
    } catch (error) {
      if (opts.signal?.aborted) throw error;
      if (attempt >= attempts || !isRetryable(error)) {
        return { failure: failureOf(error, pageNo, url, attempt, lastBody) };
      }
      const delay = opts.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
      await sleep(delay, opts.signal);
    }
  }
}

function failureOf(
  error: unknown,
  pageNo: number,
  url: string,
  attempts: number,
  body: string | null,
): CrawlFailure {
  const kind =
    error instanceof RobotsDisallowedError
      ? 'robots'
      : isScrapeError(error)
        ? error.kind
        : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  return { pageNo, url, kind, message, attempts, body };
}
