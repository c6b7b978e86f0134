import type {
  ChassisCatalogEntry,
  CpuCatalogEntry,
  GpuCatalogEntry,
  ListingKind,
  NormalizedSpecs,
} from '../types';
import { type CloudMatch, type CloudNeed, type CloudPriceTable, cheapestCloudMatch } from './cloud';
import type { FxConversion, FxTable } from './fx';
import type { ValuationSettings } from './settings';

/**
 * valueListing: NormalizedSpecs + price -> performance per dollar, power, TCO and cloud break-even.
 * Pure and total: never throws; every metric it cannot compute is null with a reason.
 *
 * Conventions
 * - Money is in the base currency (ctx.baseCurrency). Settings money is in
 *   settings.moneyCurrency and converted at the observation date; partsMedian values are taken
 *   to be in the base currency already.
 * - Per unit: the specs describe ONE item of the lot, and price and shipping are for the whole
 *   lot, so every price metric uses effectivePrice = (price + shipping) / lotQuantity.
 *   lotEffectivePrice keeps the whole-lot figure.
 * - "Per dollar" means per one unit of the base currency: cpuScorePerDollar = cpuScore /
 *   effectivePrice, tflopsPerDollar = FP32 TFLOPS / effectivePrice (multiply by 1000 for "per
 *   $1000"). dollarsPerX = effectivePrice / X (the whole item's price over that one resource).
 * - A price range ("$12 to $15") is valued at its lower bound; effectivePriceMax has the upper.
 */

export type MetricName =
  | 'effectivePrice'
  | 'effectivePriceMax'
  | 'lotEffectivePrice'
  | 'lotQuantity'
  | 'cpuScore'
  | 'cpuScorePerDollar'
  | 'cores'
  | 'threads'
  | 'dollarsPerCore'
  | 'dollarsPerThread'
  | 'ramGb'
  | 'dollarsPerGbRam'
  | 'dollarsPerTb'
  | 'gpuFp32Tflops'
  | 'gpuFp16Tflops'
  | 'tflopsPerDollar'
  | 'dollarsPerGbVram'
  | 'estimatedWatts'
  | 'annualEnergyCost'
  | 'partsCost'
  | 'tco'
  | 'monthlyOwnedCost'
  | 'monthlyRunningCost'
  | 'cloudMatch'
  | 'breakEvenMonths';

export interface ValuationInput {
  /** Price of the whole lot in `currency`; null when the listing shows none. */
  price: number | null;
  /** Upper bound of a price range, when the listing shows one. */
  priceMax?: number | null;
  /** Shipping for the whole lot; null or undefined = not stated (counted as 0, noted). */
  shipping?: number | null;
  currency: string | null;
  observedAt: Date | string | null;
  /** Items in the lot; falls back to specs.lotQuantity, then 1. */
  lotQuantity?: number | null;
  /** The source's words when there is no price: "Best offer", "Price on request". */
  priceNote?: string | null;
  specs: NormalizedSpecs;
}

export interface PartsMedian {
  /** Base currency: per GB for RAM, per TB for drives, per CPU for CPUs. */
  median: number;
  n: number;
}

export interface ValuationContext {
  cpu: (model: string) => CpuCatalogEntry | null;
  gpu: (model: string) => GpuCatalogEntry | null;
  chassis: (model: string, vendor: string | null) => ChassisCatalogEntry | null;
  fx: FxTable;
  cloud: { cpu: CloudPriceTable | null; gpu: CloudPriceTable | null };
  settings: ValuationSettings;
  baseCurrency: string;
  /** Market median for a part key (see partKey); null when unknown. */
  partsMedian?: ((key: string) => PartsMedian | null) | null;
}

export interface PartNeeded {
  part: 'cpu' | 'ram' | 'drive';
  description: string;
  quantity: number;
  unit: 'GB' | 'TB' | 'each';
  /** Key passed to ctx.partsMedian. */
  marketKey: string;
  unitPrice: number | null;
  cost: number | null;
  priceSource: 'market-median' | 'settings' | null;
  /** Observations behind the market median (also when too few to be used). */
  observations: number | null;
  reason?: string;
}

export interface TcoBreakdown {
  horizonMonths: number;
  price: number;
  parts: number;
  sparesReserve: number;
  upfront: number;
  energy: number;
  colocation: number;
  operations: number;
  total: number;
  rackUnits: number | null;
}

export interface ValuationCloudMatch {
  provider: string;
  sku: string;
  region: string;
  instanceCount: number;
  matchedOn: string;
  hourlyUsd: number;
  monthlyUsd: number;
  hourly: number;
  monthly: number;
  currency: string;
  hoursPerMonth: number;
  observedAt: string;
  observedAtPrecision: 'day' | 'month';
  /** Months between the cloud price and the listing's observation (null: date unknown). */
  ageMonths: number | null;
  stale: boolean | null;
  source: string | null;
  assumptions: string[];
}

export interface FxUse {
  purpose: string;
  from: string;
  to: string;
  rate: number;
  rateDate: string | null;
  sources: string[];
  staleDays: number | null;
}

