import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { startSimulator, type Simulator } from '../../scrapers/simulator/server';
import { rootLogger } from '../common/logger';
import { AppConfig } from '../config/app-config';
import { SourcesService } from '../sources/sources.service';

export const DEMO_PREFIX = 'demo-';
const EVERY_MS = 5 * 60_000;

/**
 * Newcomer demo (DEMO_MODE): with no sources configured (auto) or always (on), starts the
 * marketplace simulator in-process, points demo sources at it and runs them once at start.
 */
@Injectable()
export class DemoService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = rootLogger().child({ module: 'demo' });
  private readonly sims: Simulator[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly sources: SourcesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const mode = this.config.env.DEMO_MODE;
    if (mode === 'off') return;
    try {
      const existing = await this.sources.list();
      const onlyDemo = existing.every((s) => s.name.startsWith(DEMO_PREFIX));
      if (mode === 'auto' && (this.config.env.NODE_ENV === 'test' || !onlyDemo)) return;
      await this.start();
    } catch (error) {
      this.log.error({ err: String(error) }, 'demo mode could not start');
    }
  }

  private async start(): Promise<void> {
    const port = this.config.env.SIMULATOR_PORT;
    const cards = await startSimulator({ port, seed: 1, markup: 'scard' });
    this.sims.push(cards);
    // The older s-item markup generation, from a second simulated site.
    const classic = await startSimulator({
      port: port === 0 ? 0 : port + 1,
      seed: 2,
      markup: 'sitem',
    });
    this.sims.push(classic);
    const wanted = [
      {
        name: `${DEMO_PREFIX}ebay`,
        kind: 'ebay-search' as const,
        baseUrl: cards.url,
        queries: ['poweredge', 'xeon'],
      },
      {
        name: `${DEMO_PREFIX}ebay-classic`,
        kind: 'ebay-search' as const,
        baseUrl: classic.url,
        queries: ['proliant'],
      },
      {
        name: `${DEMO_PREFIX}shop`,
        kind: 'shopify' as const,
        baseUrl: `${cards.url}/shop`,
        queries: [],
      },
    ];
    for (const w of wanted) {
      const fields = { ...w, scheduleEveryMs: EVERY_MS, rateLimitPerMinute: 600, pageLimit: 20 };
      const current = await this.sources.byName(w.name);
      const source = current
        ? await this.sources.update(current.id, { baseUrl: w.baseUrl })
        : await this.sources.create(fields);
      if (source.enabled) await this.sources.runNow(source.id, 'demo');
    }
    this.log.info(
      { simulator: cards.url, classic: classic.url, every: '5 min' },
      'demo mode: simulator started, demo sources queued (DEMO_MODE=off to disable)',
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.sims.splice(0).map((s) => s.close()));
  }
}
