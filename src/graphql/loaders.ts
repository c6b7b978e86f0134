import DataLoader from 'dataloader';
import { ListingEntity } from '../listings/listing.entity';
import { ListingsService } from '../listings/listings.service';
import { PriceObservationEntity } from '../listings/price-observation.entity';

/**
 * Per-request DataLoaders: every relation a page of listings touches is fetched with one
 * statement per relation, however many listings the page holds.
 */
export class Loaders {
  private readonly history = new Map<number, DataLoader<number, PriceObservationEntity[]>>();
  readonly listing: DataLoader<number, ListingEntity | null>;

  constructor(private readonly listings: ListingsService) {
    this.listing = new DataLoader(async (ids) => {
      const rows = await this.listings.byIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
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