export interface ValuationInputs {
  listing: {
    kind: ListingKind;
    price: number | null;
    priceMax: number | null;
    shipping: number | null;
    currency: string | null;
    observedAt: string | null;
    lotQuantity: number | null;
    vendor: string | null;
    chassis: string | null;
    formFactor: string | null;
    cpuModel: string | null;
    cpuCount: number | null;
    ramGb: number | null;
    ramType: string | null;
    storageGb: number | null;
    gpuModel: string | null;
    gpuCount: number | null;
    gpuMemoryGb: number | null;
    hints: string[];
  };
  cpu: CpuCatalogEntry | null;
  gpu: GpuCatalogEntry | null;
  chassis: ChassisCatalogEntry | null;
  fx: FxUse[];
  cloud: { table: 'cpu' | 'gpu'; observedAt: string; source: string | null } | null;
  settings:
    (Omit<ValuationSettings, 'fxRates'> & { fxRates: 'default table' | 'from settings' }) | null;
  baseCurrency: string;
}

export interface Valuation {
  currency: string;
  basis: 'per-unit';
  lotQuantity: number | null;
  effectivePrice: number | null;
  effectivePriceMax: number | null;
  lotEffectivePrice: number | null;
  cpuScore: number | null;
  cpuScorePerDollar: number | null;
  cores: number | null;
  threads: number | null;
  dollarsPerCore: number | null;
  dollarsPerThread: number | null;
  ramGb: number | null;
  dollarsPerGbRam: number | null;
  dollarsPerTb: number | null;
  gpuFp32Tflops: number | null;
  gpuFp16Tflops: number | null;
  tflopsPerDollar: number | null;
  dollarsPerGbVram: number | null;
  estimatedWatts: number | null;
  annualEnergyCost: number | null;
  partsNeeded: PartNeeded[];
  partsCost: number | null;
  tco: TcoBreakdown | null;
  monthlyOwnedCost: number | null;
  monthlyRunningCost: number | null;
  cloudMatch: ValuationCloudMatch | null;
  breakEvenMonths: number | null;
  reasons: Partial<Record<MetricName, string>>;
  /** Everything assumed rather than read (defaults used, fallbacks, range lower bounds). */
  assumptions: string[];
  inputs: ValuationInputs;
}

/** Bounds beyond which a quantity is treated as a parsing accident, not a fact. */
export const PLAUSIBLE = {
  cpuCount: 16,
  gpuCount: 64,
  ramGb: 65_536,
  storageGb: 10_000_000,
  price: 1e9,
} as const;

const HOURS_PER_YEAR = 8760;

/** Market key for a part: "ram:ddr4:per-gb", "drive:ssd:per-tb", "cpu:xeon scalable:each". */
export function partKey(part: 'ram' | 'drive' | 'cpu', variant: string): string {
  const v = variant.trim().toLowerCase();
  return part === 'ram'
    ? `ram:${v}:per-gb`
    : part === 'drive'
      ? `drive:${v}:per-tb`
      : `cpu:${v}:each`;
}

type Res<T> = { ok: true; v: T } | { ok: false; why: string };
const ok = <T>(v: T): Res<T> => ({ ok: true, v });
const no = <T>(why: string): Res<T> => ({ ok: false, why });

const isNum = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
const money = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

function ddrGeneration(s: string | null | undefined): string | null {
  const m = typeof s === 'string' ? /DDR\s*(\d)/i.exec(s) : null;
  return m?.[1] ? `DDR${m[1]}` : null;
}

function rackUnitsFrom(formFactor: string | null, towerUnits: number): number | null {
  if (!formFactor) return null;
  if (/tower/i.test(formFactor)) return towerUnits;
  const m = /(\d{1,2})\s*U\b/i.exec(formFactor);
  const n = m?.[1] ? Number(m[1]) : NaN;
  return n >= 1 && n <= 12 ? n : null;
}

function parseDate(d: Date | string | null | undefined): Date | null {
  if (d instanceof Date) return Number.isNaN(d.getTime()) ? null : d;
  if (typeof d === 'string' && d.trim()) {
    const t = Date.parse(d);
    return Number.isNaN(t) ? null : new Date(t);
  }
  return null;
}

function monthsBetween(fromIso: string, to: Date): number {
  const f = new Date(`${fromIso}T00:00:00Z`);
  return (
    (to.getUTCFullYear() - f.getUTCFullYear()) * 12 +
    (to.getUTCMonth() - f.getUTCMonth()) +
    (to.getUTCDate() - f.getUTCDate()) / 30
  );
}

