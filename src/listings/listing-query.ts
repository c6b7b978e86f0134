/** Filters and orders over listings, independent of GraphQL (the resolver maps its input here). */
export interface ListingFilter {
  sourceIds?: number[];
  statuses?: Array<'active' | 'ended' | 'sold'>;
  search?: string;
  priceMin?: number;
  priceMax?: number;
  currency?: string;
  seenSince?: Date;
}

export type ListingOrderKey = 'FIRST_SEEN' | 'LAST_SEEN' | 'PRICE' | 'PRICE_DESC';

export interface OrderSpec {
  column: string;
  direction: 'ASC' | 'DESC';
  /** How the cursor value is typed back into SQL. */
  cast: 'timestamptz' | 'numeric' | 'bigint';
}

export const LISTING_ORDERS: Record<ListingOrderKey, OrderSpec> = {
  FIRST_SEEN: { column: 'l.first_seen_at', direction: 'DESC', cast: 'timestamptz' },
  LAST_SEEN: { column: 'l.last_seen_at', direction: 'DESC', cast: 'timestamptz' },
  PRICE: { column: 'l.price', direction: 'ASC', cast: 'numeric' },
  PRICE_DESC: { column: 'l.price', direction: 'DESC', cast: 'numeric' },
};
