import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { join } from 'node:path';
import { badInput } from '../common/errors';
import { rootLogger } from '../common/logger';
import { projectRoot } from '../common/project-root';
import { AppConfig } from '../config/app-config';
import {
  JobName,
  QueueName,
  RecomputeValuationsPayload,
  RefreshMarketPayload,
} from '../queue/queues';
import { type Catalogs, loadCatalogs } from './catalog/catalogs';
import {
  type PricedColumns,
  type PricingDeps,
  type PricingInput,
  priceListing,
} from './listing-pricing';
import { PricingRepository } from './pricing.repository';
import {
  DEFAULT_VALUATION_SETTINGS,
  type PartsMedian,
  type ValuationData,
  type ValuationSettings,
  loadValuationData,
  parseValuationSettings,
} from './valuation';
import {
  MARKET_MEDIAN_STEP,
  MARKET_WINDOW_DAYS,
  PRICING_VERSION,
  valuationVersion,
} from './version';

export const VALUATION_SETTING_KEY = 'valuation';
/** How long a process trusts its copy of the settings before checking the revision again. */
const SETTINGS_TTL_MS = 5000;
/** How long parts medians are reused across ingest batches. */
const PARTS_TTL_MS = 60_000;
/**
 * Market refresh debounce: one job per window (fixed jobId), run when the window ends, so a burst
 * of ingest batches refreshes each touched key once.
 */
export const MARKET_REFRESH_WINDOW_MS = 3000;
/** Dirty keys refreshed per statement by the market job. */
const MARKET_REFRESH_KEYS = 2000;
/** Rounds per market job; keys re-marked during a long job are left to the next window's job. */
const MARKET_REFRESH_ROUNDS = 50;

