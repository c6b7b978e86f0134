import { createHash } from 'node:crypto';
import type { Catalogs } from './catalog/catalogs';
import { normalize } from './normalizer/normalize';
import type { NormalizedSpecs } from './types';
import {
  type CloudPriceTable,
  type FxTable,
  type PartNeeded,
  type PartsMedian,
  type TcoBreakdown,
  type Valuation,
  type ValuationContext,
  type ValuationSettings,
  valueListing,
} from './valuation';

/**
 * One listing -> the spec and metric columns stored on it. Pure: normalizes the title (+
 * attributes, description), values the result and flattens both into the listing columns, with
 * values clamped to what the columns hold so a parsing accident never fails a batch.
 */

export interface PricingDeps {
  catalogs: Catalogs;
  fx: FxTable;
  cloud: { cpu: CloudPriceTable | null; gpu: CloudPriceTable | null };
  settings: ValuationSettings;
  settingsRevision: number;
  baseCurrency: string;
  valuationVersion: number;
  /** Market medians of parts (see partKey), computed once per batch. */
  partsMedians: ReadonlyMap<string, PartsMedian>;
}

export interface PricingInput {
  title: string;
  attributes?: Record<string, string> | null;
  description?: string | null;
  price: number | null;
  priceMax?: number | null;
  shipping?: number | null;
  currency: string | null;
  observedAt: Date | string | null;
}

/**
 * Digest of everything a listing's stored specs and metrics are computed from: its pricing
 * inputs, the valuation version (pipeline and settings revision) and the observation day (FX
 * rates and data ages are dated by day; parts medians move slowly and are refreshed at least
 * daily this way). Equal digests mean re-pricing would store the same valuation, so ingest keeps
 * the stored one. Attribute keys are sorted: a merge that reorders them is not a change.
 */
export function pricingHash(input: PricingInput, valuationVersion: number): string {
  const at = input.observedAt === null ? null : new Date(input.observedAt);
  const day = at && !Number.isNaN(at.getTime()) ? at.toISOString().slice(0, 10) : null;
  const attrs = input.attributes ?? null;
  const sorted = attrs
    ? Object.keys(attrs)
        .sort()
        .map((k) => [k, attrs[k]])
    : null;
  return createHash('sha1')
    .update(
      JSON.stringify([
        valuationVersion,
        day,
        input.title,
        sorted,
        input.description ?? null,
        input.price,
        input.priceMax ?? null,
        input.shipping ?? null,
        input.currency,
      ]),
    )
    .digest('base64url');
}

/**
 * Metric columns written by ingest and recompute (discount_to_market is set from SQL), with their
 * SQL types: amounts of money are numeric; ratios, scores and estimates are double precision, the
 * cheaper key for the order indexes every insert writes (migration ListingHotRewrite).
 */
const METRIC_TYPES = {
  effective_price: 'numeric',
  cpu_score: 'double precision',
  cpu_score_per_dollar: 'double precision',
  dollars_per_core: 'double precision',
  dollars_per_thread: 'double precision',
  dollars_per_gb_ram: 'double precision',
  dollars_per_tb: 'double precision',
  gpu_fp32_tflops: 'double precision',
  gpu_fp16_tflops: 'double precision',
  tflops_per_dollar: 'double precision',
  dollars_per_gb_vram: 'double precision',
  estimated_watts: 'double precision',
  annual_energy_cost: 'numeric',
  tco: 'numeric',
  break_even_months: 'double precision',
} as const;
export const METRIC_COLUMNS = Object.keys(METRIC_TYPES) as Array<keyof typeof METRIC_TYPES>;
export type MetricColumn = keyof typeof METRIC_TYPES;

/**
 * What a listing stores of its valuation: only what cannot be recomputed cheaply from the row and
 * the current settings (the parts priced from market medians of that moment, the TCO they led to)
 * plus the versions it was computed with. The full explanation (catalog entries, FX legs,
 * settings, assumptions) is recomputed on demand (`npm run cli -- value`, PricingService.explain).
 */
export interface StoredValuation {
  pricingVersion: number;
  settingsRevision: number;
  currency: string;
  partsNeeded: Array<
    Pick<
      PartNeeded,
      | 'part'
      | 'quantity'
      | 'unit'
      | 'marketKey'
      | 'unitPrice'
      | 'cost'
      | 'priceSource'
      | 'observations'
    >
  >;
  partsCost: number | null;
  tco: TcoBreakdown | null;
}

export type PricedColumns = {
  kind: string;
  vendor: string | null;
  chassis: string | null;
  form_factor: string | null;
  cpu_model: string | null;
  cpu_family: string | null;
  cpu_count: number | null;
  cores: number | null;
  threads: number | null;
  ram_gb: number | null;
  storage_gb: number | null;
  drive_count: number | null;
  drive_capacity_gb: number | null;
  gpu_model: string | null;
  gpu_count: number | null;
  gpu_memory_gb: number | null;
  lot_quantity: number;
  part_numbers: string[];
  config_key: string | null;
  hints: string[];
  specs: StoredSpecs;
  spec_confidence: number;
  metric_reasons: Record<string, string>;
  valuation: StoredValuation;
  valuation_version: number;
} & Record<MetricColumn, number | null>;

