import type { StoredSpecs, StoredValuation } from '../pricing/listing-pricing';
import type { ListingEntity, ListingStatus } from './listing.entity';
import type { PriceObservationEntity } from './price-observation.entity';

/**
 * Hand-written row mappers for the read paths. The API used to build every row with a regex
 * snake-to-camel key mapper and TypeORM's `repository.create`: profiled under load, that was a
 * third of the API process's CPU for a 50-row page. Plain object literals with every property
 * set (one hidden class) cost a fraction of it. listing-row.spec.ts checks the mappers against
 * the entity metadata, so a column added to the entity but not here fails a test.
 */

/** A listing as the API reads it: every column except the large ones no API field shows. */
export type ListingView = Omit<
  ListingEntity,
  'description' | 'valuation' | 'lastRunId' | 'lastChangedAt'
>;

/** Columns of ListingView, in the order of the mapper below. */
export const LISTING_VIEW_COLUMNS = [
  'id',
  'source_id',
  'external_id',
  'url',
  'title',
  'condition',
  'buying_format',
  'best_offer',
  'bids',
  'ends_at',
  'seller',
  'location',
  'currency',
  'price',
  'price_max',
  'shipping',
  'quantity_available',
  'status',
  'attributes',
  'image_url',
  'first_seen_at',
  'last_seen_at',
  'ended_at',
  'kind',
  'vendor',
  'chassis',
  'form_factor',
  'cpu_model',
  'cpu_family',
  'cpu_count',
  'cores',
  'threads',
  'ram_gb',
  'storage_gb',
  'drive_count',
  'drive_capacity_gb',
  'gpu_model',
  'gpu_count',
  'gpu_memory_gb',
  'lot_quantity',
  'part_numbers',
  'config_key',
  'hints',
  'specs',
  'spec_confidence',
  'effective_price',
  'cpu_score',
  'cpu_score_per_dollar',
  'dollars_per_core',
  'dollars_per_thread',
  'dollars_per_gb_ram',
  'dollars_per_tb',
  'gpu_fp32_tflops',
  'gpu_fp16_tflops',
  'tflops_per_dollar',
  'dollars_per_gb_vram',
  'estimated_watts',
  'annual_energy_cost',
  'tco',
  'break_even_months',
  'discount_to_market',
  'metric_reasons',
  'valued_at',
  'valuation_version',
] as const;

export type ListingViewColumn = (typeof LISTING_VIEW_COLUMNS)[number];

/** Columns of the full entity beyond the view. */
export const LISTING_EXTRA_COLUMNS = [
  'description',
  'valuation',
  'last_run_id',
  'last_changed_at',
] as const;

/** SELECT list of the view (`l.id, l.source_id, ...`). */
export const LISTING_VIEW_SELECT = LISTING_VIEW_COLUMNS.map((c) => `l.${c}`).join(', ');

/** SELECT list of the full entity. */
export const LISTING_SELECT = [...LISTING_VIEW_COLUMNS, ...LISTING_EXTRA_COLUMNS]
  .map((c) => `l.${c}`)
  .join(', ');

type Column = ListingViewColumn | (typeof LISTING_EXTRA_COLUMNS)[number];

/** A row as pg returns it (numeric and bigint parsed to numbers, see data-source-options.ts). */
type ListingRow = Record<Column, unknown>;

