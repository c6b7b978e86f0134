import {
  chromium,
  errors,
  type Browser,
  type BrowserContext,
  type CDPSession,
  type Page,
} from 'playwright-core';
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

/**
 * The Chromium features Playwright 1.65 disables (its `--disable-features` switch). Chromium
 * keeps only the last copy of a switch, so ours must repeat Playwright's list; the browser pool
 * test reads the launched browser's command line and fails if Playwright's list gains an entry.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AimEnabled',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsFirstBalancedModeAutoEnable',
  'HttpsUpgrades',
  'LensOverlay',
  'MediaRouter',
  'NetworkTimeServiceQuerying',
  'OptimizationHints',
  'PaintHolding',
  'PreconnectToSearch',
  'TcpPortRandomizationWin',
  'ThirdPartyStoragePartitioning',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  'msForceBrowserSignIn',
];

/**
 * Features we disable on top. SpareRendererForSitePerProcess: for every browser-initiated
 * navigation (each page.goto) Chromium started a spare renderer process, and when the page
 * committed in the tab's existing renderer (same site) it threw the spare away and started
 * another: one renderer process launched and killed per page, about a quarter of the browser's
 * CPU per search page (bench scrape: ~12 new tasks per page before, none after).
 */
export const EXTRA_DISABLED_FEATURES = ['SpareRendererForSitePerProcess'];

export const DISABLED_FEATURES_ARG = `--disable-features=${[
  ...PLAYWRIGHT_DISABLED_FEATURES,
  ...EXTRA_DISABLED_FEATURES,
].join(',')}`;

/** Resource types never needed to read listings: blocked to save time and memory. */
export const BLOCKED_RESOURCE_TYPES = new Set(['image', 'font', 'media']);

/**
 * Extra launch arguments for the browser that serves blocking sessions. With images disabled
 * in Blink the renderer never requests them, where the route alone let it issue every image
 * request (~60 per search page) and aborted each one over the DevTools pipe: that round trip
 * per image cost the browser and this process more CPU than the page itself. The route stays
 * for fonts, media and any image request Blink still makes. Playwright already passes
 * `--blink-settings` in headless mode and the last copy of a switch wins, so its values are
 * repeated here.
 */
export const NO_IMAGES_ARGS = [
  '--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4,imagesEnabled=false',
];

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
 * Chromium for a worker process, launched on first use and relaunched if it dies; every job
 * gets a fresh context (cookies, cache and storage are never shared between jobs). Blocking and
 * non-blocking sessions run in separate browsers because image loading is a launch setting;
 * workers only open blocking sessions, so they only ever launch one.
 */
export class BrowserPool {
  private readonly browsers = new Map<boolean, Promise<Browser>>();
  private closed = false;

  constructor(private readonly opts: BrowserPoolOptions) {}

  async openSession(sessionOpts: BrowserSessionOptions = {}): Promise<PageSession> {
    const block = sessionOpts.blockResources ?? true;
    const session = new BrowserSession(() => this.newContext(block), this.opts.navigationTimeoutMs);
    await session.ready();
    return session;
  }

  /** A fresh context on the current browser (relaunched first if it died). */
  private async newContext(blockResources: boolean): Promise<BrowserContext> {
    const browser = await this.getBrowser(blockResources);
    const context = await browser.newContext({
      userAgent: this.opts.userAgent ?? DEFAULT_USER_AGENT,
      javaScriptEnabled: true,
      serviceWorkers: 'block',
    });
    if (blockResources) {
      await context.route('**/*', (route) => {
        const blocked = BLOCKED_RESOURCE_TYPES.has(route.request().resourceType());
        // A route can outlive its page (closed mid-request): never an unhandled rejection.
        return (blocked ? route.abort('blockedbyclient') : route.continue()).catch(() => undefined);
      });
    }
    return context;
  }

  get launched(): boolean {
    return this.browsers.size > 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    const launched = [...this.browsers.values()];
    this.browsers.clear();
    await Promise.all(
      launched.map(async (b) => (await b.catch(() => null))?.close().catch(() => undefined)),
    );
  }

