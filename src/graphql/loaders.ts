import DataLoader from 'dataloader';
import { ListingEntity } from '../listings/listing.entity';
import { ListingsService } from '../listings/listings.service';
import { PriceObservationEntity } from '../listings/price-observation.entity';
import type { MarketBaselineRow } from '../pricing/pricing.repository';
import type { SourceEntity } from '../sources/source.entity';

/** What the source loader needs (SourcesService satisfies it). */
export interface SourceLookup {
  byIds(ids: readonly number[]): Promise<SourceEntity[]>;
}

/**
 * Per-request DataLoaders: every relation a page of listings touches is fetched with one
 * statement per relation, however many listings the page holds.
 */
export class Loaders {
  private readonly history = new Map<number, DataLoader<number, PriceObservationEntity[]>>();
  readonly listing: DataLoader<number, ListingEntity | null>;
  readonly source: DataLoader<number, SourceEntity | null>;

  constructor(
    private readonly listings: ListingsService,
    sources?: SourceLookup,
  ) {
    this.listing = new DataLoader(async (ids) => {
      const rows = await this.listings.byIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.source = new DataLoader(async (ids) => {
      const rows = sources ? await sources.byIds(ids) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  private baselines?: DataLoader<string, MarketBaselineRow | null>;

  /** Market baselines by configuration key: one statement per page. */
  get marketBaseline(): DataLoader<string, MarketBaselineRow | null> {
    this.baselines ??= new DataLoader(async (keys) => {
      const rows = await this.listings.marketBaselines(keys);
      const byKey = new Map(rows.map((r) => [r.configKey, r]));
      return keys.map((k) => byKey.get(k) ?? null);
    });
    return this.baselines;
  }

  priceHistory(limit: number): DataLoader<number, PriceObservationEntity[]> {
    let loader = this.history.get(limit);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const map = await this.listings.priceHistory(ids, limit);
        return ids.map((id) => map.get(id) ?? []);
      });
      this.history.set(limit, loader);
    }
    return loader;
  }
}

export interface GqlContext {
  loaders: Loaders;
}