export function toListingView(row: Record<string, unknown>): ListingView {
  const r = row as ListingRow;
  return {
    id: r.id as number,
    sourceId: r.source_id as number,
    externalId: r.external_id as string,
    url: r.url as string | null,
    title: r.title as string,
    condition: r.condition as string | null,
    buyingFormat: r.buying_format as string | null,
    bestOffer: r.best_offer as boolean,
    bids: r.bids as number | null,
    endsAt: r.ends_at as Date | null,
    seller: r.seller as string | null,
    location: r.location as string | null,
    currency: r.currency as string | null,
    price: r.price as number | null,
    priceMax: r.price_max as number | null,
    shipping: r.shipping as number | null,
    quantityAvailable: r.quantity_available as number | null,
    status: r.status as ListingStatus,
    attributes: r.attributes as Record<string, string>,
    imageUrl: r.image_url as string | null,
    firstSeenAt: r.first_seen_at as Date,
    lastSeenAt: r.last_seen_at as Date,
    endedAt: r.ended_at as Date | null,
    kind: r.kind as string | null,
    vendor: r.vendor as string | null,
    chassis: r.chassis as string | null,
    formFactor: r.form_factor as string | null,
    cpuModel: r.cpu_model as string | null,
    cpuFamily: r.cpu_family as string | null,
    cpuCount: r.cpu_count as number | null,
    cores: r.cores as number | null,
    threads: r.threads as number | null,
    ramGb: r.ram_gb as number | null,
    storageGb: r.storage_gb as number | null,
    driveCount: r.drive_count as number | null,
    driveCapacityGb: r.drive_capacity_gb as number | null,
    gpuModel: r.gpu_model as string | null,
    gpuCount: r.gpu_count as number | null,
    gpuMemoryGb: r.gpu_memory_gb as number | null,
    lotQuantity: r.lot_quantity as number,
    partNumbers: r.part_numbers as string[],
    configKey: r.config_key as string | null,
    hints: r.hints as string[],
    specs: r.specs as StoredSpecs | null,
    specConfidence: r.spec_confidence as number | null,
    effectivePrice: r.effective_price as number | null,
    cpuScore: r.cpu_score as number | null,
    cpuScorePerDollar: r.cpu_score_per_dollar as number | null,
    dollarsPerCore: r.dollars_per_core as number | null,
    dollarsPerThread: r.dollars_per_thread as number | null,
    dollarsPerGbRam: r.dollars_per_gb_ram as number | null,
    dollarsPerTb: r.dollars_per_tb as number | null,
    gpuFp32Tflops: r.gpu_fp32_tflops as number | null,
    gpuFp16Tflops: r.gpu_fp16_tflops as number | null,
    tflopsPerDollar: r.tflops_per_dollar as number | null,
    dollarsPerGbVram: r.dollars_per_gb_vram as number | null,
    estimatedWatts: r.estimated_watts as number | null,
    annualEnergyCost: r.annual_energy_cost as number | null,
    tco: r.tco as number | null,
    breakEvenMonths: r.break_even_months as number | null,
    discountToMarket: r.discount_to_market as number | null,
    metricReasons: r.metric_reasons as Record<string, string>,
    valuedAt: r.valued_at as Date | null,
    valuationVersion: r.valuation_version as number,
  };
}

/** The full entity (a plain object: nothing reads it through TypeORM's entity manager). */
export function toListingEntity(row: Record<string, unknown>): ListingEntity {
  const r = row as ListingRow;
  const e = toListingView(row) as ListingEntity;
  e.description = r.description as string | null;
  e.valuation = r.valuation as StoredValuation | null;
  e.lastRunId = r.last_run_id as number | null;
  e.lastChangedAt = r.last_changed_at as Date;
  return e;
}

/** SELECT list of a price observation, alias `o`. */
export const OBSERVATION_SELECT =
  'o.id, o.listing_id, o.observed_at, o.currency, o.price, o.price_max, o.shipping, o.status, o.quantity_available, o.run_id';

export function toObservationEntity(row: Record<string, unknown>): PriceObservationEntity {
  return {
    id: row.id as number,
    listingId: row.listing_id as number,
    observedAt: row.observed_at as Date,
    currency: row.currency as string | null,
    price: row.price as number | null,
    priceMax: row.price_max as number | null,
    shipping: row.shipping as number | null,
    status: row.status as string,
    quantityAvailable: row.quantity_available as number | null,
    runId: row.run_id as number | null,
  };
}