/**
 * SQL types of the priced columns, in one list for json_to_recordset and SET clauses. specs and
 * valuation are `json` (stored as written, only read back whole or with ->): building jsonb from
 * them was the costliest step of a batch insert. metric_reasons stays jsonb for its operators.
 */
export const PRICED_COLUMN_TYPES: ReadonlyArray<readonly [keyof PricedColumns, string]> = [
  ['kind', 'text'],
  ['vendor', 'text'],
  ['chassis', 'text'],
  ['form_factor', 'text'],
  ['cpu_model', 'text'],
  ['cpu_family', 'text'],
  ['cpu_count', 'integer'],
  ['cores', 'integer'],
  ['threads', 'integer'],
  ['ram_gb', 'integer'],
  ['storage_gb', 'numeric'],
  ['drive_count', 'integer'],
  ['drive_capacity_gb', 'numeric'],
  ['gpu_model', 'text'],
  ['gpu_count', 'integer'],
  ['gpu_memory_gb', 'integer'],
  ['lot_quantity', 'integer'],
  ['part_numbers', 'text[]'],
  ['config_key', 'text'],
  ['hints', 'text[]'],
  ['specs', 'json'],
  ['spec_confidence', 'real'],
  ...METRIC_COLUMNS.map((m) => [m, METRIC_TYPES[m]] as const),
  ['metric_reasons', 'jsonb'],
  ['valuation', 'json'],
  ['valuation_version', 'integer'],
];

/** Reason stored for discountToMarket until the market step fills it. */
export const NO_CONFIG_KEY_REASON =
  'no configuration key: specs too incomplete for a market baseline';

const INT_MAX = 1_000_000_000;

function int(v: unknown, max = INT_MAX): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const n = Math.round(v);
  return n >= 0 && n <= max ? n : null;
}

function dec(v: unknown, max = 1e12): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > max) return null;
  return Math.round(v * 10) / 10;
}

/** A double precision metric: any finite value (a double round-trips exactly through JS). */
function metric(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e15 ? v : null;
}

/** A numeric amount of money keeps 10 significant digits: exact round trips through JS for cursors. */
function money(v: unknown): number | null {
  const m = metric(v);
  if (m === null || (Number.isInteger(m) && Math.abs(m) < 1e10)) return m;
  return Number(m.toPrecision(10));
}

/** PostgreSQL text cannot hold NUL; everything else (emoji, any script) is kept. */
function text(v: unknown, max = 500): string | null {
  if (typeof v !== 'string') return null;
  const s = v.replaceAll(String.fromCharCode(0), '').slice(0, max);
  return s ? s : null;
}

function texts(v: unknown): string[] {
  return Array.isArray(v)
    ? v
        .map((x) => text(x, 200))
        .filter((x): x is string => x !== null)
        .slice(0, 100)
    : [];
}

/**
 * A key whose every part after the kind is unknown ("server|?|?|?") would pool unrelated
 * listings into one baseline: treated as no key.
 */
export function usableConfigKey(key: unknown): string | null {
  const k = text(key);
  if (!k) return null;
  const parts = k.split('|');
  return parts.length > 1 && parts.slice(1).every((p) => p === '?' || p === '') ? null : k;
}

const contexts = new WeakMap<PricingDeps, ValuationContext>();

/** The valuation context of these deps, built once per deps object (one per batch). */
export function valuationContext(deps: PricingDeps): ValuationContext {
  const cached = contexts.get(deps);
  if (cached) return cached;
  const ctx = buildContext(deps);
  contexts.set(deps, ctx);
  return ctx;
}

function buildContext(deps: PricingDeps): ValuationContext {
  const { catalogs } = deps;
  return {
    cpu: (m) => catalogs.cpu(m),
    gpu: (m) => catalogs.gpu(m),
    chassis: (m, v) => catalogs.chassis(m, v),
    fx: deps.fx,
    cloud: deps.cloud,
    settings: deps.settings,
    baseCurrency: deps.baseCurrency,
    partsMedian: (key) => deps.partsMedians.get(key) ?? null,
  };
}

/**
 * The normalizer's fields that have no column of their own, as stored in listing.specs: RAM type
 * and modules, drives, bays, PSUs, NICs, and the explanation (spans, unrecognized tokens,
 * reasons). Fields with a column (kind, chassis, cpu model, counts, capacities, hints, part
 * numbers, key, confidence) are not repeated, and empty values are left out: the full object
 * made a listing row about 1.9 kB, which held 3 rows to a page, and ingest time grew with it.
 * Rows written before this keep the full object; readers take only these fields either way.
 */
const STORED_SPEC_FIELDS = [
  'driveBays',
  'ramModuleGb',
  'ramModuleCount',
  'ramType',
  'drives',
  'psuWatts',
  'psuCount',
  'nicSpeedsGbps',
  'spans',
  'unrecognized',
  'reasons',
] as const satisfies ReadonlyArray<keyof NormalizedSpecs>;

export type StoredSpecs = Partial<Pick<NormalizedSpecs, (typeof STORED_SPEC_FIELDS)[number]>>;