export interface SettingsView {
  settings: ValuationSettings;
  revision: number;
  valuationVersion: number;
  pricingVersion: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** Distinct configuration keys, without the nulls of unkeyed listings. */
function keyList(keys: Iterable<string | null>): string[] {
  return [...new Set([...keys].filter((k): k is string => typeof k === 'string'))];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Partial settings over the current ones: objects merge key by key, arrays and values replace. */
export function mergeSettings(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeSettings(base[k], v) : v;
  return out;
}

/**
 * Holds what pricing needs in memory (catalogs, FX and cloud tables, valuation settings from the
 * `setting` table) and turns listings into spec/metric columns. Settings are re-read when their
 * revision changes, so every process values with the settings an admin saved last.
 */
@Injectable()
export class PricingService implements OnModuleInit {
  private readonly log = rootLogger().child({ module: 'pricing' });
  readonly catalogs: Catalogs = loadCatalogs();
  private readonly dataDir = join(projectRoot(), 'data');
  private data: ValuationData;
  private revision = 0;
  private updatedAt: Date | null = null;
  private updatedBy: string | null = null;
  private checkedAt = 0;
  private parts: { at: number; map: Map<string, PartsMedian> } | null = null;

  constructor(
    private readonly repo: PricingRepository,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Valuation)
    private readonly queue: Queue<RecomputeValuationsPayload | RefreshMarketPayload>,
  ) {
    this.data = loadValuationData(this.dataDir);
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  get baseCurrency(): string {
    return this.config.env.BASE_CURRENCY;
  }

  /** The valuation_version rows valued now get. */
  get version(): number {
    return valuationVersion(this.revision);
  }

  get settings(): ValuationSettings {
    return this.data.settings;
  }

  /** Re-reads the settings row (a bad stored row is logged and the defaults are used). */
  async reload(): Promise<void> {
    const row = await this.repo.getSetting(VALUATION_SETTING_KEY);
    this.checkedAt = Date.now();
    try {
      this.data = loadValuationData(this.dataDir, row?.value ?? undefined);
    } catch (e) {
      this.log.error(
        { revision: row?.revision, reason: (e as Error).message },
        'stored valuation settings are invalid: defaults used',
      );
      this.data = loadValuationData(this.dataDir);
    }
    this.revision = row?.revision ?? 0;
    this.updatedAt = row?.updatedAt ?? null;
    this.updatedBy = row?.updatedBy ?? null;
  }

  /** Reloads when another process saved new settings (checked at most every few seconds). */
  async ensureFresh(): Promise<void> {
    if (Date.now() - this.checkedAt < SETTINGS_TTL_MS) return;
    const rev = await this.repo.settingRevision(VALUATION_SETTING_KEY);
    this.checkedAt = Date.now();
    if (rev !== this.revision) await this.reload();
  }

  /**
   * Market medians of parts listings: one aggregate statement, shared by the batches of the next
   * PARTS_TTL_MS (a median over 90 days barely moves in a minute). `fresh` skips the cache.
   */
  async partsMedians(fresh = false): Promise<Map<string, PartsMedian>> {
    if (!fresh && this.parts && Date.now() - this.parts.at < PARTS_TTL_MS) return this.parts.map;
    const map = await this.repo.partsMedians(MARKET_WINDOW_DAYS);
    this.parts = { at: Date.now(), map };
    return map;
  }

  deps(partsMedians: ReadonlyMap<string, PartsMedian>): PricingDeps {
    return {
      catalogs: this.catalogs,
      fx: this.data.fx,
      cloud: this.data.cloud,
      settings: this.data.settings,
      settingsRevision: this.revision,
      baseCurrency: this.baseCurrency,
      valuationVersion: this.version,
      partsMedians,
    };
  }

  /** Pure and fast: no I/O. */
  price(input: PricingInput, deps: PricingDeps): PricedColumns {
    return priceListing(input, deps).columns;
  }

  /** Full valuation with every input (settings included), for operators. */
  explain(input: PricingInput, deps: PricingDeps): ReturnType<typeof priceListing> {
    return priceListing(input, deps);
  }

  /** Marks configuration keys for the market job (refreshDirtyMarket) to rebuild. */
  markMarketDirty(keys: Iterable<string | null>): Promise<void> {
    return this.repo.markDirtyKeys(keyList(keys));
  }

  /** Rebuilds market baselines of these configuration keys and the discounts of their listings. */
  refreshMarket(keys: Iterable<string | null>): Promise<number> {
    return this.repo.refreshMarket(
      keyList(keys),
      MARKET_WINDOW_DAYS,
      this.data.settings.minMarketObservations,
      MARKET_MEDIAN_STEP,
    );
  }

  /**
   * Enqueues the debounced market refresh after ingest marked keys dirty: one job per
   * MARKET_REFRESH_WINDOW_MS window (jobId from the window), delayed to the window's end, so the
   * batches of a burst coalesce and a job already running never swallows a later mark. Adding a
   * job whose id exists is a no-op in BullMQ (one Redis round trip per ingest call).
   */
  async scheduleMarketRefresh(reason: string): Promise<void> {
    const now = Date.now();
    const window = Math.floor(now / MARKET_REFRESH_WINDOW_MS);
    await this.queue.add(
      JobName.RefreshMarket,
      { reason },
      {
        jobId: `refresh-market-${window}`,
        delay: (window + 1) * MARKET_REFRESH_WINDOW_MS - now,
        attempts: 10,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 3600, count: 100 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  /**
   * Drains the dirty configuration keys: rebuilds their baselines and the discount_to_market of
   * their listings, set-based, a few thousand keys per statement. Returns keys and listings
   * rewritten. Run by the market job; safe to run anywhere at any time.
   */
  async refreshDirtyMarket(): Promise<{ keys: number; listings: number }> {
    await this.ensureFresh();
    const out = { keys: 0, listings: 0 };
    for (let round = 0; round < MARKET_REFRESH_ROUNDS; round++) {
      const keys = await this.repo.claimDirtyKeys(MARKET_REFRESH_KEYS);
      if (keys.length === 0) break;
      out.listings += await this.refreshMarket(keys);
      await this.repo.clearDirtyKeys(keys);
      out.keys += keys.length;
      if (keys.length < MARKET_REFRESH_KEYS) break;
    }
    return out;
  }

  baselines(keys: readonly string[]) {
    return this.repo.baselines(keys);
  }

  async settingsView(): Promise<SettingsView> {
    await this.reload();
    return {
      settings: this.data.settings,
      revision: this.revision,
      valuationVersion: this.version,
      pricingVersion: PRICING_VERSION,
      updatedAt: this.updatedAt,
      updatedBy: this.updatedBy,
    };
  }

  /**
   * Applies a partial settings object over the current settings (JSON text or object), validates
   * it, saves a new revision and enqueues the recompute job. Bad values: BAD_USER_INPUT.
   */
  async updateSettings(input: unknown, by: string | null): Promise<SettingsView> {
    let patch = input;
    if (typeof input === 'string') {
      try {
        patch = JSON.parse(input) as unknown;
      } catch (e) {
        throw badInput(`settings: not valid JSON (${(e as Error).message})`);
      }
    }
    if (!isObject(patch)) throw badInput('settings: expected a JSON object of settings to change');
    const row = await this.repo.getSetting(VALUATION_SETTING_KEY);
    const current = parseValuationSettings(row?.value ?? undefined);
    const base = current.ok ? current.settings : DEFAULT_VALUATION_SETTINGS;
    const parsed = parseValuationSettings(mergeSettings(base, patch));
    if (!parsed.ok) throw badInput(parsed.error);
    try {
      loadValuationData(this.dataDir, parsed.settings); // e.g. an FX table that cannot be used
    } catch (e) {
      throw badInput(`invalid valuation settings: ${(e as Error).message}`);
    }
    await this.repo.putSetting(VALUATION_SETTING_KEY, parsed.settings, by);
    await this.reload();
    await this.enqueueRecompute(`settings revision ${this.revision}`);
    this.log.info({ revision: this.revision, by }, 'valuation settings updated');
    return this.settingsView();
  }

  /** One job per valuation version (fixed jobId), so repeated triggers do not pile up. */
  async enqueueRecompute(reason: string): Promise<void> {
    await this.queue.add(
      JobName.RecomputeValuations,
      { reason },
      {
        jobId: `recompute-valuations-v${this.version}`,
        attempts: 10,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { age: 24 * 3600, count: 100 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }
}