  private getBrowser(noImages: boolean): Promise<Browser> {
    if (this.closed) return Promise.reject(new Error('browser pool is closed'));
    let browser = this.browsers.get(noImages);
    if (!browser) {
      const forget = (): void => {
        if (this.browsers.get(noImages) === launching) this.browsers.delete(noImages);
      };
      const launching = chromium
        .launch({
          executablePath: this.opts.executablePath,
          args: [...CHROMIUM_ARGS, DISABLED_FEATURES_ARG, ...(noImages ? NO_IMAGES_ARGS : [])],
          headless: true,
        })
        .then((b) => {
          b.on('disconnected', forget);
          return b;
        });
      launching.catch(forget);
      this.browsers.set(noImages, launching);
      browser = launching;
    }
    return browser;
  }
}

/**
 * One job's browser context with one reused tab. If the context or the browser goes away under
 * it (Chromium crashed or was relaunched, the pool closed a context), the next fetch opens a
 * fresh context instead of failing every later page with "Target ... has been closed".
 */
class BrowserSession implements PageSession {
  private context: BrowserContext | null = null;
  private opening: Promise<BrowserContext> | null = null;
  private page: Page | null = null;
  /** The DevTools session of `page`, opened with it. */
  private cdp: CDPSession | null = null;
  private closed = false;

  constructor(
    private readonly open: () => Promise<BrowserContext>,
    private readonly timeoutMs: number,
  ) {}

  async ready(): Promise<void> {
    await this.contextOf();
  }

  async fetch(url: string, signal?: AbortSignal): Promise<FetchedPage> {
    signal?.throwIfAborted();
    let page: Page;
    try {
      page = await this.pageOf();
    } catch (error) {
      // Retryable: the next attempt gets a fresh context (and browser if needed).
      throw new FetchError(null, url, `could not open a tab for ${url}: ${firstLine(error)}`, {
        cause: error,
      });
    }
    const onAbort = (): void => void page.close().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await page.goto(url, {
        timeout: this.timeoutMs,
        waitUntil: 'domcontentloaded',
      });
      const body = await this.documentHtml(page);
      return { url, finalUrl: page.url(), status: response?.status() ?? 200, body };
    } catch (error) {
      // A timed-out page may still be loading: never reuse it.
      if (this.page === page) this.page = null;
      void page.close().catch(() => undefined);
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : error;
      if (error instanceof errors.TimeoutError) {
        throw new NavigationTimeoutError(url, this.timeoutMs, { cause: error });
      }
      throw new FetchError(null, url, `navigation failed for ${url}: ${firstLine(error)}`, {
        cause: error,
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The document as it stands (doctype included), serialized by the browser through DevTools:
   * like page.content(), unaffected by the page's own scripts, but without the evaluation in a
   * fresh utility world that page.content() sets up after every navigation, which cost the
   * renderer more CPU than loading the page itself (bench scrape: ~7 pages/s with content(),
   * ~12 with this).
   */
  private async documentHtml(page: Page): Promise<string> {
    const cdp = this.page === page ? this.cdp : null;
    if (!cdp) return page.content();
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId: root.nodeId });
    return outerHTML;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.page = null;
    this.cdp = null;
    const context = this.context ?? (await this.opening?.catch(() => null)) ?? null;
    this.context = null;
    await context?.close().catch(() => undefined);
  }

  private async pageOf(): Promise<Page> {
    if (this.page && !this.page.isClosed()) return this.page;
    this.page = null;
    const context = await this.contextOf();
    let page: Page;
    try {
      page = await context.newPage();
    } catch (error) {
      // The context died between checks: drop it so the retry opens a new one.
      if (this.context === context) this.context = null;
      void context.close().catch(() => undefined);
      throw error;
    }
    page.on('crash', () => {
      if (this.page === page) this.page = null;
      void page.close().catch(() => undefined);
    });
    let cdp: CDPSession | null = null;
    try {
      cdp = await context.newCDPSession(page);
    } catch {
      // Without DevTools access the page is read with page.content().
    }
    this.page = page;
    this.cdp = cdp;
    return page;
  }

  private async contextOf(): Promise<BrowserContext> {
    if (this.closed) throw new Error('browser session is closed');
    if (this.context) return this.context;
    if (!this.opening) {
      this.opening = this.open().finally(() => (this.opening = null));
    }
    const context = await this.opening;
    if (this.closed) {
      await context.close().catch(() => undefined);
      throw new Error('browser session is closed');
    }
    context.on('close', () => {
      if (this.context === context) {
        this.context = null;
        this.page = null;
      }
    });
    this.context = context;
    return context;
  }
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}