export function storedSpecs(specs: NormalizedSpecs): StoredSpecs {
  const out: Record<string, unknown> = {};
  for (const f of STORED_SPEC_FIELDS) {
    const v: unknown = specs[f];
    if (v === null || v === undefined) continue;
    if (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0) {
      continue;
    }
    out[f] = v;
  }
  return out;
}

/** Money to the cent: the breakdown is for reading, and 51.251999999999995 is noise. */
function cents(v: number): number {
  return Math.round(v * 100) / 100;
}

/** The TCO breakdown as stored: amounts to the cent (the tco metric column keeps full precision). */
function storedTco(t: TcoBreakdown): TcoBreakdown {
  return {
    horizonMonths: t.horizonMonths,
    price: cents(t.price),
    parts: cents(t.parts),
    sparesReserve: cents(t.sparesReserve),
    upfront: cents(t.upfront),
    energy: cents(t.energy),
    colocation: cents(t.colocation),
    operations: cents(t.operations),
    total: cents(t.total),
    rackUnits: t.rackUnits,
  };
}

/** Normalize and value one listing. Never throws. */
export function priceListing(
  input: PricingInput,
  deps: PricingDeps,
): { columns: PricedColumns; specs: NormalizedSpecs; valuation: Valuation } {
  const specs = normalize(
    {
      title: typeof input.title === 'string' ? input.title : '',
      attributes: input.attributes ?? null,
      description: input.description ?? null,
    },
    deps.catalogs,
  );
  const valuation = valueListing(
    {
      price: input.price,
      priceMax: input.priceMax ?? null,
      shipping: input.shipping ?? null,
      currency: input.currency,
      observedAt: input.observedAt,
      specs,
    },
    valuationContext(deps),
  );
  return { columns: toColumns(specs, valuation, deps), specs, valuation };
}

export function toColumns(
  specs: NormalizedSpecs,
  v: Valuation,
  deps: Pick<PricingDeps, 'settingsRevision' | 'valuationVersion'>,
): PricedColumns {
  const reasons: Record<string, string> = {};
  for (const [k, r] of Object.entries(v.reasons)) if (typeof r === 'string') reasons[k] = r;
  const configKey = usableConfigKey(specs.configKey);
  if (!configKey) reasons.discountToMarket = NO_CONFIG_KEY_REASON;
  else if (v.effectivePrice === null) {
    reasons.discountToMarket = `effective price unavailable: ${v.reasons.effectivePrice ?? 'unknown'}`;
  }
  return {
    kind: specs.kind,
    vendor: text(specs.vendor),
    chassis: text(specs.chassis),
    form_factor: text(specs.formFactor),
    cpu_model: text(specs.cpuModel),
    cpu_family: text(v.inputs.cpu?.family),
    cpu_count: int(specs.cpuCount, 1024),
    cores: int(v.cores),
    threads: int(v.threads),
    ram_gb: int(specs.ramGb),
    storage_gb: dec(specs.storageGb),
    drive_count: int(specs.driveCount),
    drive_capacity_gb: dec(specs.driveCapacityGb),
    gpu_model: text(specs.gpuModel),
    gpu_count: int(specs.gpuCount),
    gpu_memory_gb: int(specs.gpuMemoryGb),
    lot_quantity: int(specs.lotQuantity) ?? 1,
    part_numbers: texts(specs.partNumbers),
    config_key: configKey,
    hints: texts(specs.hints),
    specs: storedSpecs(specs),
    spec_confidence: Number.isFinite(specs.confidence) ? specs.confidence : 0,
    effective_price: money(v.effectivePrice),
    cpu_score: metric(v.cpuScore),
    cpu_score_per_dollar: metric(v.cpuScorePerDollar),
    dollars_per_core: metric(v.dollarsPerCore),
    dollars_per_thread: metric(v.dollarsPerThread),
    dollars_per_gb_ram: metric(v.dollarsPerGbRam),
    dollars_per_tb: metric(v.dollarsPerTb),
    gpu_fp32_tflops: metric(v.gpuFp32Tflops),
    gpu_fp16_tflops: metric(v.gpuFp16Tflops),
    tflops_per_dollar: metric(v.tflopsPerDollar),
    dollars_per_gb_vram: metric(v.dollarsPerGbVram),
    estimated_watts: metric(v.estimatedWatts),
    annual_energy_cost: money(v.annualEnergyCost),
    tco: money(v.tco?.total),
    break_even_months: metric(v.breakEvenMonths),
    metric_reasons: reasons,
    valuation: {
      pricingVersion: deps.valuationVersion,
      settingsRevision: deps.settingsRevision,
      currency: v.currency,
      partsNeeded: v.partsNeeded.map((p) => ({
        part: p.part,
        quantity: p.quantity,
        unit: p.unit,
        marketKey: p.marketKey,
        unitPrice: p.unitPrice,
        cost: p.cost,
        priceSource: p.priceSource,
        observations: p.observations,
      })),
      partsCost: v.partsCost,
      tco: v.tco && storedTco(v.tco),
    },
    valuation_version: deps.valuationVersion,
  };
}
