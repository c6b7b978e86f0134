import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { BrowserPool } from '../../scrapers/fetch/browser-pool';
import { ROBOTS_AGENT } from '../../scrapers/fetch/fetcher';
import { HttpSession } from '../../scrapers/fetch/http-fetcher';
import type { PageSession } from '../../scrapers/fetch/fetcher';
import { DomainRateLimiter } from '../../scrapers/fetch/rate-limiter';
import { RobotsCache } from '../../scrapers/fetch/robots';
import { AppConfig } from '../config/app-config';

/**
 * The process-wide fetch machinery: one browser (launched on first use), one per-domain rate
 * limiter and one robots.txt cache, shared by every scrape job in this worker.
 */
@Injectable()
export class ScrapeFetchers implements OnModuleDestroy {
  readonly limiter = new DomainRateLimiter();
  readonly robots: RobotsCache | null;
  readonly browser: BrowserPool;

  constructor(private readonly config: AppConfig) {
    const env = config.env;
    this.browser = new BrowserPool({
      executablePath: env.CHROMIUM_PATH,
      navigationTimeoutMs: env.SCRAPE_NAV_TIMEOUT_MS,
    });
    this.robots = env.SCRAPE_RESPECT_ROBOTS
      ? new RobotsCache({
          userAgent: ROBOTS_AGENT,
          ttlMs: env.ROBOTS_TTL_MS,
          timeoutMs: Math.min(env.SCRAPE_NAV_TIMEOUT_MS, 10_000),
        })
      : null;
  }

  openSession(transport: 'browser' | 'http'): Promise<PageSession> {
    if (transport === 'http') {
      return Promise.resolve(new HttpSession({ timeoutMs: this.config.env.SCRAPE_NAV_TIMEOUT_MS }));
    }
    return this.browser.openSession({ blockResources: true });
  }

  async onModuleDestroy(): Promise<void> {
    await this.browser.close();
  }
}