function safeLookup<T>(fn: () => T | null, what: string): Res<T | null> {
  try {
    return ok(fn() ?? null);
  } catch (err) {
    return no(`${what} lookup failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function countIn(n: number | null | undefined, max: number, label: string): Res<number | null> {
  if (n === null || n === undefined) return ok(null);
  if (!isNum(n) || !Number.isInteger(n) || n < 1 || n > max) {
    return no(`${label} ${String(n)} is not plausible (1..${max})`);
  }
  return ok(n);
}

function emptyInputs(input: ValuationInput, ctx: ValuationContext): ValuationInputs {
  const s = (input?.specs ?? {}) as Partial<NormalizedSpecs>;
  const settings = ctx?.settings;
  return {
    listing: {
      kind: s.kind ?? 'other',
      price: isNum(input?.price) ? input.price : null,
      priceMax: isNum(input?.priceMax) ? input.priceMax : null,
      shipping: isNum(input?.shipping) ? input.shipping : null,
      currency: typeof input?.currency === 'string' ? input.currency : null,
      observedAt: parseDate(input?.observedAt)?.toISOString() ?? null,
      lotQuantity: isNum(input?.lotQuantity) ? input.lotQuantity : (s.lotQuantity ?? null),
      vendor: s.vendor ?? null,
      chassis: s.chassis ?? null,
      formFactor: s.formFactor ?? null,
      cpuModel: s.cpuModel ?? null,
      cpuCount: s.cpuCount ?? null,
      ramGb: s.ramGb ?? null,
      ramType: s.ramType ?? null,
      storageGb: s.storageGb ?? null,
      gpuModel: s.gpuModel ?? null,
      gpuCount: s.gpuCount ?? null,
      gpuMemoryGb: s.gpuMemoryGb ?? null,
      hints: Array.isArray(s.hints) ? [...s.hints] : [],
    },
    cpu: null,
    gpu: null,
    chassis: null,
    fx: [],
    cloud: null,
    settings: settings
      ? { ...settings, fxRates: settings.fxRates ? 'from settings' : 'default table' }
      : null,
    baseCurrency: typeof ctx?.baseCurrency === 'string' ? ctx.baseCurrency : '',
  };
}

function nullValuation(input: ValuationInput, ctx: ValuationContext, why: string): Valuation {
  const metrics: MetricName[] = [
    'effectivePrice',
    'effectivePriceMax',
    'lotEffectivePrice',
    'lotQuantity',
    'cpuScore',
    'cpuScorePerDollar',
    'cores',
    'threads',
    'dollarsPerCore',
    'dollarsPerThread',
    'ramGb',
    'dollarsPerGbRam',
    'dollarsPerTb',
    'gpuFp32Tflops',
    'gpuFp16Tflops',
    'tflopsPerDollar',
    'dollarsPerGbVram',
    'estimatedWatts',
    'annualEnergyCost',
    'partsCost',
    'tco',
    'monthlyOwnedCost',
    'monthlyRunningCost',
    'cloudMatch',
    'breakEvenMonths',
  ];
  return {
    currency: typeof ctx?.baseCurrency === 'string' ? ctx.baseCurrency : '',
    basis: 'per-unit',
    lotQuantity: null,
    effectivePrice: null,
    effectivePriceMax: null,
    lotEffectivePrice: null,
    cpuScore: null,
    cpuScorePerDollar: null,
    cores: null,
    threads: null,
    dollarsPerCore: null,
    dollarsPerThread: null,
    ramGb: null,
    dollarsPerGbRam: null,
    dollarsPerTb: null,
    gpuFp32Tflops: null,
    gpuFp16Tflops: null,
    tflopsPerDollar: null,
    dollarsPerGbVram: null,
    estimatedWatts: null,
    annualEnergyCost: null,
    partsNeeded: [],
    partsCost: null,
    tco: null,
    monthlyOwnedCost: null,
    monthlyRunningCost: null,
    cloudMatch: null,
    breakEvenMonths: null,
    reasons: Object.fromEntries(metrics.map((m) => [m, why])),
    assumptions: [],
    inputs: emptyInputs(input, ctx),
  };
}

/** Value one listing. Never throws: bad input gives null metrics with reasons. */
export function valueListing(input: ValuationInput, ctx: ValuationContext): Valuation {
  if (!ctx || !ctx.settings || !ctx.fx || typeof ctx.baseCurrency !== 'string') {
    return nullValuation(
      input,
      ctx,
      'valuation context incomplete (settings, FX table or base currency missing)',
    );
  }
  if (!input || typeof input !== 'object' || !input.specs || typeof input.specs !== 'object') {
    return nullValuation(input, ctx, 'no specs to value');
  }
  try {
    return compute(input, ctx);
  } catch (err) {
    // A defect, not an input problem: keep the process alive and say what happened.
    return nullValuation(
      input,
      ctx,
      `valuation failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function compute(input: ValuationInput, ctx: ValuationContext): Valuation {
  const { settings } = ctx;
  const specs = input.specs;
  const kind: ListingKind = specs.kind;
  const base = ctx.baseCurrency.trim().toUpperCase();
  const reasons: Partial<Record<MetricName, string>> = {};
  const assumptions: string[] = [];
  const inputs = emptyInputs(input, ctx);
  const hints = new Set(Array.isArray(specs.hints) ? specs.hints : []);
  const set = <T>(metric: MetricName, r: Res<T>): T | null => {
    if (r.ok) return r.v;
    reasons[metric] = r.why;
    return null;
  };

  // ---- dates and FX
  const at = parseDate(input.observedAt);
  if (!at) assumptions.push('observation date unknown: latest FX rates used');
  const fxUse = (purpose: string, c: FxConversion) => {
    if (c.value === null || c.rateDate === null) return;
    inputs.fx.push({
      purpose,
      from: c.from,
      to: c.to,
      rate: c.rate,
      rateDate: c.rateDate,
      sources: c.legs.map((l) => `${l.source} (${l.date})`),
      staleDays: c.staleDays,
    });
    if (c.note) assumptions.push(c.note);
  };
  // settings money -> base currency
  const settingsFx = ctx.fx.rate(settings.moneyCurrency, base, at);
  fxUse('settings money', settingsFx);
  const sRate: Res<number> =
    settingsFx.value === null
      ? no(`settings currency ${settings.moneyCurrency} -> ${base}: ${settingsFx.reason}`)
      : ok(settingsFx.rate);

  // ---- lot quantity and price
  const qRaw = input.lotQuantity ?? specs.lotQuantity ?? 1;
  const qty: Res<number> =
    isNum(qRaw) && Number.isInteger(qRaw) && qRaw >= 1 && qRaw <= settings.maxLotQuantity
      ? ok(qRaw)
      : no(`lot quantity ${String(qRaw)} is not plausible (1..${settings.maxLotQuantity})`);

  const priceRes = ((): Res<{ unit: number; lot: number; unitMax: number | null }> => {
    if (input.price === null || input.price === undefined) {
      const note = typeof input.priceNote === 'string' && input.priceNote.trim();
      return no(note ? `no price (${note.trim()})` : 'no price stated');
    }
    if (!isNum(input.price) || input.price < 0 || input.price > PLAUSIBLE.price) {
      return no(`price ${String(input.price)} is not a valid amount`);
    }
    if (!qty.ok) return qty;
    if (typeof input.currency !== 'string' || !input.currency.trim()) {
      return no('currency unknown');
    }
    let shipping = 0;
    if (input.shipping === null || input.shipping === undefined) {
      assumptions.push('shipping not stated: counted as 0');
    } else if (!isNum(input.shipping) || input.shipping < 0) {
      assumptions.push(`shipping ${String(input.shipping)} is not a valid amount: counted as 0`);
    } else shipping = input.shipping;
    const c = ctx.fx.convert(input.price + shipping, input.currency, base, at);
    if (c.value === null) return no(`cannot convert ${input.currency} to ${base}: ${c.reason}`);
    fxUse('listing price', c);
    if (c.staleDays !== null && c.staleDays > 90) {
      assumptions.push(
        `FX rate ${c.from}->${c.to} is from ${c.rateDate} (${c.staleDays} days before the observation)`,
      );
    }
    let unitMax: number | null = null;
    if (isNum(input.priceMax) && input.priceMax > input.price) {
      unitMax = ((input.priceMax + shipping) * c.rate) / qty.v;
      assumptions.push(
        `price range ${input.price}-${input.priceMax} ${c.from}: metrics use the lower bound`,
      );
    }
    return ok({ unit: c.value / qty.v, lot: c.value, unitMax });
  })();
  const effectivePrice = set('effectivePrice', priceRes.ok ? ok(priceRes.v.unit) : priceRes);
  const lotEffectivePrice = set('lotEffectivePrice', priceRes.ok ? ok(priceRes.v.lot) : priceRes);
  if (!qty.ok) reasons.lotQuantity = qty.why;
  const effectivePriceMax = priceRes.ok ? priceRes.v.unitMax : null;
  if (effectivePriceMax === null) {
    reasons.effectivePriceMax = priceRes.ok ? 'no price range' : priceRes.why;
  }
  if (qty.ok && qty.v > 1) assumptions.push(`lot of ${qty.v}: price metrics are per item`);
  // divisor for per-dollar metrics
  const divisor: Res<number> = !priceRes.ok
    ? no(`effective price unavailable: ${priceRes.why}`)
    : priceRes.v.unit <= 0
      ? no('effective price is zero')
      : ok(priceRes.v.unit);
  const perPrice = (num: Res<number>): Res<number> =>
    !num.ok ? num : !divisor.ok ? divisor : ok(num.v / divisor.v);
  const priceOver = (den: Res<number>, label: string): Res<number> =>
    !den.ok
      ? den
      : den.v <= 0
        ? no(`${label} is zero`)
        : !priceRes.ok
          ? no(`effective price unavailable: ${priceRes.why}`)
          : ok(priceRes.v.unit / den.v);

  // ---- catalog lookups
  const cpuModel =
    typeof specs.cpuModel === 'string' && specs.cpuModel.trim() ? specs.cpuModel : null;
  const gpuModel =
    typeof specs.gpuModel === 'string' && specs.gpuModel.trim() ? specs.gpuModel : null;
  const cpuLookup = cpuModel ? safeLookup(() => ctx.cpu(cpuModel), 'CPU catalog') : ok(null);
  const gpuLookup = gpuModel ? safeLookup(() => ctx.gpu(gpuModel), 'GPU catalog') : ok(null);
  const chassisLookup =
    typeof specs.chassis === 'string' && specs.chassis.trim()
      ? safeLookup(
          () => ctx.chassis(specs.chassis as string, specs.vendor ?? null),
          'chassis catalog',
        )
      : ok(null);
  const cpuEntry = cpuLookup.ok ? cpuLookup.v : null;
  const gpuEntry = gpuLookup.ok ? gpuLookup.v : null;
  const chassis = chassisLookup.ok ? chassisLookup.v : null;
  inputs.cpu = cpuEntry;
  inputs.gpu = gpuEntry;
  inputs.chassis = chassis;
  if (!chassisLookup.ok) assumptions.push(chassisLookup.why);

  const isServer = kind === 'server';
  const noCpu = isServer && (hints.has('no-cpu') || (hints.has('barebones') && !cpuModel));
  const noRam =
    isServer && (hints.has('no-ram') || (hints.has('barebones') && !isNum(specs.ramGb)));
  const noDrives =
    isServer &&
    (hints.has('no-drives') ||
      (hints.has('barebones') && !isNum(specs.storageGb) && !isNum(specs.driveCount)));

  // ---- CPU
  const cpuApplies = isServer || kind === 'cpu';
  const cpuCount = ((): Res<number> => {
    if (!cpuApplies) return no(`not applicable to a ${kind} listing`);
    if (noCpu) return no('no CPU included (barebones / no-cpu)');
    if (!cpuModel) return no('CPU model not stated');
    const c = countIn(specs.cpuCount, PLAUSIBLE.cpuCount, 'CPU count');
    if (!c.ok) return c;
    if (c.v === null) {
      if (isServer) assumptions.push(`CPU count not stated: 1x ${cpuModel} assumed`);
      return ok(1);
    }
    return ok(c.v);
  })();
  const cpu = ((): Res<CpuCatalogEntry> => {
    if (!cpuCount.ok) return cpuCount;
    if (!cpuLookup.ok) return cpuLookup;
    return cpuEntry ? ok(cpuEntry) : no(`CPU model '${cpuModel}' not in catalog`);
  })();
  const fromCpu = (field: 'score' | 'cores' | 'threads', label: string): Res<number> => {
    if (!cpu.ok) return cpu;
    if (!cpuCount.ok) return cpuCount;
    const v = cpu.v[field];
    return isNum(v) && v > 0
      ? ok(v * cpuCount.v)
      : no(`no ${label} for CPU '${cpu.v.model}' in catalog`);
  };
  const cpuScoreR = fromCpu('score', 'benchmark score');
  const coresR = fromCpu('cores', 'core count');
  const threadsR = fromCpu('threads', 'thread count');
  const cpuScore = set('cpuScore', cpuScoreR);
  const cores = set('cores', coresR);
  const threads = set('threads', threadsR);
  const cpuScorePerDollar = set('cpuScorePerDollar', perPrice(cpuScoreR));
  const dollarsPerCore = set('dollarsPerCore', priceOver(coresR, 'core count'));
  const dollarsPerThread = set('dollarsPerThread', priceOver(threadsR, 'thread count'));

  // ---- RAM and storage
  const ramR = ((): Res<number> => {
    if (!(isServer || kind === 'ram')) return no(`not applicable to a ${kind} listing`);
    if (noRam) return no('no RAM included (barebones / no-ram)');
    let gb = specs.ramGb;
    if (!isNum(gb) && kind === 'ram' && isNum(specs.ramModuleGb)) {
      gb = specs.ramModuleGb * (isNum(specs.ramModuleCount) ? specs.ramModuleCount : 1);
    }
    if (gb === null || gb === undefined) return no('RAM not stated');
    if (!isNum(gb) || gb <= 0 || gb > PLAUSIBLE.ramGb)
      return no(`RAM ${String(gb)} GB is not plausible`);
    return ok(gb);
  })();
  const ramGb = set('ramGb', ramR);
  const dollarsPerGbRam = set('dollarsPerGbRam', priceOver(ramR, 'RAM'));

  const storageR = ((): Res<number> => {
    if (!(isServer || kind === 'drive')) return no(`not applicable to a ${kind} listing`);
    if (noDrives) return no('no drives included (barebones / no-drives)');
    const gb = specs.storageGb;
    if (gb === null || gb === undefined) return no('storage not stated');
    if (!isNum(gb) || gb <= 0 || gb > PLAUSIBLE.storageGb) {
      return no(`storage ${String(gb)} GB is not plausible`);
    }
    return ok(gb / 1000);
  })();
  const dollarsPerTb = set('dollarsPerTb', priceOver(storageR, 'storage'));

  // ---- GPU
  const gpuApplies = kind === 'gpu' || (isServer && gpuModel !== null);
  const gpuCount = ((): Res<number> => {
    if (!gpuApplies) {
      return no(isServer ? 'no GPU stated' : `not applicable to a ${kind} listing`);
    }
    if (!gpuModel) return no('GPU model not stated');
    const c = countIn(specs.gpuCount, PLAUSIBLE.gpuCount, 'GPU count');
    if (!c.ok) return c;
    if (c.v === null) {
      if (isServer) assumptions.push(`GPU count not stated: 1x ${gpuModel} assumed`);
      return ok(1);
    }
    return ok(c.v);
  })();
  const gpu = ((): Res<GpuCatalogEntry> => {
    if (!gpuCount.ok) return gpuCount;
    if (!gpuLookup.ok) return gpuLookup;
    return gpuEntry ? ok(gpuEntry) : no(`GPU model '${gpuModel}' not in catalog`);
  })();
  const fromGpu = (field: 'fp32Tflops' | 'fp16Tflops', label: string): Res<number> => {
    if (!gpu.ok) return gpu;
    if (!gpuCount.ok) return gpuCount;
    const v = gpu.v[field];
    return isNum(v) && v > 0
      ? ok(v * gpuCount.v)
      : no(`no ${label} for GPU '${gpu.v.model}' in catalog`);
  };
  const fp32R = fromGpu('fp32Tflops', 'FP32 TFLOPS');
  const gpuFp32Tflops = set('gpuFp32Tflops', fp32R);
  const gpuFp16Tflops = set('gpuFp16Tflops', fromGpu('fp16Tflops', 'FP16 TFLOPS'));
  const tflopsPerDollar = set('tflopsPerDollar', perPrice(fp32R));
  const vramPerGpu = ((): Res<number> => {
    if (!gpuCount.ok) return gpuCount;
    if (isNum(specs.gpuMemoryGb) && specs.gpuMemoryGb > 0) return ok(specs.gpuMemoryGb);
    const variants = gpuEntry?.memoryGb ?? [];
    if (variants.length === 1 && isNum(variants[0])) {
      assumptions.push(
        `GPU memory not stated: ${variants[0]} GB (the only ${gpuEntry?.model} variant in catalog)`,
      );
      return ok(variants[0]);
    }
    return no(
      variants.length > 1
        ? `GPU memory not stated and ${gpuEntry?.model} comes in ${variants.join('/')} GB`
        : 'GPU memory not stated',
    );
  })();
  const vramTotal: Res<number> =
    vramPerGpu.ok && gpuCount.ok
      ? ok(vramPerGpu.v * gpuCount.v)
      : vramPerGpu.ok
        ? gpuCount
        : vramPerGpu;
  const dollarsPerGbVram = set('dollarsPerGbVram', priceOver(vramTotal, 'GPU memory'));

  // ---- power
  const wattsR = ((): Res<number> => {
    const gpuW = (): Res<number> => {
      if (!gpu.ok) return no(`GPU power unknown: ${gpu.why}`);
      if (!gpuCount.ok) return gpuCount;
      return isNum(gpu.v.tdpW) && gpu.v.tdpW > 0
        ? ok(gpu.v.tdpW * gpuCount.v * settings.gpuLoadFactor)
        : no(`no TDP for GPU '${gpu.v.model}' in catalog`);
    };
    const cpuW = (): Res<number> => {
      if (!cpu.ok) return no(`CPU power unknown: ${cpu.why}`);
      if (!cpuCount.ok) return cpuCount;
      return isNum(cpu.v.tdpW) && cpu.v.tdpW > 0
        ? ok(cpu.v.tdpW * cpuCount.v * settings.cpuLoadFactor)
        : no(`no TDP for CPU '${cpu.v.model}' in catalog`);
    };
    if (kind === 'gpu') return gpuW();
    if (kind === 'cpu') return cpuW();
    if (!isServer) return no(`power not estimated for a ${kind} listing`);
    if (noCpu) return no('no CPU fitted: power depends on the CPU chosen');
    const c = cpuW();
    if (!c.ok) return c;
    let w = c.v;
    if (chassis && isNum(chassis.idleW) && chassis.idleW > 0) w += chassis.idleW;
    else {
      w += settings.chassisBaseWattsFallback;
      assumptions.push(
        `chassis ${chassis ? 'idle power unknown' : 'not in catalog'}: base draw ${settings.chassisBaseWattsFallback} W (setting chassisBaseWattsFallback)`,
      );
    }
    if (gpuModel) {
      const g = gpuW();
      if (!g.ok) return g;
      w += g.v;
    }
    return ok(w);
  })();
  const estimatedWatts = set('estimatedWatts', wattsR);
  const annualEnergyR: Res<number> = !wattsR.ok
    ? wattsR
    : !sRate.ok
      ? sRate
      : ok(
          ((wattsR.v * HOURS_PER_YEAR) / 1000) *
            settings.pue *
            settings.energyPricePerKwh *
            sRate.v,
        );
  const annualEnergyCost = set('annualEnergyCost', annualEnergyR);

  // ---- parts a barebones server still needs
  const partsNeeded: PartNeeded[] = [];
  const minObs = settings.minMarketObservations;
  const priceFromMarket = (key: string): { median: number; n: number } | null => {
    if (typeof ctx.partsMedian !== 'function') return null;
    try {
      const m = ctx.partsMedian(key);
      return m && isNum(m.median) && m.median >= 0 && isNum(m.n) ? m : null;
    } catch {
      return null;
    }
  };
  const pricePart = (
    part: PartNeeded['part'],
    description: string,
    quantity: number,
    unit: PartNeeded['unit'],
    key: string,
    settingsPrice: number | null,
    unpricedWhy: string | null,
  ) => {
    const m = priceFromMarket(key);
    let unitPrice: number | null = null;
    let priceSource: PartNeeded['priceSource'] = null;
    let reason: string | undefined;
    if (m && m.n >= minObs) {
      unitPrice = m.median;
      priceSource = 'market-median';
    } else if (unpricedWhy) {
      reason = unpricedWhy;
    } else if (settingsPrice !== null && sRate.ok) {
      unitPrice = settingsPrice * sRate.v;
      priceSource = 'settings';
      reason = m
        ? `market median from ${m.n} observation(s) < ${minObs}: settings price used`
        : 'no market median: settings price used';
    } else {
      reason = !sRate.ok ? sRate.why : 'no price in settings';
    }
    partsNeeded.push({
      part,
      description,
      quantity,
      unit,
      marketKey: key,
      unitPrice,
      cost: unitPrice === null ? null : unitPrice * quantity,
      priceSource,
      observations: m ? m.n : null,
      ...(reason ? { reason } : {}),
    });
  };
  const socketsForParts = ((): number => {
    if (cpuCount.ok) return cpuCount.v;
    if (chassis && isNum(chassis.sockets) && chassis.sockets >= 1) return chassis.sockets;
    assumptions.push('socket count unknown: parts sized for 1 socket');
    return 1;
  })();
  if (noCpu) {
    const family = chassis?.cpuFamilies?.[0] ?? null;
    const table = settings.partsPrices.cpuByFamily;
    const famKey = family
      ? Object.keys(table).find((k) => k.toLowerCase() === family.toLowerCase())
      : undefined;
    const settingsPrice = (famKey ? table[famKey] : undefined) ?? table.default ?? null;
    if (!famKey) {
      assumptions.push(
        `CPU family ${family ? `'${family}' has no settings price` : 'unknown (chassis not in catalog)'}: default CPU price used`,
      );
    }
    pricePart(
      'cpu',
      `${socketsForParts}x ${family ?? 'CPU'} (model to be chosen)`,
      socketsForParts,
      'each',
      partKey('cpu', family ?? 'default'),
      settingsPrice,
      null,
    );
  }
  let addedRamGb: number | null = null;
  if (noRam) {
    const gen = ddrGeneration(specs.ramType) ?? ddrGeneration(chassis?.ramType);
    addedRamGb = settings.barebones.ramGbPerSocket * socketsForParts;
    const settingsPrice = gen ? (settings.partsPrices.ramPerGb[gen] ?? null) : null;
    pricePart(
      'ram',
      `${addedRamGb} GB ${gen ?? 'RAM'} RDIMM (${settings.barebones.ramGbPerSocket} GB per socket)`,
      addedRamGb,
      'GB',
      partKey('ram', gen ?? 'unknown'),
      settingsPrice,
      gen ? null : 'RAM generation unknown (not in title or chassis catalog)',
    );
  }
  if (noDrives) {
    const media = settings.barebones.driveMedia;
    pricePart(
      'drive',
      `${settings.barebones.storageTb} TB ${media.toUpperCase()}`,
      settings.barebones.storageTb,
      'TB',
      partKey('drive', media),
      settings.partsPrices.drivePerTb[media],
      null,
    );
  }
  const unpriced = partsNeeded.find((p) => p.cost === null);
  const partsR: Res<number> = unpriced
    ? no(`${unpriced.part} could not be priced: ${unpriced.reason ?? 'unknown'}`)
    : ok(partsNeeded.reduce((s, p) => s + (p.cost ?? 0), 0));
  const partsCost = set('partsCost', partsR);

  // ---- cloud match
  const cloudR = ((): Res<{ m: Extract<CloudMatch, { ok: true }>; table: 'cpu' | 'gpu' }> => {
    const opts = {
      segments: settings.cloud.segments,
      maxInstances: settings.cloud.maxInstances,
      hoursPerMonth: settings.hoursPerMonth,
    };
    let need: CloudNeed;
    let table: 'cpu' | 'gpu';
    if (kind === 'gpu' || (isServer && gpuModel)) {
      if (!gpuCount.ok) return gpuCount;
      need = { gpuModel, gpuCount: gpuCount.v, gpuMemoryGb: specs.gpuMemoryGb ?? null };
      table = 'gpu';
    } else if (isServer) {
      if (!threadsR.ok) return no(`vCPU count unknown: ${threadsR.why}`);
      const mem = ramR.ok ? ramR.v : addedRamGb;
      if (mem === null) return no(`memory unknown: ${ramR.ok ? 'RAM not stated' : ramR.why}`);
      need = { vcpus: threadsR.v, memoryGb: mem };
      table = 'cpu';
    } else {
      return no(`cloud comparison applies to servers and GPUs, not a ${kind} listing`);
    }
    const m = cheapestCloudMatch(need, ctx.cloud?.[table] ?? null, opts);
    return m.ok ? ok({ m, table }) : no(m.reason);
  })();
  let cloudMatch: ValuationCloudMatch | null = null;
  if (cloudR.ok) {
    const { m, table } = cloudR.v;
    const usd = ctx.fx.rate('USD', base, at);
    if (usd.value === null) {
      reasons.cloudMatch = `cannot convert cloud prices from USD: ${usd.reason}`;
    } else {
      fxUse('cloud prices', usd);
      const ageMonths = at ? Math.round(monthsBetween(m.observedAt, at) * 10) / 10 : null;
      const stale = ageMonths === null ? null : ageMonths > settings.cloud.staleAfterMonths;
      const src = m.source ? `${m.source.file} (${m.source.origin})` : null;
      cloudMatch = {
        provider: m.provider,
        sku: m.sku,
        region: m.region,
        instanceCount: m.instanceCount,
        matchedOn: m.matchedOn,
        hourlyUsd: m.hourlyUsd,
        monthlyUsd: m.monthlyUsd,
        hourly: m.hourlyUsd * usd.rate,
        monthly: m.monthlyUsd * usd.rate,
        currency: base,
        hoursPerMonth: m.hoursPerMonth,
        observedAt: m.observedAt,
        observedAtPrecision: m.observedAtPrecision,
        ageMonths,
        stale,
        source: src,
        assumptions: m.assumptions,
      };
      inputs.cloud = { table, observedAt: m.observedAt, source: src };
      for (const a of m.assumptions) assumptions.push(`cloud match: ${a}`);
      if (stale) {
        assumptions.push(
          `cloud prices observed ${m.observedAt} are ${ageMonths} months older than the listing`,
        );
      }
      if (kind === 'gpu') {
        assumptions.push('bare GPU vs cloud GPU instance: the host server is not included');
      }
    }
  } else {
    reasons.cloudMatch = cloudR.why;
  }

  // ---- TCO and break-even
  const horizon = settings.horizonMonths;
  const tcoR = ((): Res<{ tco: TcoBreakdown; running: number }> => {
    if (!(isServer || kind === 'gpu'))
      return no(`TCO is computed for servers and GPUs, not a ${kind} listing`);
    if (!priceRes.ok) return no(`effective price unavailable: ${priceRes.why}`);
    if (!partsR.ok) return partsR;
    if (!annualEnergyR.ok) return no(`energy unknown: ${annualEnergyR.why}`);
    if (!sRate.ok) return sRate;
    let rackUnits: number | null = null;
    if (isServer) {
      rackUnits =
        (chassis && isNum(chassis.rackUnits) && chassis.rackUnits > 0 ? chassis.rackUnits : null) ??
        rackUnitsFrom(specs.formFactor, settings.towerRackUnits);
      if (rackUnits === null) {
        return no('rack units unknown (chassis not in catalog and form factor not stated)');
      }
    } else {
      assumptions.push(
        'bare GPU: TCO counts the card and its energy only (no host, colocation or operations)',
      );
    }
    const price = priceRes.v.unit;
    const parts = partsR.v;
    const sparesReserve = ((price + parts) * settings.sparesReservePct) / 100;
    const upfront = price + parts + sparesReserve;
    const energyMonthly = annualEnergyR.v / 12;
    const coloMonthly = isServer
      ? (rackUnits ?? 0) * settings.colocationPerRackUnitMonth * sRate.v
      : 0;
    const opsMonthly = isServer ? settings.operationsPerServerMonth * sRate.v : 0;
    const running = energyMonthly + coloMonthly + opsMonthly;
    return ok({
      running,
      tco: {
        horizonMonths: horizon,
        price,
        parts,
        sparesReserve,
        upfront,
        energy: energyMonthly * horizon,
        colocation: coloMonthly * horizon,
        operations: opsMonthly * horizon,
        total: upfront + running * horizon,
        rackUnits,
      },
    });
  })();
  const tcoV = set('tco', tcoR.ok ? ok(tcoR.v.tco) : tcoR);
  const monthlyOwnedCost = set('monthlyOwnedCost', tcoR.ok ? ok(tcoR.v.tco.total / horizon) : tcoR);
  const monthlyRunningCost = set('monthlyRunningCost', tcoR.ok ? ok(tcoR.v.running) : tcoR);
  const breakEvenR = ((): Res<number> => {
    if (!tcoR.ok) return no(`owned cost unknown: ${tcoR.why}`);
    if (!cloudMatch) return no(`no cloud match: ${reasons.cloudMatch ?? 'unknown'}`);
    const gap = cloudMatch.monthly - tcoR.v.running;
    if (gap <= 0) {
      return no(
        `cloud ${money(cloudMatch.monthly)} ${base}/month is not dearer than owning's running cost ${money(tcoR.v.running)} ${base}/month: owning never breaks even`,
      );
    }
    return ok(tcoR.v.tco.upfront / gap);
  })();
  const breakEvenMonths = set('breakEvenMonths', breakEvenR);

  return {
    currency: base,
    basis: 'per-unit',
    lotQuantity: qty.ok ? qty.v : null,
    effectivePrice,
    effectivePriceMax,
    lotEffectivePrice,
    cpuScore,
    cpuScorePerDollar,
    cores,
    threads,
    dollarsPerCore,
    dollarsPerThread,
    ramGb,
    dollarsPerGbRam,
    dollarsPerTb,
    gpuFp32Tflops,
    gpuFp16Tflops,
    tflopsPerDollar,
    dollarsPerGbVram,
    estimatedWatts,
    annualEnergyCost,
    partsNeeded,
    partsCost,
    tco: tcoV,
    monthlyOwnedCost,
    monthlyRunningCost,
    cloudMatch,
    breakEvenMonths,
    reasons,
    assumptions,
    inputs,
  };
}
