/** Filters and orders over listings, independent of GraphQL (the resolver maps its input here). */
export interface ListingFilter {
  sourceIds?: number[];
  statuses?: Array<'active' | 'ended' | 'sold'>;
  search?: string;
  priceMin?: number;
  priceMax?: number;
  currency?: string;
  seenSince?: Date;
  // ---- normalized specs
  kind?: string;
  chassis?: string;
  vendor?: string;
  cpuModel?: string;
  cpuFamily?: string;
  gpuModel?: string;
  formFactor?: string;
  minCores?: number;
  minThreads?: number;
  minRamGb?: number;
  minStorageGb?: number;
  minGpuCount?: number;
  minGpuMemoryGb?: number;
  /** Case-insensitive substring of the seller's location. */
  sellerLocation?: string;
}

/**
 * Declarative spec filters: add a filter by adding its key here (and to the GraphQL input).
 * `equals` compares case-insensitively; `min` is an inclusive lower bound.
 */
export const EQUALS_FILTERS = {
  kind: 'l.kind',
  chassis: 'l.chassis',
  vendor: 'l.vendor',
  cpuModel: 'l.cpu_model',
  cpuFamily: 'l.cpu_family',
  gpuModel: 'l.gpu_model',
  formFactor: 'l.form_factor',
} as const satisfies Partial<Record<keyof ListingFilter, string>>;

export const MIN_FILTERS = {
  minCores: 'l.cores',
  minThreads: 'l.threads',
  minRamGb: 'l.ram_gb',
  minStorageGb: 'l.storage_gb',
  minGpuCount: 'l.gpu_count',
  minGpuMemoryGb: 'l.gpu_memory_gb',
} as const satisfies Partial<Record<keyof ListingFilter, string>>;

export interface OrderSpec {
  column: string;
  direction: 'ASC' | 'DESC';
  /** How the cursor value is typed back into SQL. */
  cast: 'timestamptz' | 'numeric' | 'float8' | 'bigint';
}

/** Ratio metrics are double precision, amounts of money numeric (see METRIC_COLUMNS). */
const metricAsc = (column: string, cast: OrderSpec['cast'] = 'float8'): OrderSpec => ({
  column,
  direction: 'ASC',
  cast,
});
const metricDesc = (column: string): OrderSpec => ({ column, direction: 'DESC', cast: 'float8' });

/** Every order; nulls sort last in all of them (see ListingsRepository.findPage). */
export const LISTING_ORDERS = {
  FIRST_SEEN: { column: 'l.first_seen_at', direction: 'DESC', cast: 'timestamptz' },
  LAST_SEEN: { column: 'l.last_seen_at', direction: 'DESC', cast: 'timestamptz' },
  PRICE: { column: 'l.price', direction: 'ASC', cast: 'numeric' },
  PRICE_DESC: { column: 'l.price', direction: 'DESC', cast: 'numeric' },
  EFFECTIVE_PRICE: metricAsc('l.effective_price', 'numeric'),
  CPU_SCORE_PER_DOLLAR: metricDesc('l.cpu_score_per_dollar'),
  DOLLARS_PER_CORE: metricAsc('l.dollars_per_core'),
  DOLLARS_PER_THREAD: metricAsc('l.dollars_per_thread'),
  DOLLARS_PER_GB_RAM: metricAsc('l.dollars_per_gb_ram'),
  DOLLARS_PER_TB: metricAsc('l.dollars_per_tb'),
  TFLOPS_PER_DOLLAR: metricDesc('l.tflops_per_dollar'),
  DOLLARS_PER_GB_VRAM: metricAsc('l.dollars_per_gb_vram'),
  TCO: metricAsc('l.tco', 'numeric'),
  BREAK_EVEN_MONTHS: metricAsc('l.break_even_months'),
  DISCOUNT_TO_MARKET: metricDesc('l.discount_to_market'),
} as const satisfies Record<string, OrderSpec>;

export type ListingOrderKey = keyof typeof LISTING_ORDERS;
