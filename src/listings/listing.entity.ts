import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { StoredSpecs, StoredValuation } from '../pricing/listing-pricing';

export type ListingStatus = 'active' | 'ended' | 'sold';

/** Current state of one listing. History lives in price_observation. */
@Entity('listing')
@Unique('listing_source_external_uq', ['sourceId', 'externalId'])
export class ListingEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS', type: 'bigint' })
  id!: number;

  @Column('integer', { name: 'source_id' })
  sourceId!: number;

  @Column('text', { name: 'external_id' })
  externalId!: string;

  @Column('text', { nullable: true })
  url!: string | null;

  @Column('text')
  title!: string;

  @Column('text', { nullable: true })
  condition!: string | null;

  @Column('text', { name: 'buying_format', nullable: true })
  buyingFormat!: string | null;

  @Column('boolean', { name: 'best_offer', default: false })
  bestOffer!: boolean;

  @Column('integer', { nullable: true })
  bids!: number | null;

  @Column('timestamptz', { name: 'ends_at', nullable: true })
  endsAt!: Date | null;

  @Column('text', { nullable: true })
  seller!: string | null;

  @Column('text', { nullable: true })
  location!: string | null;

  @Column('char', { length: 3, nullable: true })
  currency!: string | null;

  @Column('numeric', { precision: 14, scale: 2, nullable: true })
  price!: number | null;

  @Column('numeric', { name: 'price_max', precision: 14, scale: 2, nullable: true })
  priceMax!: number | null;

  @Column('numeric', { precision: 14, scale: 2, nullable: true })
  shipping!: number | null;

  @Column('integer', { name: 'quantity_available', nullable: true })
  quantityAvailable!: number | null;

  @Column('text', { default: 'active' })
  status!: ListingStatus;

  @Column('jsonb', { default: () => `'{}'::jsonb` })
  attributes!: Record<string, string>;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text', { name: 'image_url', nullable: true })
  imageUrl!: string | null;

  @Column('timestamptz', { name: 'first_seen_at' })
  firstSeenAt!: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt!: Date;

  @Column('timestamptz', { name: 'last_changed_at' })
  lastChangedAt!: Date;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Column('bigint', { name: 'last_run_id', nullable: true })
  lastRunId!: number | null;

  // ---- normalized specs (see migrations/1795000100000-ListingSpecs.ts)
  @Column('text', { nullable: true })
  kind!: string | null;

  @Column('text', { nullable: true })
  vendor!: string | null;

  @Column('text', { nullable: true })
  chassis!: string | null;

  @Column('text', { name: 'form_factor', nullable: true })
  formFactor!: string | null;

  @Column('text', { name: 'cpu_model', nullable: true })
  cpuModel!: string | null;

  @Column('text', { name: 'cpu_family', nullable: true })
  cpuFamily!: string | null;

  @Column('integer', { name: 'cpu_count', nullable: true })
  cpuCount!: number | null;

  @Column('integer', { nullable: true })
  cores!: number | null;

  @Column('integer', { nullable: true })
  threads!: number | null;

  @Column('integer', { name: 'ram_gb', nullable: true })
  ramGb!: number | null;

  @Column('numeric', { name: 'storage_gb', precision: 14, scale: 1, nullable: true })
  storageGb!: number | null;

  @Column('integer', { name: 'drive_count', nullable: true })
  driveCount!: number | null;

  @Column('numeric', { name: 'drive_capacity_gb', precision: 14, scale: 1, nullable: true })
  driveCapacityGb!: number | null;

  @Column('text', { name: 'gpu_model', nullable: true })
  gpuModel!: string | null;

  @Column('integer', { name: 'gpu_count', nullable: true })
  gpuCount!: number | null;

  @Column('integer', { name: 'gpu_memory_gb', nullable: true })
  gpuMemoryGb!: number | null;

  @Column('integer', { name: 'lot_quantity', default: 1 })
  lotQuantity!: number;

  @Column('text', { name: 'part_numbers', array: true, default: () => `'{}'` })
  partNumbers!: string[];

  @Column('text', { name: 'config_key', nullable: true })
  configKey!: string | null;

  @Column('text', { array: true, default: () => `'{}'` })
  hints!: string[];

  @Column('json', { nullable: true })
  specs!: StoredSpecs | null;

  @Column('real', { name: 'spec_confidence', nullable: true })
  specConfidence!: number | null;

  // ---- valuation metrics (base currency, per item of a lot; money numeric, ratios float8)
  @Column('numeric', { name: 'effective_price', nullable: true })
  effectivePrice!: number | null;

  @Column('double precision', { name: 'cpu_score', nullable: true })
  cpuScore!: number | null;

  @Column('double precision', { name: 'cpu_score_per_dollar', nullable: true })
  cpuScorePerDollar!: number | null;

  @Column('double precision', { name: 'dollars_per_core', nullable: true })
  dollarsPerCore!: number | null;

  @Column('double precision', { name: 'dollars_per_thread', nullable: true })
  dollarsPerThread!: number | null;

  @Column('double precision', { name: 'dollars_per_gb_ram', nullable: true })
  dollarsPerGbRam!: number | null;

  @Column('double precision', { name: 'dollars_per_tb', nullable: true })
  dollarsPerTb!: number | null;

  @Column('double precision', { name: 'gpu_fp32_tflops', nullable: true })
  gpuFp32Tflops!: number | null;

  @Column('double precision', { name: 'gpu_fp16_tflops', nullable: true })
  gpuFp16Tflops!: number | null;

  @Column('double precision', { name: 'tflops_per_dollar', nullable: true })
  tflopsPerDollar!: number | null;

  @Column('double precision', { name: 'dollars_per_gb_vram', nullable: true })
  dollarsPerGbVram!: number | null;

  @Column('double precision', { name: 'estimated_watts', nullable: true })
  estimatedWatts!: number | null;

  @Column('numeric', { name: 'annual_energy_cost', nullable: true })
  annualEnergyCost!: number | null;

  @Column('numeric', { nullable: true })
  tco!: number | null;

  @Column('double precision', { name: 'break_even_months', nullable: true })
  breakEvenMonths!: number | null;

  @Column('double precision', { name: 'discount_to_market', nullable: true })
  discountToMarket!: number | null;

  @Column('jsonb', { name: 'metric_reasons', default: () => `'{}'::jsonb` })
  metricReasons!: Record<string, string>;

  @Column('json', { nullable: true })
  valuation!: StoredValuation | null;

  @Column('timestamptz', { name: 'valued_at', nullable: true })
  valuedAt!: Date | null;

  @Column('integer', { name: 'valuation_version', default: 0 })
  valuationVersion!: number;
}
