import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { badInput, notFound } from '../common/errors';
import { rootLogger } from '../common/logger';
import { PricingService } from '../pricing/pricing.service';
import { type PricingInput, pricingHash } from '../pricing/listing-pricing';
import type { MarketBaselineRow } from '../pricing/pricing.repository';
import type { IngestBatchPayload, IngestResult } from '../queue/queues';
import { ListingEntity } from './listing.entity';
import type { ListingView, ListingViewColumn } from './listing-row';
import { LISTING_ORDERS, ListingFilter, ListingOrderKey } from './listing-query';
import { ListingWriteRow, ListingsRepository, toWriteRow } from './listings.repository';
import { RawListing, formatZodIssues, rawListingSchema } from './raw-listing';

export const MAX_PAGE_SIZE = 200;
export const INGEST_CHUNK = 1000;

export interface ListingPage {
  nodes: ListingView[];
  /** Cursor of nodes[index], encoded on demand (most queries never ask for cursors). */
  cursor(index: number): string;
  hasNextPage: boolean;
}

export interface RecomputeResult {
  updated: number;
  scanned: number;
  passes: number;
  lastId: number;
}

/** Passes over the table: a later pass catches rows a stale process wrote behind the first. */
const MAX_RECOMPUTE_PASSES = 3;

@Injectable()
export class ListingsService {
  private readonly log = rootLogger().child({ module: 'listings' });

  constructor(
    private readonly listings: ListingsRepository,
    private readonly pricing: PricingService,
  ) {}

  /**
   * Validates a batch and upserts it set-based, in chunks of INGEST_CHUNK rows (one statement
   * each). Invalid rows are dropped with a logged reason; they never fail the whole batch.
   */
  async ingest(payload: IngestBatchPayload): Promise<IngestResult & { rejected: number }> {
    const observedAt = new Date(payload.observedAt);
    if (Number.isNaN(observedAt.getTime())) throw badInput(`observedAt: not a date`);
    const rows: RawListing[] = [];
    let rejected = 0;
    for (const [index, raw] of payload.listings.entries()) {
      const parsed = rawListingSchema.safeParse(raw);
      if (parsed.success) rows.push(parsed.data);
      else {
        rejected++;
        this.log.warn(
          { sourceId: payload.sourceId, index, reason: formatZodIssues(parsed.error) },
          'listing rejected',
        );
      }
    }
    const total: IngestResult & { rejected: number } = {
      received: payload.listings.length,
      inserted: 0,
      changed: 0,
      unchanged: 0,
      observations: 0,
      changedListingIds: [],
      rejected,
    };
    if (rows.length === 0) return total;
    await this.pricing.ensureFresh();
    const deps = this.pricing.deps(await this.pricing.partsMedians());
    let keyed = 0;
    for (let i = 0; i < rows.length; i += INGEST_CHUNK) {
      const chunk = rows.slice(i, i + INGEST_CHUNK);
      // Specs come from the merged state the upsert will store (a search card does not erase
      // the attributes an item page gave), so ingest and recompute agree. A row whose merged
      // pricing inputs hash to the stored pricing_hash (a re-observation, the common case) keeps
      // its stored valuation and skips normalizing and pricing.
      const stored = await this.listings.storedForPricing(
        payload.sourceId,
        chunk.map((r) => r.externalId),
      );
      const priceRow = (raw: RawListing, reuse: boolean): ListingWriteRow => {
        const prev = stored.get(raw.externalId);
        const input: PricingInput = {
          title: raw.title,
          attributes: prev?.attributes
            ? { ...prev.attributes, ...raw.attributes }
            : (raw.attributes ?? null),
          description: raw.description ?? prev?.description ?? null,
          price: raw.price ?? null,
          priceMax: raw.priceMax ?? null,
          shipping: raw.shipping ?? null,
          currency: raw.currency ?? null,
          observedAt,
        };
        const hash = pricingHash(input, deps.valuationVersion);
        const keep = reuse && prev !== undefined && prev.pricing_hash === hash;
        return toWriteRow(raw, keep ? null : this.pricing.price(input, deps), hash);
      };
      const write = (batch: ListingWriteRow[]) =>
        this.listings.upsertBatch(payload.sourceId, observedAt, payload.runId ?? null, batch);
      const results = [await write(chunk.map((raw) => priceRow(raw, true)))];
      // Unpriced rows the statement did not write (a replay, or re-priced meanwhile by a
      // concurrent batch) go again, priced: the upsert then decides as for any priced row.
      const skipped = new Set(results[0]!.unpricedSkipped);
      if (skipped.size > 0) {
        results.push(
          await write(
            chunk.filter((r) => skipped.has(r.externalId)).map((r) => priceRow(r, false)),
          ),
        );
      }
      for (const r of results) {
        keyed += r.marked + r.keyed;
        total.inserted += r.inserted;
        total.changed += r.changed;
        total.unchanged += r.unchanged;
        total.observations += r.observations;
        total.changedListingIds.push(...r.changedListingIds);
      }
      // The retried rows were counted unchanged by the first statement and counted again.
      total.unchanged -= skipped.size;
    }
    // Baselines of the keys marked dirty by the upserts are rebuilt by the debounced market job.
    if (keyed > 0) await this.pricing.scheduleMarketRefresh(`ingest source ${payload.sourceId}`);
    return total;
  }

