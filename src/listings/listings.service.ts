import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { badInput, notFound } from '../common/errors';
import { rootLogger } from '../common/logger';
import type { IngestBatchPayload, IngestResult } from '../queue/queues';
import { ListingEntity } from './listing.entity';
import { LISTING_ORDERS, ListingFilter, ListingOrderKey } from './listing-query';
import { ListingsRepository, toWriteRow } from './listings.repository';
import { formatZodIssues, rawListingSchema } from './raw-listing';

export const MAX_PAGE_SIZE = 200;
export const INGEST_CHUNK = 1000;

export interface ListingPage {
  nodes: ListingEntity[];
  cursors: string[];
  hasNextPage: boolean;
}

@Injectable()
export class ListingsService {
  private readonly log = rootLogger().child({ module: 'listings' });

  constructor(private readonly listings: ListingsRepository) {}

  /**
   * Validates a batch and upserts it set-based, in chunks of INGEST_CHUNK rows (one statement
   * each). Invalid rows are dropped with a logged reason; they never fail the whole batch.
   */
  async ingest(payload: IngestBatchPayload): Promise<IngestResult & { rejected: number }> {
    const observedAt = new Date(payload.observedAt);
    if (Number.isNaN(observedAt.getTime())) throw badInput(`observedAt: not a date`);
    const rows = [];
    let rejected = 0;
    for (const [index, raw] of payload.listings.entries()) {
      const parsed = rawListingSchema.safeParse(raw);
      if (parsed.success) rows.push(toWriteRow(parsed.data));
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
    for (let i = 0; i < rows.length; i += INGEST_CHUNK) {
      const r = await this.listings.upsertBatch(
        payload.sourceId,
        observedAt,
        payload.runId ?? null,
        rows.slice(i, i + INGEST_CHUNK),
      );
      total.inserted += r.inserted;
      total.changed += r.changed;
      total.unchanged += r.unchanged;
      total.observations += r.observations;
      total.changedListingIds.push(...r.changedListingIds);
    }
    return total;
  }

  async page(
    filter: ListingFilter,
    orderKey: ListingOrderKey,
    first: number,
    after?: string | null,
  ): Promise<ListingPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, { max: MAX_PAGE_SIZE });
    }
    const cursor = after ? decodeCursor(after, orderKey) : null;
    const rows = await this.listings.findPage(filter, orderKey, first + 1, cursor);
    const nodes = rows.slice(0, first);
    const order = LISTING_ORDERS[orderKey];
    const prop = columnToProp(order.column);
    return {
      nodes,
      hasNextPage: rows.length > first,
      cursors: nodes.map((n) => {
        const v = (n as unknown as Record<string, unknown>)[prop];
        const value = v instanceof Date ? v.toISOString() : (v as number | string | null);
        return encodeCursor({ order: orderKey, value: value ?? null, id: n.id });
      }),
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
}

function columnToProp(column: string): string {
  return column.replace(/^\w+\./, '').replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
