import { FetchError, NavigationTimeoutError } from '../errors';
import { DEFAULT_USER_AGENT, type FetchedPage, type PageSession } from './fetcher';

export interface HttpSessionOptions {
  timeoutMs: number;
  userAgent?: string;
  /** Bodies beyond this many characters are cut (a page is never that big). */
  maxChars?: number;
}

/** Plain HTTP with global fetch and an AbortSignal timeout, for sources that need no browser. */
export class HttpSession implements PageSession {
  constructor(private readonly opts: HttpSessionOptions) {}

  async fetch(url: string, signal?: AbortSignal): Promise<FetchedPage> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
    try {
      const res = await fetch(url, {
        signal: combined,
        redirect: 'follow',
        headers: {
          'user-agent': this.opts.userAgent ?? DEFAULT_USER_AGENT,
          accept: 'application/json, text/html;q=0.9, */*;q=0.5',
        },
      });
      const body = await res.text();
      return {
        url,
        finalUrl: res.url || url,
        status: res.status,
        body: body.slice(0, this.opts.maxChars ?? 20_000_000),
      };
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout.aborted)
        throw new NavigationTimeoutError(url, this.opts.timeoutMs, { cause: error });
      throw new FetchError(null, url, `network error for ${url}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
