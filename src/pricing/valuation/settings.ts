import { z } from 'zod';
import { fxRatesFileSchema } from './fx';

/**
 * Valuation settings: every assumption of the owned-vs-cloud model in one validated object.
 * Money values are in `moneyCurrency` (USD by default) and converted to the base currency at the
 * listing's observation date. Defaults are assumptions, documented with their reasoning in
 * data/settings/defaults.json (a test keeps that file and DEFAULT_VALUATION_SETTINGS equal).
 */

const money = z.number().finite().min(0);
const positiveInt = z.number().int().positive();

export const valuationSettingsSchema = z.strictObject({
  /** Currency of every money setting below. */
  moneyCurrency: z.string().regex(/^[A-Z]{3}$/),
  /** Electricity price per kWh, in moneyCurrency. */
  energyPricePerKwh: money,
  /** Power usage effectiveness of the room: facility watts / IT watts. */
  pue: z.number().finite().min(1).max(3),
  /** TCO horizon in months (the usual 3-5 year depreciation). */
  horizonMonths: positiveInt.max(240),
  /** Hours in a billing month for cloud prices and energy (730 = 8760 / 12). */
  hoursPerMonth: z.number().positive().max(744),
  /** Colocation cost per rack unit per month, power excluded (energy is counted separately). */
  colocationPerRackUnitMonth: money,
  /** Rack units charged for a tower server. */
  towerRackUnits: positiveInt.max(12),
  /** Spares reserve, percent of the hardware cost (price + parts), paid up front. */
  sparesReservePct: z.number().finite().min(0).max(100),
  /** Operations (hands, monitoring, admin time) per server per month. */
  operationsPerServerMonth: money,
  /** Average CPU draw as a fraction of TDP. */
  cpuLoadFactor: z.number().finite().min(0).max(1.5),
  /** Average GPU draw as a fraction of TDP. */
  gpuLoadFactor: z.number().finite().min(0).max(1.5),
  /** Platform base draw (fans, board, drives, NICs) when the chassis is not in the catalog. */
  chassisBaseWattsFallback: z.number().finite().min(0).max(2000),
  /** Prices for what a barebones / no-RAM / no-drive server still needs (moneyCurrency). */
  partsPrices: z.strictObject({
    ramPerGb: z.record(z.string().regex(/^DDR\d$/), money),
    drivePerTb: z.strictObject({ hdd: money, ssd: money }),
    /** Per CPU by catalog family ("Xeon Scalable", "Xeon E5", "EPYC"); `default` when unlisted. */
    cpuByFamily: z.record(z.string().min(1), money),
  }),
  /** What is added to make a barebones / no-RAM / no-drive server usable. */
  barebones: z.strictObject({
    ramGbPerSocket: positiveInt.max(4096),
    storageTb: z.number().finite().positive().max(1000),
    driveMedia: z.enum(['hdd', 'ssd']),
  }),
  /** Market medians with fewer observations than this are ignored for parts prices. */
  minMarketObservations: positiveInt,
  cloud: z.strictObject({
    /** Provider segments compared: hyperscaler, neocloud, marketplace. */
    segments: z.array(z.string().min(1)).min(1),
    /** Up to this many identical instances may be combined to reach the capacity. */
    maxInstances: positiveInt.max(64),
    /** A cloud table older than this (vs the observation date) is flagged stale. */
    staleAfterMonths: positiveInt,
  }),
  /** A lot larger than this is treated as implausible. */
  maxLotQuantity: positiveInt,
  /** Replaces data/fx/rates.json when set (same shape). */
  fxRates: fxRatesFileSchema.nullable(),
});

export type ValuationSettings = z.infer<typeof valuationSettingsSchema>;

export const DEFAULT_VALUATION_SETTINGS: ValuationSettings = {
  moneyCurrency: 'USD',
  energyPricePerKwh: 0.13,
  pue: 1.5,
  horizonMonths: 36,
  hoursPerMonth: 730,
  colocationPerRackUnitMonth: 25,
  towerRackUnits: 4,
  sparesReservePct: 10,
  operationsPerServerMonth: 25,
  cpuLoadFactor: 0.6,
  gpuLoadFactor: 1,
  chassisBaseWattsFallback: 100,
  partsPrices: {
    ramPerGb: { DDR3: 0.5, DDR4: 1.2, DDR5: 4 },
    drivePerTb: { hdd: 10, ssd: 50 },
    cpuByFamily: { 'Xeon E5': 15, 'Xeon Scalable': 60, EPYC: 150, default: 80 },
  },
  barebones: { ramGbPerSocket: 64, storageTb: 2, driveMedia: 'ssd' },
  minMarketObservations: 5,
  cloud: { segments: ['hyperscaler', 'neocloud'], maxInstances: 4, staleAfterMonths: 12 },
  maxLotQuantity: 10_000,
  fxRates: null,
};

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export type ValuationSettingsOverrides = DeepPartial<ValuationSettings>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    // record-valued settings (price tables) merge key by key too; arrays replace
    out[k] = k in base ? deepMerge(base[k], v) : v;
  }
  return out;
}

export type SettingsResult =
  { ok: true; settings: ValuationSettings } | { ok: false; error: string };

/**
 * Overrides (from a settings JSON, possibly partial) merged over the defaults and validated.
 * Never throws: a bad value gives `{ ok: false, error }` naming the setting.
 */
export function parseValuationSettings(overrides: unknown): SettingsResult {
  if (overrides !== undefined && overrides !== null && !isPlainObject(overrides)) {
    return { ok: false, error: 'valuation settings must be a JSON object' };
  }
  const merged = deepMerge(DEFAULT_VALUATION_SETTINGS, overrides ?? {});
  const parsed = valuationSettingsSchema.safeParse(merged);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const msg = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, error: `invalid valuation settings: ${msg}` };
}