  async page(
    filter: ListingFilter,
    orderKey: ListingOrderKey,
    first: number,
    after?: string | null,
    /** Columns to read (see ListingsRepository.findPage); all when omitted. */
    columns?: readonly ListingViewColumn[] | null,
  ): Promise<ListingPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, { max: MAX_PAGE_SIZE });
    }
    const cursor = after ? decodeCursor(after, orderKey) : null;
    const rows = await this.listings.findPage(filter, orderKey, first + 1, cursor, columns);
    const nodes = rows.slice(0, first);
    const order = LISTING_ORDERS[orderKey];
    const prop = columnToProp(order.column);
    return {
      nodes,
      hasNextPage: rows.length > first,
      cursor: (index) => {
        const n = nodes[index];
        if (!n) throw new RangeError(`no node ${index} on this page`);
        const v = (n as unknown as Record<string, unknown>)[prop];
        const value = v instanceof Date ? v.toISOString() : (v as number | string | null);
        return encodeCursor({ order: orderKey, value: value ?? null, id: n.id });
      },
    };
  }

  count(filter: ListingFilter): Promise<number> {
    return this.listings.count(filter);
  }

  async byId(id: number): Promise<ListingEntity> {
    const [row] = await this.listings.findByIds([id]);
    if (!row) throw notFound('Listing', id);
    return row;
  }

  byIds(ids: readonly number[]): Promise<ListingEntity[]> {
    return this.listings.findByIds(ids);
  }

  priceHistory(ids: readonly number[], limit: number) {
    return this.listings.priceHistory(ids, limit);
  }

  /** Market baselines by configuration key (for the GraphQL DataLoader). */
  marketBaselines(keys: readonly string[]): Promise<MarketBaselineRow[]> {
    return this.pricing.baselines(keys);
  }

  /**
   * Re-prices the next batch of listings (by id, after `afterId`) not valued with the current
   * valuation version, set-based, and marks the configuration keys touched (old and new) dirty for
   * the market job. Refreshing them here, per batch, re-aggregated every listing of those keys for
   * each batch: three quarters of a 100,000-listing recompute (50 of 66 s), and growing with the
   * table. recomputeStale refreshes them once at its end.
   * Returns the last id seen (the checkpoint) and how many rows were rewritten; `scanned` 0 means
   * nothing stale is left after `afterId`.
   */
  async recomputeBatch(
    afterId: number,
    batchSize: number,
    partsMedians?: Awaited<ReturnType<PricingService['partsMedians']>>,
  ): Promise<{ lastId: number; scanned: number; updated: number }> {
    const rows = await this.listings.findStale(this.pricing.version, afterId, batchSize);
    if (rows.length === 0) return { lastId: afterId, scanned: 0, updated: 0 };
    const deps = this.pricing.deps(partsMedians ?? (await this.pricing.partsMedians()));
    const priced = rows.map((r) => ({
      id: r.id,
      ...this.pricing.price(
        {
          title: r.title,
          attributes: r.attributes,
          description: r.description,
          price: r.price,
          priceMax: r.price_max,
          shipping: r.shipping,
          currency: r.currency,
          observedAt: r.last_seen_at,
        },
        deps,
      ),
    }));
    const written = await this.listings.writePriced(priced);
    const keys = new Set<string | null>(written.map((w) => w.config_key));
    for (const r of rows) keys.add(r.config_key);
    await this.pricing.markMarketDirty(keys);
    return { lastId: rows.at(-1)?.id ?? afterId, scanned: rows.length, updated: written.length };
  }

  /**
   * Re-normalizes and re-values every stale listing in id-ordered batches from `afterId`,
   * reporting a checkpoint after each batch so a killed worker resumes where it stopped. At the
   * end of the table another pass runs only if rows behind us went stale meanwhile. Then the market
   * baselines of every key the batches marked are rebuilt once (a killed run leaves its keys
   * marked: the resumed run, or the next ingest's market job, rebuilds them).
   */
  async recomputeStale(opts: {
    afterId: number;
    batchSize: number;
    checkpoint: (afterId: number, progress?: { scanned: number; updated: number }) => Promise<void>;
  }): Promise<RecomputeResult> {
    await this.pricing.reload();
    const batchSize = Math.min(Math.max(Math.trunc(opts.batchSize), 1), 10_000);
    const parts = await this.pricing.partsMedians(true);
    let afterId = Math.max(Math.trunc(opts.afterId), 0);
    const total = { updated: 0, scanned: 0, passes: 1, lastId: afterId };
    for (;;) {
      const r = await this.recomputeBatch(afterId, batchSize, parts);
      if (r.scanned === 0) {
        if (total.passes >= MAX_RECOMPUTE_PASSES || (await this.countStale()) === 0) break;
        total.passes++;
        afterId = 0;
        await opts.checkpoint(afterId);
        continue;
      }
      afterId = r.lastId;
      total.updated += r.updated;
      total.scanned += r.scanned;
      total.lastId = afterId;
      await opts.checkpoint(afterId, { scanned: total.scanned, updated: total.updated });
    }
    await this.pricing.refreshDirtyMarket();
    return total;
  }

  countStale(upToId?: number): Promise<number> {
    return this.listings.countStale(this.pricing.version, upToId);
  }

  hasStale(): Promise<boolean> {
    return this.listings.hasStale(this.pricing.version);
  }
}

function columnToProp(column: string): string {
  return column.replace(/^\w+\./, '').replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
