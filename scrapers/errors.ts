/**
 * Scrape error taxonomy (after crawlee): the fetch loop decides on retries from `retryable`
 * alone, and records `kind` on the run. Parsers throw BlockedError and ParseError; the fetch
 * layer throws FetchError and NavigationTimeoutError.
 */
export type ScrapeErrorKind = 'blocked' | 'parse' | 'fetch' | 'navigation-timeout' | 'config';

export abstract class ScrapeError extends Error {
  abstract readonly kind: ScrapeErrorKind;
  /** Whether the same request may succeed later (with backoff). */
  abstract readonly retryable: boolean;
  /** The URL being scraped, when known. */
  readonly url: string | null;

  protected constructor(message: string, url: string | null, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.url = url;
  }
}

export type BlockReason = 'bot-wall' | 'captcha' | 'login' | 'access-denied' | 'rate-limited';

/** A bot wall, captcha, login wall or access-denied page instead of content. Retried with backoff. */
export class BlockedError extends ScrapeError {
  readonly kind = 'blocked' as const;
  readonly retryable = true;

  constructor(
    readonly reason: BlockReason,
    url: string | null,
    /** The marker that gave it away (page title, element), for the run log. */
    readonly evidence: string,
  ) {
    super(`Blocked (${reason}) at ${url ?? 'unknown URL'}: ${evidence}`, url);
  }
}

/** The page arrived but its markup is unusable (layout changed, truncated). Not retried. */
export class ParseError extends ScrapeError {
  readonly kind = 'parse' as const;
  readonly retryable = false;
  declare readonly url: string;

  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(`${message} (${url})`, url, options);
  }
}

/**
 * An HTTP failure. 5xx, 408 and 429 are retryable (the server may recover or the rate limit may
 * lift); other 4xx are not. `status` null means the request never got a response (DNS, reset).
 */
export class FetchError extends ScrapeError {
  readonly kind = 'fetch' as const;
  readonly retryable: boolean;

  constructor(
    readonly status: number | null,
    url: string,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? `HTTP ${status ?? 'network error'} for ${url}`, url, options);
    this.retryable = status === null || status >= 500 || status === 408 || status === 429;
  }
}

/** The page did not load within the navigation timeout. Retried with backoff. */
export class NavigationTimeoutError extends ScrapeError {
  readonly kind = 'navigation-timeout' as const;
  readonly retryable = true;

  constructor(
    url: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`Navigation timed out after ${timeoutMs} ms: ${url}`, url, options);
  }
}

/** A source's kind-specific config is invalid (for example bad CSS selectors). Not retried. */
export class ScraperConfigError extends ScrapeError {
  readonly kind = 'config' as const;
  readonly retryable = false;

  constructor(message: string, url: string | null = null) {
    super(message, url);
  }
}

export function isScrapeError(error: unknown): error is ScrapeError {
  return error instanceof ScrapeError;
}

/** Unknown errors are not retried: a bug does not fix itself on the next attempt. */
export function isRetryable(error: unknown): boolean {
  return isScrapeError(error) && error.retryable;
}
