import { chromium, errors, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { FetchError, NavigationTimeoutError } from '../errors';
import { DEFAULT_USER_AGENT, type FetchedPage, type PageSession } from './fetcher';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Resource types never needed to read listings: blocked to save time and memory. */
export const BLOCKED_RESOURCE_TYPES = new Set(['image', 'font', 'media']);

export interface BrowserPoolOptions {
  executablePath: string;
  navigationTimeoutMs: number;
  userAgent?: string;
}

export interface BrowserSessionOptions {
  /** Abort images, fonts and media (default true). */
  blockResources?: boolean;
}

/**
 * One Chromium per worker process, launched on first use and relaunched if it dies; every job
 * gets a fresh context (cookies, cache and storage are never shared between jobs).
 */
export class BrowserPool {
  private browser: Promise<Browser> | null = null;
  private closed = false;

  constructor(private readonly opts: BrowserPoolOptions) {}

  async openSession(sessionOpts: BrowserSessionOptions = {}): Promise<PageSession> {
    const browser = await this.getBrowser();
    const context = await browser.newContext({
      userAgent: this.opts.userAgent ?? DEFAULT_USER_AGENT,
      javaScriptEnabled: true,
      serviceWorkers: 'block',
    });
    if (sessionOpts.blockResources ?? true) {
      await context.route('**/*', (route) => {
        const blocked = BLOCKED_RESOURCE_TYPES.has(route.request().resourceType());
        return blocked ? route.abort('blockedbyclient') : route.continue();
      });
    }
    return new BrowserSession(context, this.opts.navigationTimeoutMs);
  }

  get launched(): boolean {
    return this.browser !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    const b = this.browser;
    this.browser = null;
    if (b) await (await b.catch(() => null))?.close().catch(() => undefined);
  }

  private getBrowser(): Promise<Browser> {
    if (this.closed) return Promise.reject(new Error('browser pool is closed'));
    if (!this.browser) {
      const launching = chromium
        .launch({ executablePath: this.opts.executablePath, args: CHROMIUM_ARGS, headless: true })
        .then((b) => {
          b.on('disconnected', () => {
            if (this.browser === launching) this.browser = null;
          });
          return b;
        });
      launching.catch(() => {
        if (this.browser === launching) this.browser = null;
      });
      this.browser = launching;
    }
    return this.browser;
  }
}

class BrowserSession implements PageSession {
  private page: Page | null = null;

  constructor(
    private readonly context: BrowserContext,
    private readonly timeoutMs: number,
  ) {}

  async fetch(url: string, signal?: AbortSignal): Promise<FetchedPage> {
    signal?.throwIfAborted();
    const page = this.page ?? (this.page = await this.context.newPage());
    const onAbort = (): void => void page.close().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await page.goto(url, {
        timeout: this.timeoutMs,
        waitUntil: 'domcontentloaded',
      });
      const body = await page.content();
      return { url, finalUrl: page.url(), status: response?.status() ?? 200, body };
    } catch (error) {
      // A timed-out page may still be loading: never reuse it.
      this.page = null;
      void page.close().catch(() => undefined);
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : error;
      if (error instanceof errors.TimeoutError) {
        throw new NavigationTimeoutError(url, this.timeoutMs, { cause: error });
      }
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new FetchError(null, url, `navigation failed for ${url}: ${message}`, { cause: error });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
